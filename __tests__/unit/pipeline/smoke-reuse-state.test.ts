/**
 * The smoke test's image from the build's own exporter (verify/smoke-load.ts planSmokeExport), over
 * runMain with a stubbed engine: its tag is in the state before the build runs, so a build that
 * fails (or a stopped job) leaves post something to remove; no second build loads it.
 */
import { runMain } from '../../../src/pipeline/main.js';
import { runPost } from '../../../src/pipeline/post.js';
import type { ExecRequest } from '../../../src/ports/exec.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../fakes.js';

const files = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/proc/sys/fs/binfmt_misc/status': 'enabled',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
};
const inputs = {
  images: 'r/app',
  platforms: 'linux/amd64,linux/arm64',
  push: 'false',
  context: '.',
  driver: 'docker-container',
  'smoke-test': 'uname -m',
};

/** A docker-container builder on a containerd-store engine (fakeEngine's docker info); `build` answers buildx build. */
function engine(build: (req: ExecRequest) => { code?: number; stderr?: string }) {
  return fakeEngine((req) => {
    if (req.argv[1] === 'buildx' && req.argv[2] === 'inspect')
      return {
        stdout:
          'Name: b\nDriver: docker-container\nNodes:\nName: b0\nStatus: running\nPlatforms: linux/amd64, linux/arm64\n',
      };
    if (req.argv[1] === 'buildx' && req.argv[2] === 'build') return build(req);
    return {};
  });
}

test('the tag is in the state before the one build; a failed build leaves it to post, which removes it', async () => {
  const exec = engine(() => ({ code: 1, stderr: 'ERROR: failed to solve: boom' }));
  const host = fakeHost(inputs);
  await runMain(
    fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }),
  );
  expect(host.failed).toBe(true);
  const builds = exec.calls.filter((c) => c.argv[1] === 'buildx' && c.argv[2] === 'build');
  expect(builds).toHaveLength(1);
  const out = builds[0]!.argv.find((a) => a.startsWith('type=docker,name='))!;
  const tag = out.slice('type=docker,name='.length);
  expect(tag).toMatch(/^multiarch-smoke-[0-9a-f]{8}:build$/);
  expect(JSON.parse(host.state.multiarch!).smokeImages).toEqual([tag]);
  const postExec = engine(() => ({}));
  await runPost(fakeDeps(fakeHost({}, host.state), postExec, fakeFiles()));
  expect(postExec.calls.map((c) => c.argv)).toContainEqual(['docker', 'image', 'rm', '--force', tag]);
});

test('a build that succeeds: each platform runs that tag, main removes it, no build loads it again', async () => {
  const exec = engine(() => ({}));
  const answered = fakeEngine((req) =>
    req.argv[1] === 'run' ? { stdout: req.argv.includes('linux/arm64') ? 'aarch64\n' : 'x86_64\n' } : {},
  );
  const both = Object.assign((req: ExecRequest) => (req.argv[1] === 'run' ? answered(req) : exec(req)), {
    calls: exec.calls,
  });
  const host = fakeHost({ ...inputs, 'arch-check': 'true' });
  await runMain(
    fakeDeps(host, both, fakeFiles(files), { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }),
  );
  const tag = (JSON.parse(host.state.multiarch!) as { smokeImages: string[] }).smokeImages[0]!;
  expect(exec.calls.filter((c) => c.argv[1] === 'buildx' && c.argv[2] === 'build')).toHaveLength(1);
  const runs = answered.calls.map((c) => c.argv);
  expect(runs.map((a) => [a[a.indexOf('--platform') + 1], a.includes(tag)]).sort()).toEqual([
    ['linux/amd64', true],
    ['linux/arm64', true],
  ]);
  expect(exec.calls.map((c) => c.argv)).toContainEqual(['docker', 'image', 'rm', '--force', tag]);
  expect(JSON.parse(host.outputs['smoke-results']!)).toEqual({ 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' });
});
