/** setup-buildx-action's named builders: keep-state, cleanup: false and name need a builder of our own. */
import {
  builderNameFor,
  planBuilder,
  stableBuilderName,
  uniqueBuilderName,
} from '../../../../src/stages/builder/plan.js';
import { builderProbe, builderRequest } from '../../fakes.js';

const env = {
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_JOB: 'build',
  GITHUB_RUN_ID: '7',
  GITHUB_RUN_ATTEMPT: '1',
};

describe('the builder name', () => {
  test('the name input as it is', () => {
    expect(builderNameFor({ name: 'foo', keepState: true }, env)).toBe('foo');
  });
  test('keep-state without name: the same name every run of this repository and job', () => {
    expect(builderNameFor({ keepState: true }, env)).toBe('multiarch-octo-org-octo-repo-build');
    expect(builderNameFor({ keepState: true }, { ...env, GITHUB_RUN_ID: '8' })).toBe(
      'multiarch-octo-org-octo-repo-build',
    );
  });
  test('neither: unique per job, as before', () => {
    expect(builderNameFor({}, env)).toMatch(/^multiarch-7-1-build-[0-9a-f]{8}$/);
    expect(uniqueBuilderName(env, 'ab')).toBe('multiarch-7-1-build-ab');
  });
  test('the stable name is sanitised to what buildx accepts, bounded, whatever the environment holds', () => {
    const name = stableBuilderName({
      GITHUB_REPOSITORY: `-a/b c\n::error::x${'y'.repeat(100_000)}`,
      GITHUB_JOB: '..j$ob',
    });
    expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.startsWith('multiarch-a-b-c-error-x')).toBe(true);
    expect(stableBuilderName({})).toBe('multiarch-local');
  });
});

describe('driver auto: keep-state, cleanup: false and name create a docker-container builder', () => {
  test.each([
    [{ keepState: true }, 'keep-state'],
    [{ cleanup: false }, 'cleanup'],
    [{ name: 'foo' }, 'name'],
  ])('%o on the containerd store', (over, input) => {
    const p = planBuilder(builderProbe(), builderRequest(over), 'foo');
    expect(p.driver).toBe('docker-container');
    expect(p.create[0]!.slice(0, 7)).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'foo',
      '--driver',
      'docker-container',
    ]);
    expect(p.notes[0]).toMatch(new RegExp(`since ${input} is set`));
  });
  test('cleanup: false leaves it: post does not remove it', () => {
    expect(planBuilder(builderProbe(), builderRequest({ cleanup: false }), 'b').remove).toBe(false);
  });
});

describe('a named builder that exists is reused', () => {
  test('nothing created; inspected by name; removed by post (cleanup true) as setup-buildx-action does', () => {
    const p = planBuilder(builderProbe(), builderRequest({ name: 'foo', keepState: true }), 'foo', true);
    expect(p).toMatchObject({ name: 'foo', driver: 'docker-container', create: [], remove: true });
    expect(p.inspect).toEqual(['docker', 'buildx', 'inspect', '--bootstrap', '--builder', 'foo']);
    expect(p.notes.join('\n')).toMatch(/builder foo exists: used as it is .*with its BuildKit state/);
  });
  test('cleanup: false: reused and left', () => {
    expect(planBuilder(builderProbe(), builderRequest({ name: 'foo', cleanup: false }), 'foo', true).remove).toBe(
      false,
    );
  });
  test('not found: created under that name', () => {
    const p = planBuilder(builderProbe(), builderRequest({ name: 'foo' }), 'foo', false);
    expect(p.create[0]).toEqual(expect.arrayContaining(['--name', 'foo']));
  });
});
