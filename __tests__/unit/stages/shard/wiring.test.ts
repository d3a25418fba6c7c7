import { runMain } from '../../../../src/pipeline/main.js';
import { fakeDeps, fakeEngine, fakeExec, fakeFiles, fakeHost } from '../../fakes.js';

const ws = { '/ws/Dockerfile': 'FROM scratch\n' };
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('mode inputs: errors name the input, before any command', () => {
  test.each<[string, Record<string, string>, string, RegExp]>([
    ['unknown mode', { mode: 'split' }, 'mode', /"split" is not valid: use build, shard or merge/],
    ['shard with two platforms', { mode: 'shard', platforms: 'linux/amd64,linux/arm64' }, 'platforms', /exactly one platform, but 2 are set/],
    ['shard with two images', { mode: 'shard', platforms: 'linux/arm64', images: `${IMG}\nghcr.io/org/b` }, 'images', /exactly one image name/],
    ['merge without digests', { mode: 'merge' }, 'digests', /is empty/],
    ['merge with a malformed digest', { mode: 'merge', digests: `${A}\n${IMG}@sha256:123` }, 'digests', /entry 2/],
    ['merge with push false', { mode: 'merge', digests: A, push: 'false' }, 'push', /false cannot be combined with mode merge/],
    ['digests without merge', { digests: A }, 'digests', /only used with mode: merge/],
  ])('%s', async (_n, inputs, input, why) => {
    const host = fakeHost({ images: IMG, platforms: 'linux/amd64', push: 'auto', context: '.', ...inputs });
    const exec = fakeExec();
    await runMain(fakeDeps(host, exec, fakeFiles(ws)));
    expect(host.failed).toBe(true);
    expect(host.errors.some((e) => e.startsWith(`Input "${input}"`) && why.test(e))).toBe(true);
    expect(exec.calls).toEqual([]);
  });
});

const engine = (registry: Record<string, object>, config: Record<string, object> = {}) =>
  fakeEngine(({ argv }) => {
    if (argv[2] === 'imagetools' && argv[3] === 'inspect') {
      const ref = argv[4]!;
      const table = argv[6] === '{{json .Image}}' ? config : registry;
      const found = table[ref];
      return found ? { stdout: JSON.stringify(found) } : { code: 1, stderr: `ERROR: ${ref}: not found` };
    }
    return {};
  });

const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json' };

describe('mode shard through the pipeline', () => {
  const files = { ...ws, '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': A }) };

  test('docker driver: no tags, an OCI layout, then a copy by digest; shard output', async () => {
    const host = fakeHost({ images: IMG, tags: 'v1', platforms: 'linux/amd64', push: 'auto', context: '.', mode: 'shard', qemu: 'auto' });
    const exec = engine({});
    await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.errors).toEqual([]);
    const build = exec.calls.find((c) => c.argv[2] === 'build')!.argv;
    expect(build).not.toContain('--tag');
    expect(build).not.toContain('--push');
    expect(build).toEqual(expect.arrayContaining(['--platform', 'linux/amd64', '--output', 'type=oci,dest=/tmp/rt/multiarch-XXXX/shard-oci,tar=false']));
    const push = exec.calls.find((c) => c.argv[0] === 'skopeo')!.argv;
    expect(push.slice(-2)).toEqual(['oci:/tmp/rt/multiarch-XXXX/shard-oci', `docker://${IMG}@${A}`]);
    // a native platform: no emulator installer
    expect(exec.calls.some((c) => c.argv[1] === 'run')).toBe(false);
    expect(JSON.parse(host.outputs.shard!)).toEqual({ image: IMG, platform: 'linux/amd64', digest: A });
    expect(host.outputs.digest).toBe(A);
  });

  test('docker-container driver: buildx pushes by digest itself', async () => {
    const host = fakeHost({ images: IMG, platforms: 'linux/arm64', push: 'true', context: '.', mode: 'shard', qemu: 'false', driver: 'docker-container' });
    const exec = engine({});
    await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.errors).toEqual([]);
    const build = exec.calls.find((c) => c.argv[2] === 'build')!.argv;
    expect(build).toEqual(expect.arrayContaining(['--output', `type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`]));
    expect(build).not.toContain('--tag');
    expect(exec.calls.some((c) => c.argv[0] === 'skopeo')).toBe(false);
  });
});

