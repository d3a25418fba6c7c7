import { runMain } from '../../../../src/pipeline/main.js';
import { fakeDeps, fakeFiles, fakeHost } from '../../fakes.js';
import { registryEngine as engine, servedDigest } from './registry.js';

const ws = { '/ws/Dockerfile': 'FROM scratch\n' };
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';
const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json' };

describe('mode merge through the pipeline', () => {
  const env = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' };
  const base = {
    images: IMG,
    tags: 'type=semver,pattern={{version}}',
    context: 'not-checked-out',
    push: 'auto',
    mode: 'merge',
  };

  test('creates the index under every tag after every check, then verifies it', async () => {
    const index = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: A, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: B, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    };
    const exec = engine(
      { [`${IMG}@${A}`]: manifest, [`${IMG}@${B}`]: manifest, [`${IMG}:1.2.3`]: index, [`${IMG}:latest`]: index },
      { [`${IMG}@${B}`]: { os: 'linux', architecture: 'arm64' } },
    );
    const host = fakeHost({ ...base, digests: `{"image":"${IMG}","platform":"linux/amd64","digest":"${A}"}\n${B}` });
    await runMain(fakeDeps(host, exec, fakeFiles(ws), env));
    expect(host.errors).toEqual([]);
    // no build and no builder in a merge job
    expect(exec.calls.some((c) => c.argv[1] === 'buildx' && ['build', 'create', 'inspect'].includes(c.argv[2]!))).toBe(
      false,
    );
    const create = exec.calls.find((c) => c.argv[3] === 'create')!.argv;
    expect(create).toEqual([
      'docker',
      'buildx',
      'imagetools',
      'create',
      '--tag',
      `${IMG}:1.2.3`,
      '--tag',
      `${IMG}:latest`,
      `${IMG}@${A}`,
      `${IMG}@${B}`,
    ]);
    // every inspect of the shards came before the create
    const createAt = exec.calls.findIndex((c) => c.argv[3] === 'create');
    expect(
      exec.calls.slice(createAt + 1).every((c) => c.argv[3] === 'inspect' && !c.argv[c.argv.length - 1]!.includes('@')),
    ).toBe(true);
    // the index's digest: the sha256 of the bytes the registry holds under the tag (read --raw)
    expect(host.outputs.digest).toBe(servedDigest(index));
    expect(JSON.parse(host.outputs.manifests!)).toEqual({ 'linux/amd64': A, 'linux/arm64': B });
    expect(host.outputs.tags).toBe(`${IMG}:1.2.3\n${IMG}:latest`);
  });

  test.each<[string, Record<string, object>, string, RegExp]>([
    [
      'a digest not in the registry',
      { [`${IMG}@${A}`]: manifest },
      `${IMG}@${A}\n${IMG}@${B}`,
      /not in the registry: ghcr.io\/org\/app@sha256:b+ \(ERROR: .*not found\)/,
    ],
    [
      'duplicate platforms',
      { [`${IMG}@${A}`]: manifest, [`${IMG}@${B}`]: manifest },
      `{"platform":"linux/amd64","digest":"${A}"}\n{"platform":"linux/amd64","digest":"${B}"}`,
      /duplicate platforms: linux\/amd64/,
    ],
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
    await runMain(
      fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/1/merge' }),
    );
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
