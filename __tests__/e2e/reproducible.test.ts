/**
 * reproducible: true on the real engine, BuildKit and registry: two builds of one commit, each on a
 * fresh docker-container builder (driver auto picks one for it on this containerd-store engine) with
 * no cache, push the same platform manifests; a commit of another time pushes others; the created
 * label is the commit's time.
 */
import { execFileSync } from 'node:child_process';

import { builderLeftovers, createdBuilder, describeBuildkit, sharedDocker } from './buildkit.js';
import {
  BUSYBOX_DOCKERFILE,
  docker,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  runJob,
  uniqueName,
} from './harness.js';

const T = 600_000;
const BOTH = 'linux/amd64,linux/arm64';
const EPOCH = 1700000000;

/** A workspace that is a git checkout of one commit made at `epoch`; its sha. */
function commitAt(ws: string, epoch: number): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', ws, ...args], {
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'e2e',
        GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
        GIT_COMMITTER_NAME: 'e2e',
        GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
        GIT_AUTHOR_DATE: `@${epoch} +0000`,
        GIT_COMMITTER_DATE: `@${epoch} +0000`,
      },
    }).trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'app');
  return git('rev-parse', 'HEAD');
}

/** Each platform's manifest digest in a pushed index (attestation manifests aside). */
async function platformDigests(repo: string, tag: string): Promise<Record<string, string>> {
  const { body } = await registryManifest(repo, tag);
  return Object.fromEntries(
    (body.manifests ?? [])
      .filter((m) => m.platform && m.platform.os !== 'unknown')
      .map((m) => [`${m.platform!.os}/${m.platform!.architecture}`, m.digest]),
  );
}

