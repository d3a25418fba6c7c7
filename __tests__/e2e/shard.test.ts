import {
  BUSYBOX_DOCKERFILE,
  docker,
  indexPlatforms,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  runJob,
  uniqueName,
} from './harness.js';

/** Platform manifests of a registry reference: itself for a manifest, the (non-attestation) entries of an index. */
async function platformManifests(repo: string, ref: string): Promise<Record<string, string>> {
  const m = await registryManifest(repo, ref);
  if (!m.body.manifests) return { '': m.digest };
  const out: Record<string, string> = {};
  for (const d of m.body.manifests) {
    if (!d.platform || d.platform.os === 'unknown') continue;
    out[[d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join('/')] = d.digest;
  }
  return out;
}

const isCreate = (c: string[]) => c[0] === 'buildx' && c[1] === 'imagetools' && c[2] === 'create';

describe('scale out: shard per platform, then merge', () => {
  const ws = makeWorkspace(BUSYBOX_DOCKERFILE);

  test('two shards pushed by digest, merged into one index under the event tags', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/shard')}`;
    const repo = image.slice(REGISTRY.length + 1);
    const shards: Record<string, { digest: string; shard: string; manifest: string }> = {};
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const job = await runJob({
        workspace: ws,
        inputs: { images: image, mode: 'shard', platforms: platform },
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const shard = JSON.parse(job.main.outputs.shard!) as { image: string; platform: string; digest: string };
      expect(shard).toEqual({ image, platform, digest: job.main.outputs.digest });
      expect(shard.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      // pushed by digest only: the repository has no tag at all
      const tags = (await (await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`)).json()) as {
        tags?: string[] | null;
      };
      expect(tags.tags ?? []).toEqual([]);
      // the shard's own platform manifest (a shard with attestations is a one-platform index)
      const pm = await platformManifests(repo, shard.digest);
      const manifest = pm[platform] ?? pm['']!;
      expect(manifest).toMatch(/^sha256:/);
      shards[platform] = { digest: shard.digest, shard: job.main.outputs.shard!, manifest };
      // native platform: no emulator installer container
      if (platform === 'linux/amd64') {
        expect(job.main.stdout).toMatch(/linux\/amd64: native/);
        expect(job.main.dockerCalls.some((c) => c[0] === 'run' && c.includes('--privileged'))).toBe(false);
      }
      // buildx's docker driver cannot push by digest: the layout is copied by digest instead
      if (job.main.outputs.driver === 'docker')
        expect(job.main.stdout).toMatch(/copying the built image to the registry by digest/);
      else
        expect(job.main.dockerCalls.find((c) => c[1] === 'build')).toEqual(
          expect.arrayContaining([`type=image,name=${image},push-by-digest=true,name-canonical=true,push=true`]),
        );
      console.log(`shard ${platform}: ${job.main.ms} ms (driver ${job.main.outputs.driver})`);
      expect(job.post.code).toBe(0);
    }

    const merge = await runJob({
      workspace: ws,
      inputs: {
        images: image,
        mode: 'merge',
        tags: 'type=ref,event=branch\ntype=raw,value=v1',
        digests: `${shards['linux/amd64']!.shard}\n${shards['linux/arm64']!.shard}`,
      },
      traceDocker: true,
    });
    expect(merge.main.errors).toEqual([]);
    expect(merge.main.code).toBe(0);
    console.log(`merge: ${merge.main.ms} ms`);
    expect(merge.main.outputs.tags).toBe(`${image}:main\n${image}:v1`);
    // no build, no builder in a merge job
    expect(merge.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
    expect(merge.main.dockerCalls.filter(isCreate)).toHaveLength(1);

    const index = await registryManifest(repo, 'main');
    expect(merge.main.outputs.digest).toBe(index.digest);
    expect((await registryManifest(repo, 'v1')).digest).toBe(index.digest);
    expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
    const merged = await platformManifests(repo, 'main');
    for (const platform of ['linux/amd64', 'linux/arm64']) expect(merged[platform]).toBe(shards[platform]!.manifest);
    expect(JSON.parse(merge.main.outputs.manifests!)).toEqual({
      'linux/amd64': shards['linux/amd64']!.manifest,
      'linux/arm64': shards['linux/arm64']!.manifest,
    });

    const run = docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--pull',
      'always',
      '--platform',
      'linux/arm64',
      `${image}:v1`,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').pop()).toBe('aarch64');
    expect(merge.post.code).toBe(0);
  });

  test('a missing or bogus digest fails the merge before any tag is created', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/shard-bad')}`;
    const repo = image.slice(REGISTRY.length + 1);
    const good = await runJob({
      workspace: ws,
      inputs: { images: image, mode: 'shard', platforms: 'linux/amd64', provenance: 'false' },
    });
    expect(good.main.code).toBe(0);
    const digest = good.main.outputs.digest!;
    // the shard is a plain manifest here; it carries no platform in a bare digest line
    expect((await registryManifest(repo, digest)).body.manifests).toBeUndefined();
    const missing = `sha256:${'0'.repeat(64)}`;
    const cases: [string, RegExp][] = [
      [`${image}@${digest}\n${image}@${missing}`, /not in the registry: .*0{64}/],
      [`${digest}\nsha256:nothex`, /Input "digests": entry 2/],
      [`${image}@${digest}\n${REGISTRY}/e2e/other@${missing}`, /another image/],
    ];
    for (const [digests, why] of cases) {
      const job = await runJob({
        workspace: ws,
        inputs: { images: image, mode: 'merge', tags: 'bad', digests },
        traceDocker: true,
      });
      expect(job.main.code).toBe(1);
      expect(job.main.errors.join('\n')).toMatch(why);
      expect(job.main.dockerCalls.filter(isCreate)).toEqual([]);
      expect(job.post.code).toBe(0);
    }
    const tags = (await (await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`)).json()) as { tags?: string[] | null };
    expect(tags.tags ?? []).toEqual([]);
  });
});
