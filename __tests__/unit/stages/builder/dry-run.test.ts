import { runPost } from '../../../../src/pipeline/post.js';
import { runMain } from '../../../../src/pipeline/main.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../../fakes.js';

// issue 15, finding 9: a dry run prints `buildx create` without running it; post must then have no
// builder to remove (it ran a real `buildx rm` and warned about a builder that never existed)
test('a dry run that would create a builder records none: post removes nothing and does not warn', async () => {
  const files = fakeFiles({ '/ws/Dockerfile': 'FROM scratch\n', '/proc/sys/fs/binfmt_misc/status': 'enabled', '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n' });
  const engine = fakeEngine((req) => (req.argv[2] === 'inspect' ? { code: 1, stderr: 'no builder found' } : {}));
  const host = fakeHost({ images: 'r.io/o/app', tags: 'v1', platforms: 'linux/amd64,linux/arm64', push: 'auto', context: '.', driver: 'docker-container', 'dry-run': 'true', cache: 'none' });
  await runMain(fakeDeps(host, engine, files, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  expect(host.errors).toEqual([]);
  expect(host.infos.join('\n')).toMatch(/dry-run: not running \["docker","buildx","create"/);
  expect(JSON.parse(host.state.multiarch!)).not.toHaveProperty('builder');

  const post = fakeHost({}, host.state);
  const postExec = fakeEngine();
  await runPost(fakeDeps(post, postExec, fakeFiles()));
  expect(postExec.calls.filter((c) => c.argv.includes('rm'))).toEqual([]);
  expect(post.warnings).toEqual([]);
});
