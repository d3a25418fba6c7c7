import { gitCommitTimeArgv, readGitCommitTime } from '../../../../src/context/git.js';
import { describeSourceDate, isoToEpoch, pickSourceDate } from '../../../../src/stages/meta/source-date.js';
import { fakeExec } from '../../fakes.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('pickSourceDate: the user first, then git, the event payload, the GitHub API', () => {
  const all = {
    buildArgs: ['A=1', 'SOURCE_DATE_EPOCH=100'],
    env: '200',
    git: '300',
    payloadDate: '1970-01-01T00:06:40Z',
    apiDate: '1970-01-01T00:08:20Z',
  };
  test.each<[string, Partial<typeof all>, { epoch: string; from: string }]>([
    ['a SOURCE_DATE_EPOCH build-arg wins over everything', {}, { epoch: '100', from: 'build-arg' }],
    ['then the environment', { buildArgs: ['A=1'] }, { epoch: '200', from: 'environment' }],
    ['then git', { buildArgs: [], env: undefined }, { epoch: '300', from: 'git' }],
    ['then the payload', { buildArgs: [], env: '', git: undefined }, { epoch: '400', from: 'event payload' }],
    [
      'then the API',
      { buildArgs: [], env: undefined, git: undefined, payloadDate: undefined },
      { epoch: '500', from: 'GitHub API' },
    ],
  ])('%s', (_name, over, want) => {
    expect(pickSourceDate({ ...all, ...over })).toEqual(want);
  });

  test('a bare SOURCE_DATE_EPOCH build-arg is the environment value (buildx reads it from there)', () => {
    expect(pickSourceDate({ buildArgs: ['SOURCE_DATE_EPOCH'], env: '200', git: '300' })).toEqual({
      epoch: '200',
      from: 'environment',
    });
  });

  test('nothing known: undefined; a git answer or a date that is not one is skipped', () => {
    expect(pickSourceDate({ buildArgs: [] })).toBeUndefined();
    expect(
      pickSourceDate({ buildArgs: [], git: 'x1', payloadDate: 'yesterday', apiDate: '2024-05-01T10:00:00+02:00' }),
    ).toEqual({
      epoch: String(Date.UTC(2024, 4, 1, 8) / 1000),
      from: 'GitHub API',
    });
  });

  test("the user's value is taken as given: the input pass has held it to the rule (see inputs/reproducible)", () => {
    expect(pickSourceDate({ buildArgs: [], env: ' 1700000000 ', git: '300' })).toEqual({
      epoch: '1700000000',
      from: 'environment',
    });
  });

  test('a git answer past the 12 digits a source date may have is skipped', () => {
    expect(pickSourceDate({ buildArgs: [], git: '1234567890123', payloadDate: '1970-01-01T00:06:40Z' })).toEqual({
      epoch: '400',
      from: 'event payload',
    });
  });

  test('isoToEpoch: whole seconds of an ISO date with its offset; no date, undefined', () => {
    expect(isoToEpoch('2023-11-14T22:13:20Z')).toBe('1700000000');
    // a date past what SOURCE_DATE_EPOCH may hold (12 digits) is no date
    expect(isoToEpoch('+275760-09-13T00:00:00.000Z')).toBeUndefined();
    expect(isoToEpoch('2023-11-14T23:13:20.999+01:00')).toBe('1700000000');
    expect(isoToEpoch('')).toBeUndefined();
    expect(isoToEpoch('::error::x')).toBeUndefined();
  });

  test('the log line names the date, the commit and where it came from', () => {
    expect(describeSourceDate({ epoch: '1700000000', from: 'git' }, SHA)).toBe(
      'reproducible: SOURCE_DATE_EPOCH=1700000000 (2023-11-14T22:13:20.000Z, commit 0123456789ab, from git); image timestamps are rewritten to it',
    );
    expect(describeSourceDate({ epoch: '1', from: 'environment' }, SHA)).toMatch(/your own, from the environment/);
    expect(describeSourceDate({ epoch: '1', from: 'event payload' }, '')).toMatch(
      /commit \(no sha\), from event payload/,
    );
  });
});

describe('the commit time from git', () => {
  test('argv: git show of the sha, committer time in seconds; a value that is no object name never reaches git', () => {
    expect(gitCommitTimeArgv(SHA)).toEqual(['git', 'show', '-s', '--format=%ct', SHA]);
    for (const bad of ['--output=/tmp/x', 'HEAD~1', `${SHA}\n::error::x`, '', 'abc'])
      expect(gitCommitTimeArgv(bad)).toBeUndefined();
  });

  test('read through the gateway in the checkout; a failure or odd output is undefined', async () => {
    const exec = fakeExec(() => ({ stdout: '1700000000\n' }));
    expect(await readGitCommitTime(exec, '/ws/src', SHA)).toBe('1700000000');
    expect(exec.calls[0]).toMatchObject({
      argv: ['git', 'show', '-s', '--format=%ct', SHA],
      cwd: '/ws/src',
      silent: true,
    });
    expect(
      await readGitCommitTime(
        fakeExec(() => ({ code: 128, stderr: 'fatal: bad object' })),
        '/ws',
        SHA,
      ),
    ).toBeUndefined();
    expect(
      await readGitCommitTime(
        fakeExec(() => ({ stdout: 'soon' })),
        '/ws',
        SHA,
      ),
    ).toBeUndefined();
    const none = fakeExec();
    expect(await readGitCommitTime(none, '/ws', '-x')).toBeUndefined();
    expect(none.calls).toEqual([]);
  });
});