/** The image config of one platform manifest. */
async function imageConfig(
  repo: string,
  digest: string,
): Promise<{ created?: string; config?: { Labels?: Record<string, string> } }> {
  const manifest = (await registryManifest(repo, digest)).body as unknown as { config: { digest: string } };
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/blobs/${manifest.config.digest}`);
  return (await res.json()) as never;
}

describeBuildkit('reproducible: same commit, same image digests', () => {
  // the revision label and annotation name the sha: pinned, so only the commit's time can differ
  const pinned = 'org.opencontainers.image.revision=pinned';
  /** One build of `sha` to a repository of its own, tag v1 (the tag is the version label). */
  const build = async (ws: string, sha: string, repo: string) => {
    const j = await runJob({
      workspace: ws,
      sha,
      traceDocker: true,
      inputs: {
        images: `${REGISTRY}/${repo}`,
        tags: 'type=raw,value=v1',
        platforms: BOTH,
        push: 'true',
        reproducible: 'true',
        'no-cache': 'true',
        cache: 'none',
        'arch-check': 'false',
        labels: pinned,
        annotations: pinned,
      },
    });
    expect(j.main.errors).toEqual([]);
    expect(j.main.code).toBe(0);
    expect(j.post.code).toBe(0);
    // a fresh builder each run, gone after post: nothing carries over from one build to the next
    expect(builderLeftovers(createdBuilder(j.main.outputs), sharedDocker)).toEqual([]);
    return j;
  };

  test(
    'two no-cache builds of one commit on fresh builders push identical platform manifests; another commit time, other ones',
    async () => {
      const wsA = makeWorkspace(BUSYBOX_DOCKERFILE);
      const sha = commitAt(wsA, EPOCH);
      // a second checkout of the same commit (other file times): the same tree, author and date
      const wsB = makeWorkspace(BUSYBOX_DOCKERFILE);
      expect(commitAt(wsB, EPOCH)).toBe(sha);
      const [repoA, repoB, repoC] = ['a', 'b', 'c'].map((r) => uniqueName(`e2e/reproducible-${r}`));
      const first = await build(wsA, sha, repoA!);
      expect(first.main.outputs.driver).toBe('docker-container');
      expect(first.main.stdout).toMatch(
        /^::notice::driver auto: docker-container, a builder this action creates, since reproducible is set/m,
      );
      expect(first.main.stdout).toContain(
        `reproducible: SOURCE_DATE_EPOCH=${EPOCH} (2023-11-14T22:13:20.000Z, commit ${sha.slice(0, 12)}, from git)`,
      );
      const argv = first.main.dockerCalls.find((a) => a[1] === 'build')!;
      expect(argv).toEqual(
        expect.arrayContaining([
          '--build-arg',
          `SOURCE_DATE_EPOCH=${EPOCH}`,
          '--output',
          'type=registry,rewrite-timestamp=true',
          '--no-cache',
        ]),
      );
      expect(argv).not.toContain('--push');
      const second = await build(wsB, sha, repoB!);
      expect(second.main.outputs.builder).not.toBe(first.main.outputs.builder);

      const a = await platformDigests(repoA!, 'v1');
      const b = await platformDigests(repoB!, 'v1');
      expect(Object.keys(a).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      expect(b).toEqual(a);
      console.log(`reproducible: same commit → ${JSON.stringify(a)}`);

      // the created label (and the image's own created time) is the commit's time
      for (const digest of Object.values(a)) {
        const config = await imageConfig(repoA!, digest);
        expect(config.config?.Labels?.['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20.000Z');
        expect(config.created).toBe('2023-11-14T22:13:20Z');
      }

      const wsC = makeWorkspace(BUSYBOX_DOCKERFILE);
      const later = commitAt(wsC, EPOCH + 3600);
      await build(wsC, later, repoC!);
      const c = await platformDigests(repoC!, 'v1');
      console.log(`reproducible: commit an hour later → ${JSON.stringify(c)}`);
      expect(Object.keys(c).sort()).toEqual(['linux/amd64', 'linux/arm64']);
      for (const p of Object.keys(a)) expect(c[p]).not.toBe(a[p]);
      const config = await imageConfig(repoC!, c['linux/arm64']!);
      expect(config.config?.Labels?.['org.opencontainers.image.created']).toBe('2023-11-14T23:13:20.000Z');
    },
    T,
  );

  test(
    'load: two builds of one commit on fresh builders load the same image into the engine',
    async () => {
      const image = uniqueName('e2e/reproducible-load');
      const ids: string[] = [];
      const imageids: string[] = [];
      for (const tag of ['one', 'two']) {
        // a fresh checkout each time: its files' times differ, the commit does not
        const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
        const sha = commitAt(ws, EPOCH);
        const j = await runJob({
          workspace: ws,
          sha,
          traceDocker: true,
          inputs: {
            images: image,
            tags: `type=raw,value=${tag}`,
            platforms: 'linux/amd64',
            load: 'true',
            push: 'false',
            reproducible: 'true',
            'no-cache': 'true',
            cache: 'none',
            // the version label and annotation are the tag: pinned, as the two tags differ
            labels: 'org.opencontainers.image.version=pinned',
            annotations: 'org.opencontainers.image.version=pinned',
          },
        });
        expect(j.main.errors).toEqual([]);
        expect(j.main.code).toBe(0);
        const argv = j.main.dockerCalls.find((a) => a[1] === 'build' && a.includes('--no-cache'))!;
        expect(argv).toEqual(expect.arrayContaining(['--output', 'type=docker,rewrite-timestamp=true']));
        expect(argv).not.toContain('--load');
        ids.push(docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:${tag}`]).stdout.trim());
        // the arch check's export beside the load rewrites timestamps too, listed before the load:
        // buildx reports the last exporter, so digest is the loaded image's ID (the containerd
        // store's: its manifest digest; imageid is buildx's config digest, compared across builds)
        const outputs = argv.filter((_a, i) => argv[i - 1] === '--output');
        expect(outputs.findIndex((a) => /^type=oci,.*arch-check\.oci.*,rewrite-timestamp=true$/.test(a))).toBe(
          outputs.length - 2,
        );
        expect(outputs.at(-1)).toBe('type=docker,rewrite-timestamp=true');
        expect(j.main.outputs.digest).toBe(ids.at(-1));
        imageids.push(j.main.outputs.imageid ?? '');
        expect(docker(['image', 'inspect', '--format', '{{.Created}}', `${image}:${tag}`]).stdout.trim()).toBe(
          '2023-11-14T22:13:20Z',
        );
      }
      console.log(`reproducible: loaded image ids ${JSON.stringify(ids)}`);
      expect(ids[0]).toMatch(/^sha256:/);
      expect(ids[1]).toBe(ids[0]);
      expect(imageids[0]).toMatch(/^sha256:/);
      expect(imageids[1]).toBe(imageids[0]);
      docker(['image', 'rm', `${image}:one`, `${image}:two`]);
    },
    T,
  );
});
