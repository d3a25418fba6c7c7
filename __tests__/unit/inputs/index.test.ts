/**
 * parseInputs' mode rules: mode merge does not check what only a build needs (context, Dockerfile,
 * platforms), rather than checking it and deleting the errors; every other mode checks them.
 */
import { InputErrors } from '../../../src/errors.js';
import { parseInputs } from '../../../src/inputs/index.js';

const D = `sha256:${'a'.repeat(64)}`;
const nothingExists = { workspace: '/ws', exists: () => false };
const base = {
  images: 'ghcr.io/o/app',
  tags: 'v1',
  push: 'auto',
  context: 'not-checked-out',
  file: 'docker/Dockerfile',
};
const get = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';

function errorsOf(
  inputs: Record<string, string>,
  env: { workspace: string; exists: (p: string) => boolean } = nothingExists,
): string[] {
  try {
    parseInputs(get(inputs), env);
    return [];
  } catch (err) {
    if (err instanceof InputErrors) return err.errors.map((e) => e.message);
    throw err;
  }
}

test.each([['build'], ['shard']])('mode %s: a missing context, an invalid platform are input errors', (mode) => {
  const errors = errorsOf({ ...base, mode, platforms: 'linux/amd64,bogus' });
  expect(errors.some((e) => e.startsWith('Input "platforms": '))).toBe(true);
  expect(errors).toContain('Input "context": "not-checked-out" does not exist (resolved to /ws/not-checked-out)');
});

test('mode build: no context problem, a missing Dockerfile is one', () => {
  const errors = (() => {
    try {
      parseInputs(get({ ...base, context: '.', platforms: 'linux/amd64' }), {
        workspace: '/ws',
        exists: (p) => p === '/ws',
      });
      return [];
    } catch (err) {
      return (err as InputErrors).errors.map((e) => e.message);
    }
  })();
  expect(errors).toEqual([
    'Input "file": Dockerfile "docker/Dockerfile" not found (resolved to /ws/docker/Dockerfile)',
  ]);
});

test("build-push-action's form with no context: a missing Dockerfile says the Git context is not used", () => {
  const hint = /the context is the workspace, not the Git context build-push-action uses: check the repository out/;
  const pasted = { tags: 'ghcr.io/o/app:1', file: './test/Dockerfile' };
  const workspaceOnly = { workspace: '/ws', exists: (p: string) => p === '/ws' };
  const [error] = errorsOf(pasted, workspaceOnly);
  expect(error).toMatch(/^Input "file": Dockerfile "\.\/test\/Dockerfile" not found/);
  expect(error).toMatch(hint);
  // this action's own form, or a context the user set, keep the plain message
  expect(errorsOf({ ...pasted, images: 'ghcr.io/o/app', tags: 'v1' }, workspaceOnly).join('\n')).not.toMatch(hint);
  expect(errorsOf({ ...pasted, context: '.' }, workspaceOnly).join('\n')).not.toMatch(hint);
});

test.each([['merge'], ['MERGE'], [' merge ']])('mode %j: context, file and platforms are not checked', (mode) => {
  const i = parseInputs(
    get({ ...base, mode, digests: `ghcr.io/o/app@${D}`, platforms: 'linux/amd64,bogus' }),
    nothingExists,
  );
  expect(i.mode).toBe('merge');
  // an invalid platforms list filters nothing (as before: its error was deleted, its value empty)
  expect(i.platforms).toEqual([]);
});

test('mode merge: valid platforms are read (they filter the shards), even with no platforms given', () => {
  expect(
    parseInputs(get({ ...base, mode: 'merge', digests: D, platforms: 'linux/arm64, linux/amd64' }), nothingExists)
      .platforms,
  ).toEqual(['linux/arm64', 'linux/amd64']);
  // no platforms given: this action's default (as the runner passed action.yml's default before it moved into code)
  expect(parseInputs(get({ ...base, mode: 'merge', digests: D }), nothingExists).platforms).toEqual([
    'linux/amd64',
    'linux/arm64',
  ]);
});

test('mode merge: the other inputs are still checked, in their order', () => {
  expect(
    errorsOf({ ...base, mode: 'merge', digests: D, platforms: 'bogus', push: 'false', 'shard-key': 'bad key' }),
  ).toEqual([
    'Input "shard-key": "bad key" is not valid: use up to 40 letters, digits, ".", "_" or "-" (e.g. debug)',
    'Input "push": false cannot be combined with mode merge: shards are pushed by digest and merged in the registry; use mode: build to build without pushing',
  ]);
});

test('an invalid mode is reported, and everything a build needs is checked', () => {
  const errors = errorsOf({ ...base, mode: 'join', platforms: 'linux/amd64' });
  expect(errors).toContain('Input "mode": "join" is not valid: use build, shard or merge');
  expect(errors).toContain('Input "context": "not-checked-out" does not exist (resolved to /ws/not-checked-out)');
});
