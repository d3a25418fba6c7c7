import { type ArtifactStandIn, startArtifactStandIn } from './artifact-standin.js';
import {
  BUSYBOX_DOCKERFILE,
  indexPlatforms,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  runJob,
  uniqueName,
} from './harness.js';

const isCreate = (c: string[]) => c[0] === 'buildx' && c[1] === 'imagetools' && c[2] === 'create';
const tagsOf = async (repo: string) =>
  ((await (await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`)).json()) as { tags?: string[] | null }).tags ?? [];
const repoOf = (image: string) => image.slice(REGISTRY.length + 1);
/** One stage's time from the step summary's "stage times" row. */
const stageTime = (summary: string, stage: string) => new RegExp(`${stage} ([0-9.]+)s`).exec(summary)?.[1] ?? '?';

describe('shard results as workflow artifacts: a merge without digests', () => {
  const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
  let service: ArtifactStandIn;
  beforeAll(async () => {
    service = await startArtifactStandIn();
  });
  afterAll(async () => {
    await service?.close();
  });

  /** One shard job of workflow run `run` (job run `job`): pushed by digest, its result uploaded. */
  async function shard(image: string, platform: string, run: string, job: string) {
    const res = await runJob({
      workspace: ws,
      inputs: { images: image, mode: 'shard', platforms: platform },
      env: { ...service.env(run, job), GITHUB_RUN_ATTEMPT: '1' },
    });
    return res.main;
  }
  async function merge(image: string, run: string, tags: string, platforms = 'linux/amd64,linux/arm64') {
    return runJob({
      workspace: ws,
      inputs: { images: image, mode: 'merge', tags, platforms },
      env: service.env(run, 'merge-job'),
      traceDocker: true,
    });
  }

  test('two shards upload; the merge finds both, creates the index and verifies it; another run sees none of them', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/shard-art')}`;
    const run = uniqueName('run');
    const digests: Record<string, string> = {};
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const main = await shard(image, platform, run, `job-${platform}`);
      expect(main.errors).toEqual([]);
      expect(main.code).toBe(0);
      expect(main.outputs['shard-artifact']).toMatch(
        /^multiarch-shard~127\.0\.0\.1-5000-e2e-shard-art-[a-z0-9]+~linux-(amd64|arm64)~a1~[0-9a-f]{8}$/,
      );
      digests[platform] = main.outputs.digest!;
      console.log(
        `shard ${platform}: ${main.ms} ms, of which the artifact upload ${stageTime(main.summary, 'shard artifact')} s`,
      );
    }
    expect(service.artifacts.filter((a) => a.run === run && a.finalized)).toHaveLength(2);
    expect(await tagsOf(repoOf(image))).toEqual([]);

    const job = await merge(image, run, 'v1');
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.stdout).toMatch(/2 shard artifact\(s\) of set/);
    console.log(
      `merge: ${job.main.ms} ms, of which listing and downloading the shard artifacts ${stageTime(job.main.summary, 'shard artifacts')} s`,
    );
    expect(job.main.dockerCalls.filter(isCreate)).toHaveLength(1);
    const index = await registryManifest(repoOf(image), 'v1');
    expect(job.main.outputs.digest).toBe(index.digest);
    expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(Object.keys(JSON.parse(job.main.outputs.manifests!) as object)).toEqual(['linux/amd64', 'linux/arm64']);
    // the index holds the shards' own digests (plain manifests, or the image inside each shard's index)
    const shardManifests = await Promise.all(
      ['linux/amd64', 'linux/arm64'].map(async (p) => {
        const m = await registryManifest(repoOf(image), digests[p]!);
        return m.body.manifests
          ? m.body.manifests.find((d) => d.platform?.architecture === p.split('/')[1])!.digest
          : m.digest;
      }),
    );
    expect(Object.values(JSON.parse(job.main.outputs.manifests!) as object)).toEqual(shardManifests);
    expect(job.post.code).toBe(0);

    // a second workflow run with the same image: run-1's shards are not its shards
    const other = await merge(image, uniqueName('run'), 'v1-other');
    expect(other.main.code).toBe(1);
    expect(other.main.errors.join('\n')).toMatch(/no shard for linux\/amd64, linux\/arm64 in this run \(found: none\)/);
    expect(await tagsOf(repoOf(image))).toEqual(['v1']);
  });

  test('a missing shard, a duplicate platform and a shard of another image each fail before any tag is created', async () => {
    const base = uniqueName('e2e/shard-art-bad');
    const image = `${REGISTRY}/${base}/x-y`;
    // a missing platform: only amd64 was uploaded in this run
    const run1 = uniqueName('run');
    expect((await shard(image, 'linux/amd64', run1, 'job-a')).code).toBe(0);
    const missing = await merge(image, run1, 'v1');
    expect(missing.main.code).toBe(1);
    expect(missing.main.errors.join('\n')).toMatch(
      /no shard for linux\/arm64 in this run \(found: linux\/amd64\).*Nothing was created/,
    );
    expect(missing.main.dockerCalls.filter(isCreate)).toEqual([]);

    // a duplicate platform: two matrix legs built linux/amd64 in one run
    const run2 = uniqueName('run');
    for (const [p, job] of [
      ['linux/amd64', 'job-a'],
      ['linux/amd64', 'job-b'],
      ['linux/arm64', 'job-c'],
    ])
      expect((await shard(image, p!, run2, job!)).code).toBe(0);
    const dup = await merge(image, run2, 'v1');
    expect(dup.main.code).toBe(1);
    expect(dup.main.errors.join('\n')).toMatch(
      /duplicate platform linux\/amd64: multiarch-shard~\S+ \(sha256:[0-9a-f]{64}\) and multiarch-shard~/,
    );
    expect(dup.main.dockerCalls.filter(isCreate)).toEqual([]);

    // another image whose name reads the same in an artifact name (x-y vs x/y): refused, not mixed in
    const run3 = uniqueName('run');
    const lookalike = `${REGISTRY}/${base}-x/y`;
    expect((await shard(image, 'linux/amd64', run3, 'job-a')).code).toBe(0);
    expect((await shard(lookalike, 'linux/arm64', run3, 'job-b')).code).toBe(0);
    const foreign = await merge(image, run3, 'v1');
    expect(foreign.main.code).toBe(1);
    expect(foreign.main.errors.join('\n')).toMatch(
      new RegExp(`holds a shard of ${lookalike.replace(/[.]/g, '\\.')} .*shard-key`),
    );
    expect(foreign.main.dockerCalls.filter(isCreate)).toEqual([]);

    for (const job of [missing, dup, foreign]) expect(job.post.code).toBe(0);
    expect(await tagsOf(repoOf(image))).toEqual([]);
    expect(await tagsOf(repoOf(lookalike))).toEqual([]);
  });

  test('a failed upload fails the shard with what to do: the image is pushed, no merge could find it', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/shard-art-up')}`;
    service.failUpload = true;
    try {
      const main = await shard(image, 'linux/amd64', uniqueName('run'), 'job-a');
      expect(main.code).toBe(1);
      expect(main.errors.join('\n')).toMatch(
        /@sha256:[0-9a-f]{64} \(linux\/amd64\) is pushed, but its result could not be uploaded as artifact multiarch-shard~.*digests input/,
      );
      expect(main.outputs.digest).toMatch(/^sha256:/);
    } finally {
      service.failUpload = false;
    }
  });
});
