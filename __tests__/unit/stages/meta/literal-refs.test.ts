// build-push-action users write full references in `tags` and leave `images` empty.
import { runMain } from '../../../../src/pipeline/main.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../../fakes.js';

const files = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/proc/sys/fs/binfmt_misc/status': 'enabled',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
};
const engine = () =>
  fakeEngine(({ argv }) =>
    argv.slice(1, 3).join(' ') === 'buildx inspect'
      ? { stdout: 'Name: default\nDriver: docker\nPlatforms: linux/amd64, linux/arm64\n' }
      : {},
  );

async function run(inputs: Record<string, string>) {
  const host = fakeHost({
    platforms: 'linux/amd64,linux/arm64',
    push: 'auto',
    context: '.',
    verify: 'false',
    preflight: 'false',
    ...inputs,
  });
  const exec = engine();
  await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  const build = exec.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build');
  const tags = build ? build.argv.flatMap((a, i) => (build.argv[i - 1] === '--tag' ? [a] : [])) : [];
  return { host, exec, build, tags };
}

test.each<[string, Record<string, string>, string[], string]>([
  [
    'full references, no images: used as they are (name lowercased)',
    { tags: 'ghcr.io/Org/App:1.0\nghcr.io/org/app:latest' },
    ['ghcr.io/org/app:1.0', 'ghcr.io/org/app:latest'],
    '1.0',
  ],
  ['a reference without a tag', { tags: 'ghcr.io/org/app' }, ['ghcr.io/org/app'], 'latest'],
  [
    'mixed: rules cross images, references stay as they are',
    { images: 'r.io/x', tags: 'type=raw,value=v1\nother.io/y:z' },
    ['r.io/x:v1', 'other.io/y:z'],
    'v1',
  ],
])('%s', async (_n, inputs, want, version) => {
  const r = await run(inputs);
  expect(r.host.errors).toEqual([]);
  expect(r.tags).toEqual(want);
  expect(r.build!.argv).toContain('--push');
  expect(r.host.outputs.version).toBe(version);
  expect(r.host.outputs.tags).toBe(want.join('\n'));
});

test('an invalid reference names the tags input, before any docker command', async () => {
  const r = await run({ tags: 'ghcr.io/org/app:.bad' });
  expect(r.host.errors[0]).toMatch(
    /^Input "tags": "ghcr.io\/org\/app:.bad" is neither a tag nor a valid image reference/,
  );
  expect(r.exec.calls).toEqual([]);
});

test('push: true with only full references in tags needs no images', async () => {
  const r = await run({ push: 'true', tags: 'ghcr.io/org/app:1' });
  expect(r.host.errors).toEqual([]);
  expect(r.build!.argv).toContain('--push');
});
