import { inspectManifestArgv } from '../../../../src/oci/manifests.js';
import { runVerify } from '../../../../src/stages/verify/act.js';
import { describeVerdict, judgeTag, verdictOk } from '../../../../src/stages/verify/plan.js';
import { fakeExec } from '../../fakes.js';

const idx = (platforms: string[], attestation = true) =>
  JSON.stringify({
    manifests: [
      ...platforms.map((p) => ({
        digest: `sha256:${p.replace(/\//g, '-')}`,
        platform: { os: p.split('/')[0], architecture: p.split('/')[1], variant: p.split('/')[2] },
      })),
      ...(attestation ? [{ digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } }] : []),
    ],
  });

describe('judgeTag: the pushed index against the requested platforms', () => {
  const want = ['linux/amd64', 'linux/arm64'];
  test('exact match, attestations aside → platform → digest', () => {
    const v = judgeTag('r/a:v1', want, { code: 0, stdout: idx(want), stderr: '' });
    expect(verdictOk(v)).toBe(true);
    expect(v.manifests).toEqual({ 'linux/amd64': 'sha256:linux-amd64', 'linux/arm64': 'sha256:linux-arm64' });
  });
  test('a missing platform', () => {
    const v = judgeTag('r/a:v1', want, { code: 0, stdout: idx(['linux/amd64']), stderr: '' });
    expect(verdictOk(v)).toBe(false);
    expect(describeVerdict(v)).toBe('r/a:v1: missing linux/arm64 (it has linux/amd64)');
  });
  test('an extra platform is not "exactly"', () => {
    const v = judgeTag('r/a:v1', ['linux/amd64'], {
      code: 0,
      stdout: idx(['linux/amd64', 'linux/s390x'], false),
      stderr: '',
    });
    expect(describeVerdict(v)).toBe('r/a:v1: unexpected linux/s390x (it has linux/amd64, linux/s390x)');
  });
  test('a single manifest passes for one platform, fails for two', () => {
    const single = { code: 0, stdout: JSON.stringify({ config: {}, layers: [] }), stderr: '' };
    expect(verdictOk(judgeTag('r/a:v1', ['linux/amd64'], single))).toBe(true);
    expect(describeVerdict(judgeTag('r/a:v1', want, single))).toMatch(
      /single-platform manifest, not an index; missing linux\/amd64, linux\/arm64/,
    );
  });
  test('unreadable tag', () => {
    expect(
      describeVerdict(judgeTag('r/a:v1', want, { code: 1, stdout: '', stderr: 'ERROR: r/a:v1: not found\n' })),
    ).toBe('r/a:v1: cannot read it back: ERROR: r/a:v1: not found (it has no platform)');
  });
});

describe('runVerify: every tag read back through the gateway', () => {
  test('one imagetools inspect --raw per tag; platform → digest of the first', async () => {
    const want = ['linux/amd64', 'linux/arm64'];
    const exec = fakeExec(() => ({ stdout: idx(want) }));
    const logs: string[] = [];
    expect(
      await runVerify(['r/a:v1', 'r/a:latest'], want, { exec, log: (m) => logs.push(m), warn: () => undefined }),
    ).toEqual({ 'linux/amd64': 'sha256:linux-amd64', 'linux/arm64': 'sha256:linux-arm64' });
    expect(exec.calls.map((c) => c.argv)).toEqual([inspectManifestArgv('r/a:v1'), inspectManifestArgv('r/a:latest')]);
    // the one manifest read of preflight and merge too: `--` before the reference (verify's own copy had none)
    expect(inspectManifestArgv('r/a:v1')).toEqual([
      'docker',
      'buildx',
      'imagetools',
      'inspect',
      '--raw',
      '--',
      'r/a:v1',
    ]);
    expect(logs).toEqual([
      'verify: r/a:v1 holds linux/amd64, linux/arm64',
      'verify: r/a:latest holds linux/amd64, linux/arm64',
    ]);
  });

  test('a failed read says what failed as commandProblem does (its error lines, not only the last one; a missing docker by name)', async () => {
    const want = ['linux/amd64'];
    const res = { code: 1, stdout: '', stderr: '#1 resolving\nERROR: r/a:v1: not found\n' };
    expect(describeVerdict(judgeTag('r/a:v1', want, res))).toBe(
      'r/a:v1: cannot read it back: #1 resolving\nERROR: r/a:v1: not found (it has no platform)',
    );
    expect(describeVerdict(judgeTag('r/a:v1', want, { code: 1, stdout: '', stderr: '' }))).toBe(
      'r/a:v1: cannot read it back: exit 1 (it has no platform)',
    );
    const gone = {
      code: 127,
      stdout: '',
      stderr: 'docker: command not found (not on PATH); cannot run docker buildx imagetools inspect',
    };
    expect(describeVerdict(judgeTag('r/a:v1', want, gone))).toMatch(
      /cannot read it back: docker CLI not found on PATH: install Docker/,
    );
    const exec = fakeExec(() => res);
    await expect(runVerify(['r/a:v1'], want, { exec, log: () => undefined, warn: () => undefined })).rejects.toThrow(
      'the pushed image does not hold the requested platforms (linux/amd64): r/a:v1: cannot read it back: #1 resolving\nERROR: r/a:v1: not found (it has no platform)',
    );
  });
});
