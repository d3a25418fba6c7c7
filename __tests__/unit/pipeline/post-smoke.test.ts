import { runPost } from '../../../src/pipeline/post.js';
import type { Deps } from '../../../src/ports/deps.js';
import type { ExecRequest, ExecResult } from '../../../src/ports/exec.js';
import type { Host } from '../../../src/ports/host.js';
import { fakeActionsCache, fakeArtifactStore, fakeExec, fakeFiles } from '../fakes.js';

function deps(state: Record<string, unknown>, stderr: string) {
  // the engine's answers; a test may set its own with `answer`
  let answers = (req: ExecRequest): Partial<ExecResult> =>
    req.argv[1] === 'image' && stderr ? { code: 1, stderr } : {};
  const exec = fakeExec((req) => answers(req));
  const answer = (a: typeof answers) => void (answers = a);
  const warnings: string[] = [];
  const host = {
    getState: (n: string) => (n === 'multiarch' ? JSON.stringify(state) : ''),
    info: () => undefined,
    warning: (m: string) => warnings.push(m),
  } as unknown as Host;
  const d: Deps = {
    host,
    exec,
    files: fakeFiles(),
    env: {},
    cwd: '/',
    now: () => 0,
    actionsCache: fakeActionsCache(),
    artifacts: fakeArtifactStore(),
  };
  return { d, calls: exec.calls, warnings, answer };
}

test('post removes smoke-test tags main left behind, after the builder; already gone is no warning', async () => {
  const { d, calls, warnings } = deps(
    { builder: 'multiarch-b', smokeImages: ['multiarch-smoke-1:linux-amd64', 'multiarch-smoke-1:linux-arm64'] },
    'Error: No such image: multiarch-smoke-1:linux-amd64',
  );
  await runPost(d);
  expect(calls.map((c) => c.argv)).toEqual([
    ['docker', 'buildx', 'rm', '--force', '--', 'multiarch-b'],
    ['docker', 'image', 'rm', '--force', 'multiarch-smoke-1:linux-amd64', 'multiarch-smoke-1:linux-arm64'],
  ]);
  expect(warnings).toEqual([]);
});

test('another failure removing them is a warning, never a failure', async () => {
  const { d, warnings } = deps({ smokeImages: ['multiarch-smoke-1:linux-amd64'] }, 'engine gone');
  await runPost(d);
  expect(warnings).toEqual(['cleanup: remove smoke-test images: engine gone']);
});

test('post removes the smoke containers a stopped run left (before their images); already gone is no warning', async () => {
  const { d, calls, warnings, answer } = deps(
    {
      smokeContainers: ['multiarch-smoke-ab-0', 'multiarch-smoke-ab-1'],
      smokeImages: ['multiarch-smoke-1:linux-amd64'],
    },
    '',
  );
  answer((req) =>
    req.argv[1] === 'rm'
      ? { code: 1, stderr: 'Error response from daemon: No such container: multiarch-smoke-ab-1' }
      : {},
  );
  await runPost(d);
  expect(calls.map((c) => c.argv)).toEqual([
    ['docker', 'rm', '--force', '--', 'multiarch-smoke-ab-0', 'multiarch-smoke-ab-1'],
    ['docker', 'image', 'rm', '--force', 'multiarch-smoke-1:linux-amd64'],
  ]);
  expect(warnings).toEqual([]);
});

test('a container that cannot be removed is a warning naming them, and the images are still removed', async () => {
  const { d, calls, warnings, answer } = deps({ smokeContainers: ['multiarch-smoke-ab-0'], smokeImages: ['t:1'] }, '');
  answer((req) => (req.argv[1] === 'rm' ? { code: 1, stderr: 'engine gone' } : {}));
  await runPost(d);
  expect(warnings).toEqual(['cleanup: remove smoke-test containers: engine gone']);
  expect(calls.map((c) => c.argv[1])).toEqual(['rm', 'image']);
});