describe('mode merge through the pipeline', () => {
  const env = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' };
  const base = { images: IMG, tags: 'type=semver,pattern={{version}}', context: 'not-checked-out', push: 'auto', mode: 'merge' };

  test('creates the index under every tag after every check, then verifies it', async () => {
    const index = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'f'.repeat(64)}`, manifests: [
      { digest: A, platform: { os: 'linux', architecture: 'amd64' } },
      { digest: B, platform: { os: 'linux', architecture: 'arm64' } },
    ] };
    const exec = engine({ [`${IMG}@${A}`]: manifest, [`${IMG}@${B}`]: manifest, [`${IMG}:1.2.3`]: index, [`${IMG}:latest`]: index }, { [`${IMG}@${B}`]: { os: 'linux', architecture: 'arm64' } });
    const host = fakeHost({ ...base, digests: `{"image":"${IMG}","platform":"linux/amd64","digest":"${A}"}\n${B}` });
    await runMain(fakeDeps(host, exec, fakeFiles(ws), env));
    expect(host.errors).toEqual([]);
    // no build and no builder in a merge job
    expect(exec.calls.some((c) => c.argv[1] === 'buildx' && ['build', 'create', 'inspect'].includes(c.argv[2]!))).toBe(false);
    const create = exec.calls.find((c) => c.argv[3] === 'create')!.argv;
    expect(create).toEqual(['docker', 'buildx', 'imagetools', 'create', '--tag', `${IMG}:1.2.3`, '--tag', `${IMG}:latest`, `${IMG}@${A}`, `${IMG}@${B}`]);
    // every inspect of the shards came before the create
    const createAt = exec.calls.findIndex((c) => c.argv[3] === 'create');
    expect(exec.calls.slice(createAt + 1).every((c) => c.argv[3] === 'inspect' && !c.argv[4]!.includes('@'))).toBe(true);
    expect(host.outputs.digest).toBe(index.digest);
    expect(JSON.parse(host.outputs.manifests!)).toEqual({ 'linux/amd64': A, 'linux/arm64': B });
    expect(host.outputs.tags).toBe(`${IMG}:1.2.3\n${IMG}:latest`);
  });

  test.each<[string, Record<string, object>, string, RegExp]>([
    ['a digest not in the registry', { [`${IMG}@${A}`]: manifest }, `${IMG}@${A}\n${IMG}@${B}`, /not in the registry: ghcr.io\/org\/app@sha256:b+ \(ERROR: .*not found\)/],
    ['duplicate platforms', { [`${IMG}@${A}`]: manifest, [`${IMG}@${B}`]: manifest }, `{"platform":"linux/amd64","digest":"${A}"}\n{"platform":"linux/amd64","digest":"${B}"}`, /duplicate platforms: linux\/amd64/],
    ['another image', {}, `ghcr.io/org/other@${A}`, /Input "digests": .*another image/],
  ])('%s: fails before anything is created', async (_n, registry, digests, why) => {
    const exec = engine(registry);
    const host = fakeHost({ ...base, digests });
    await runMain(fakeDeps(host, exec, fakeFiles(ws), env));
    expect(host.failed).toBe(true);
    expect(host.errors.join('\n')).toMatch(why);
    expect(exec.calls.some((c) => c.argv[3] === 'create')).toBe(false);
  });

  test('pull request (push auto): nothing is merged', async () => {
    const exec = engine({});
    const host = fakeHost({ ...base, digests: A });
    await runMain(fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/1/merge' }));
    expect(host.errors).toEqual([]);
    expect(exec.calls.some((c) => c.argv[2] === 'imagetools')).toBe(false);
  });
});

test('merge dry run: shards are looked up (read-only), nothing is created', async () => {
  const exec = engine({ [`${IMG}@${A}`]: manifest }, { [`${IMG}@${A}`]: { os: 'linux', architecture: 'amd64' } });
  const host = fakeHost({ images: IMG, tags: 'v1', push: 'true', mode: 'merge', digests: A, 'dry-run': 'true' });
  await runMain(fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
  expect(host.errors).toEqual([]);
  expect(exec.calls.some((c) => c.argv[3] === 'create')).toBe(false);
  expect(host.infos.join('\n')).toContain('"imagetools"');
  expect(host.outputs.pushed).toBe('false');
  expect(JSON.parse(host.outputs.manifests!)).toEqual({ 'linux/amd64': A });
});
