import { runMain } from '../../../../src/pipeline/main.js';
import { runPost } from '../../../../src/pipeline/post.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../../fakes.js';

// a dry run prints `buildx create` without running it; post must then have no
// builder to remove (it ran a real `buildx rm` and warned about a builder that never existed)
test('a dry run that would create a builder records none: post removes nothing and does not warn', async () => {
  const files = fakeFiles({
    '/ws/Dockerfile': 'FROM scratch\n',
    '/proc/sys/fs/binfmt_misc/status': 'enabled',
    '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
  });
  const engine = fakeEngine((req) => (req.argv[2] === 'inspect' ? { code: 1, stderr: 'no builder found' } : {}));
  const host = fakeHost({
    images: 'r.io/o/app',
    tags: 'v1',
    platforms: 'linux/amd64,linux/arm64',
    push: 'auto',
    context: '.',
    driver: 'docker-container',
    'dry-run': 'true',
    cache: 'none',
  });
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

// the inline buildkitd config: the plan names its file, an act step writes it before the builder is
// created. A dry run writes it too, as it always has (the run's own temp file; nothing reads it but
// the `buildx create` the dry run prints); its mirrors steer the plan like any registry of the build
test('buildkitd-config-inline: written to the run temp folder (a dry run too), passed to create, its mirrors read', async () => {
  const files = fakeFiles({ '/ws/Dockerfile': 'FROM scratch\n' });
  const engine = fakeEngine((req) => (req.argv[2] === 'inspect' ? { code: 1, stderr: 'no builder found' } : {}));
  const inline = '[registry."docker.io"]\n  mirrors = ["127.0.0.1:5000"]\n';
  const host = fakeHost({
    images: 'r.io/o/app',
    tags: 'v1',
    platforms: 'linux/amd64',
    push: 'auto',
    context: '.',
    driver: 'docker-container',
    'buildkitd-config-inline': inline,
    'dry-run': 'true',
    cache: 'none',
  });
  await runMain(fakeDeps(host, engine, files, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  expect(host.errors).toEqual([]);
  const [written, ...others] = Object.keys(files.written).filter((p) => p.endsWith('/buildkitd.toml'));
  expect(others).toEqual([]);
  expect(files.written[written!]).toBe(inline.trim()); // inputs are read trimmed, as core.getInput does
  const create = host.infos.find((m) => m.includes('"buildx","create"')) ?? '';
  expect(create).toContain(`"--buildkitd-config","${written}"`);
  expect(create).toContain('"--driver-opt","network=host"');
});
