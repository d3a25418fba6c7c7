import * as path from 'node:path';

import { runMain } from '../../../../src/pipeline/main.js';
import type { ArtifactStore } from '../../../../src/ports/artifacts.js';
import { fakeDeps, fakeExec, fakeFiles, fakeHost } from '../../fakes.js';
import { registryEngine, servedDigest } from '../merge/registry.js';

const ws = { '/ws/Dockerfile': 'FROM scratch\n' };
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('mode inputs: errors name the input, before any command', () => {
  test.each<[string, Record<string, string>, string, RegExp]>([
    ['unknown mode', { mode: 'split' }, 'mode', /"split" is not valid: use build, shard or merge/],
    [
      'shard with two platforms',
      { mode: 'shard', platforms: 'linux/amd64,linux/arm64' },
      'platforms',
      /exactly one platform, but 2 are set/,
    ],
    [
      'shard with two images',
      { mode: 'shard', platforms: 'linux/arm64', images: `${IMG}\nghcr.io/org/b` },
      'images',
      /exactly one image name/,
    ],
    ['merge without digests', { mode: 'merge' }, 'digests', /is empty/],
    ['merge with a malformed digest', { mode: 'merge', digests: `${A}\n${IMG}@sha256:123` }, 'digests', /entry 2/],
    [
      'merge with push false',
      { mode: 'merge', digests: A, push: 'false' },
      'push',
      /false cannot be combined with mode merge/,
    ],
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

describe('mode shard through the pipeline', () => {
  const files = { ...ws, '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': A }) };

  test('docker driver: no tags, an OCI layout, then a copy by digest; shard output', async () => {
    const host = fakeHost({
      images: IMG,
      tags: 'v1',
      platforms: 'linux/amd64',
      push: 'auto',
      context: '.',
      mode: 'shard',
      qemu: 'auto',
    });
    const exec = registryEngine({});
    await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.errors).toEqual([]);
    const build = exec.calls.find((c) => c.argv[2] === 'build')!.argv;
    expect(build).not.toContain('--tag');
    expect(build).not.toContain('--push');
    expect(build).toEqual(
      expect.arrayContaining([
        '--platform',
        'linux/amd64',
        '--output',
        'type=oci,dest=/tmp/rt/multiarch-XXXX/shard-oci,tar=false',
      ]),
    );
    const push = exec.calls.find((c) => c.argv[0] === 'skopeo')!.argv;
    expect(push.slice(-2)).toEqual(['oci:/tmp/rt/multiarch-XXXX/shard-oci', `docker://${IMG}@${A}`]);
    // a native platform: no emulator installer
    expect(exec.calls.some((c) => c.argv[1] === 'run')).toBe(false);
    expect(JSON.parse(host.outputs.shard!)).toEqual({ image: IMG, platform: 'linux/amd64', digest: A });
    expect(host.outputs.digest).toBe(A);
  });

  test('docker-container driver: buildx pushes by digest itself', async () => {
    const host = fakeHost({
      images: IMG,
      platforms: 'linux/arm64',
      push: 'true',
      context: '.',
      mode: 'shard',
      qemu: 'false',
      driver: 'docker-container',
    });
    const exec = registryEngine({});
    await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.errors).toEqual([]);
    const build = exec.calls.find((c) => c.argv[2] === 'build')!.argv;
    expect(build).toEqual(
      expect.arrayContaining(['--output', `type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`]),
    );
    expect(build).not.toContain('--tag');
    expect(exec.calls.some((c) => c.argv[0] === 'skopeo')).toBe(false);
  });
});

// the artifact steps (uploadShardResult, readShardRefs)
const env = {
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'shard',
  ACTIONS_RUNTIME_TOKEN: 'x.e30.y',
  ACTIONS_RESULTS_URL: 'https://results/',
};

/** An in-memory artifact service over the fake files. */
function memoryStore(
  files: ReturnType<typeof fakeFiles>,
  fail?: string,
): ArtifactStore & { artifacts: { id: number; name: string; content: string }[] } {
  const artifacts: { id: number; name: string; content: string }[] = [];
  return {
    artifacts,
    available: true,
    warmUp: () => undefined,
    upload: async (name, paths) => {
      if (fail) throw new Error(fail);
      artifacts.push({ id: artifacts.length + 1, name, content: files.readFile(paths[0]!)! });
    },
    list: async () => artifacts.map(({ id, name }) => ({ id, name })),
    download: async (id, dir) =>
      files.writeFile(path.join(dir, 'shard.json'), artifacts.find((a) => a.id === id)!.content),
  };
}

const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json' };

