/** build-push-action's form without platforms: the builder's own platform, no --platform; the form is announced once. */
import { runMain } from '../../../src/pipeline/main.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../fakes.js';

const files = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/proc/sys/fs/binfmt_misc/status': 'enabled',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
};
const engine = (platforms: string) =>
  fakeEngine(({ argv }) => {
    const cmd = argv.slice(1, 3).join(' ');
    if (cmd === 'buildx inspect') return { stdout: `Name: default\nDriver: docker\nPlatforms: ${platforms}\n` };
    return {};
  });

async function run(inputs: Record<string, string>, platforms = 'linux/arm64, linux/amd64', env = {}) {
  const host = fakeHost({ context: '.', verify: 'false', preflight: 'false', 'arch-check': 'false', ...inputs });
  const exec = engine(platforms);
  await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', ...env }));
  const build = exec.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build');
  return { host, build };
}

test("no platforms: buildx gets no --platform; the builder's first platform is the run's", async () => {
  const { host, build } = await run({ tags: 'r.io/org/app:1' });
  expect(host.errors).toEqual([]);
  expect(build!.argv).not.toContain('--platform');
  expect(build!.argv).not.toContain('--push');
  expect(host.outputs).toMatchObject({ platforms: 'linux/arm64', pushed: 'false' });
  expect(host.infos.filter((m) => /^build-push-action form/.test(m))).toHaveLength(1);
});

test("this action's form: both default platforms, named in one log line", async () => {
  const { host, build } = await run({ images: 'r.io/org/app', tags: 'v1', push: 'false' });
  expect(build!.argv).toEqual(expect.arrayContaining(['--platform', 'linux/amd64,linux/arm64']));
  expect(host.infos.filter((m) => /^multiarch form/.test(m))).toHaveLength(1);
});

test('a builder that names no platform: the step fails saying to set platforms', async () => {
  const { host, build } = await run({ tags: 'r.io/org/app:1' }, '');
  expect(build).toBeUndefined();
  expect(host.errors.join('\n')).toMatch(/set platforms/);
});

test('BUILDX_NO_DEFAULT_ATTESTATIONS=1: no --provenance', async () => {
  const { build } = await run({ tags: 'r.io/org/app:1', platforms: 'linux/amd64' }, undefined, {
    BUILDX_NO_DEFAULT_ATTESTATIONS: '1',
  });
  expect(build!.argv).not.toContain('--provenance');
});
