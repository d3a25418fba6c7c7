import { runPost } from '../../../src/pipeline/post.js';
import type { Deps } from '../../../src/ports/deps.js';
import type { Host } from '../../../src/ports/host.js';
import { fakeActionsCache, fakeArtifactStore, fakeExec, fakeFiles } from '../fakes.js';

function deps(state: Record<string, unknown>, code = 0) {
  const exec = fakeExec(() => ({ code, stderr: code ? 'no such builder' : '' }));
  const { calls } = exec;
  const warnings: string[] = [];
  const host = {
    getState: (n: string) => (n === 'multiarch' ? JSON.stringify(state) : ''),
    info: () => undefined,
    warning: (m: string) => warnings.push(m),
  } as unknown as Host;
  const files = fakeFiles();
  const removed = files.removed;
  const d: Deps = {
    host,
    exec,
    files,
    env: {},
    cwd: '/',
    now: () => 0,
    actionsCache: fakeActionsCache(),
    artifacts: fakeArtifactStore(),
  };
  return { d, calls, removed, warnings };
}

test('post removes the builder this run created, with the per-job DOCKER_CONFIG, before removing that folder', async () => {
  const { d, calls, removed } = deps({
    builder: 'multiarch-1-1-build-ab',
    dockerConfig: '/t/docker-config-x',
    tempDir: '/t/m',
  });
  await runPost(d);
  expect(calls).toEqual([
    {
      argv: ['docker', 'buildx', 'rm', '--force', '--', 'multiarch-1-1-build-ab'],
      silent: true,
      env: { DOCKER_CONFIG: '/t/docker-config-x' },
    },
  ]);
  expect(removed).toEqual(['/t/docker-config-x', '/t/m']);
});

test('no builder recorded (engine driver, existing builder, cleanup false): nothing removed', async () => {
  const { d, calls } = deps({ tempDir: '/t/m' });
  await runPost(d);
  expect(calls).toEqual([]);
});

test('a failing removal is a warning, not a failure', async () => {
  const { d, warnings, removed } = deps({ builder: 'b' }, 1);
  await runPost(d);
  expect(warnings.join()).toMatch(/remove builder b: no such builder/);
  expect(removed).toEqual([]);
});

test('keep-state: the builder is removed with --keep-state (its state volume stays)', async () => {
  const { d, calls } = deps({ builder: 'multiarch-1-1-build-ab', keepState: true, tempDir: '/t/m' });
  await runPost(d);
  expect(calls.map((c) => c.argv)).toEqual([
    ['docker', 'buildx', 'rm', '--force', '--keep-state', '--', 'multiarch-1-1-build-ab'],
  ]);
});

test('use: true: post makes the previous builder current again, then removes ours', async () => {
  const { d, calls } = deps({ builder: 'foo', previousBuilder: 'default', tempDir: '/t/m' });
  await runPost(d);
  expect(calls.map((c) => c.argv).slice(0, 2)).toEqual([
    ['docker', 'buildx', 'use', '--', 'default'],
    ['docker', 'buildx', 'rm', '--force', '--', 'foo'],
  ]);
});

test('a failing restore is a warning; the builder is still removed', async () => {
  const { d, calls, warnings } = deps({ builder: 'foo', previousBuilder: 'gone', tempDir: '/t/m' }, 1);
  await runPost(d);
  expect(calls.map((c) => c.argv[2])).toEqual(['use', 'rm']);
  expect(warnings[0]).toMatch(/^cleanup: make builder gone current again: /);
});