async function shard(files: ReturnType<typeof fakeFiles>, store: ArtifactStore, platform: string, digest: string) {
  files.writeFile('/tmp/rt/multiarch-XXXX/metadata.json', JSON.stringify({ 'containerimage.digest': digest }));
  const host = fakeHost({ images: IMG, platforms: platform, push: 'auto', context: '.', mode: 'shard', qemu: 'false' });
  await runMain({ ...fakeDeps(host, registryEngine({}), files, env), artifacts: store });
  return host;
}

describe('shard results travel as artifacts', () => {
  test('two shards upload; a merge with no digests finds both and creates the index', async () => {
    const files = fakeFiles(ws);
    const store = memoryStore(files);
    for (const [p, d] of [
      ['linux/amd64', A],
      ['linux/arm64', B],
    ] as const) {
      const host = await shard(files, store, p, d);
      expect(host.errors).toEqual([]);
      expect(host.outputs['shard-artifact']).toMatch(
        new RegExp(`^multiarch-shard~ghcr\\.io-org-app~${p.replace('/', '-')}~a1~[0-9a-f]{8}$`),
      );
    }
    expect(store.artifacts.map((a) => JSON.parse(a.content) as object)).toEqual([
      expect.objectContaining({ image: IMG, platform: 'linux/amd64', digest: A, attempt: 1 }),
      expect.objectContaining({ image: IMG, platform: 'linux/arm64', digest: B, attempt: 1 }),
    ]);
    const index = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: A, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: B, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    };
    const exec = registryEngine({ [`${IMG}@${A}`]: manifest, [`${IMG}@${B}`]: manifest, [`${IMG}:v1`]: index });
    const host = fakeHost({
      images: IMG,
      tags: 'v1',
      mode: 'merge',
      push: 'auto',
      platforms: 'linux/amd64,linux/arm64',
    });
    await runMain({ ...fakeDeps(host, exec, files, env), artifacts: store });
    expect(host.errors).toEqual([]);
    expect(exec.calls.find((c) => c.argv[3] === 'create')!.argv.slice(-2)).toEqual([`${IMG}@${A}`, `${IMG}@${B}`]);
    // the index's digest: the sha256 of the bytes the registry holds under the tag (read --raw)
    expect(host.outputs.digest).toBe(servedDigest(index));
  });

  test('a missing platform fails the merge before any docker command that creates', async () => {
    const files = fakeFiles(ws);
    const store = memoryStore(files);
    await shard(files, store, 'linux/amd64', A);
    const exec = registryEngine({ [`${IMG}@${A}`]: manifest });
    const host = fakeHost({
      images: IMG,
      tags: 'v1',
      mode: 'merge',
      push: 'auto',
      platforms: 'linux/amd64,linux/arm64',
    });
    await runMain({ ...fakeDeps(host, exec, files, env), artifacts: store });
    expect(host.failed).toBe(true);
    expect(host.errors.join('\n')).toMatch(/no shard for linux\/arm64 in this run/);
    expect(exec.calls.some((c) => c.argv[2] === 'imagetools')).toBe(false);
  });

  test('a failed upload fails the shard, says the image is pushed and what to do; outputs stay set', async () => {
    const files = fakeFiles(ws);
    const host = await shard(files, memoryStore(files, 'service unavailable (503)'), 'linux/amd64', A);
    expect(host.failed).toBe(true);
    expect(host.errors.join('\n')).toMatch(
      /ghcr\.io\/org\/app@sha256:a+ \(linux\/amd64\) is pushed, but its result could not be uploaded as artifact .*503.*digests input/,
    );
    expect(host.outputs.digest).toBe(A);
    expect(JSON.parse(host.outputs.shard!)).toEqual({ image: IMG, platform: 'linux/amd64', digest: A });
  });

  test('no artifact service: a shard says to pass its shard output; a merge without digests is an input error', async () => {
    const noService = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' };
    const files = fakeFiles({
      ...ws,
      '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': A }),
    });
    const s = fakeHost({
      images: IMG,
      platforms: 'linux/amd64',
      push: 'auto',
      context: '.',
      mode: 'shard',
      qemu: 'false',
    });
    await runMain(fakeDeps(s, registryEngine({}), files, noService));
    expect(s.errors).toEqual([]);
    expect(s.infos.join('\n')).toMatch(/no Actions artifact service.*digests input/);
    const exec = registryEngine({});
    for (const extra of [
      {} as Record<string, string>,
      { GITHUB_SERVER_URL: 'https://ghes.corp.example', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://r/' },
    ]) {
      const m = fakeHost({ images: IMG, tags: 'v1', mode: 'merge', push: 'auto' });
      await runMain(fakeDeps(m, exec, fakeFiles(ws), { ...noService, ...extra }));
      expect(m.errors.join('\n')).toMatch(
        /Input "digests": is empty, .*(no Actions artifact service|Enterprise Server).*pass the shard runs' shard outputs in digests/,
      );
    }
    expect(exec.calls).toEqual([]);
  });
});
