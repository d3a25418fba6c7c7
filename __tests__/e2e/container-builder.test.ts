/**
 * The path GitHub-hosted runners take: the classic image store, so `driver: auto` creates a
 * docker-container builder (real BuildKit), pushing to a registry on the runner's loopback.
 */
import { builderLeftovers, createdBuilder, describeBuildkit, startClassicEngine } from './buildkit.js';
import {
  BUSYBOX_DOCKERFILE,
  docker,
  indexPlatforms,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  runJob,
  uniqueName,
  type Workflow,
} from './harness.js';
import type { PrivateEngine } from './private-engine.js';

const T = 600_000;
const BOTH = 'linux/amd64,linux/arm64';

describeBuildkit('classic image store, driver auto: a docker-container builder this action creates', () => {
  let engine: PrivateEngine;
  beforeAll(async () => {
    engine = await startClassicEngine();
  }, T);
  afterAll(async () => engine?.stop(), T);
  const job = (wf: Omit<Workflow, 'workspace'> & { workspace?: string }) =>
    runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      traceDocker: true,
      ...wf,
      env: { DOCKER_HOST: engine.host, ...wf.env },
    });
  const leftovers = (name: string) => builderLeftovers(name, engine.docker);

  test(
    'amd64 + arm64 pushed to a loopback registry with no driver option given: verified, arm64 prints aarch64, nothing left after post',
    async () => {
      expect(engine.docker(['info', '--format', '{{json .DriverStatus}}'])).not.toMatch(/io\.containerd\.snapshotter/);
      const repo = uniqueName('e2e/classic-auto');
      const j = await job({
        inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1', platforms: BOTH, push: 'true', 'smoke-test': 'uname -m' },
      });
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      const name = createdBuilder(j.main.outputs);
      expect(j.main.outputs.driver).toBe('docker-container');
      expect(j.main.stdout).toMatch(
        /driver auto: docker-container, a builder this action creates \(the engine uses the classic image store/,
      );
      expect(j.main.stdout).toMatch(/driver-opts network=host added: 127\.0\.0\.1:5000 is on this runner's loopback/);
      const create = j.main.dockerCalls.find((a) => a[1] === 'create')!;
      expect(create).toEqual(expect.arrayContaining(['--driver', 'docker-container', '--driver-opt', 'network=host']));
      // verify read every tag back; the smoke test ran the pushed image on each platform
      expect(j.main.outputs.manifests).toBeTruthy();
      expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
        'linux/amd64': 'x86_64',
        'linux/arm64': 'aarch64',
      });
      const pushed = await registryManifest(repo, 'v1');
      expect(indexPlatforms(pushed.body)).toEqual(['linux/amd64', 'linux/arm64']);
      // post: the builder, its container and its state volume are gone
      expect(j.post.code).toBe(0);
      expect(j.post.dockerCalls).toContainEqual(['buildx', 'rm', '--force', '--', name]);
      expect(leftovers(name)).toEqual([]);
      expect(docker(['buildx', 'inspect', name]).code).not.toBe(0);
    },
    T,
  );

  test(
    'a pull request (push: auto) smoke-tests both platforms on the image just built, then removes the loaded tags',
    async () => {
      const repo = uniqueName('e2e/classic-pr');
      const j = await job({
        eventName: 'pull_request',
        ref: 'refs/pull/7/merge',
        inputs: { images: `${REGISTRY}/${repo}`, platforms: BOTH, 'smoke-test': 'cat /built-on' },
      });
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      expect(j.main.outputs.pushed).toBe('false');
      // each platform's RUN step wrote where it ran: the smoke test ran what this build made
      expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
        'linux/amd64': 'x86_64',
        'linux/arm64': 'aarch64',
      });
      expect(j.main.stdout).toMatch(/smoke-test: loading linux\/arm64 into the engine/);
      // the classic store cannot take the build's own multi-platform export: the log says so
      expect(j.main.stdout).toContain(
        "smoke-test: each platform is loaded after the build by a build of its own (the engine's classic image store holds one platform per tag)",
      );
      const loads = j.main.dockerCalls.filter((a) => a[1] === 'build' && a.includes('--load'));
      expect(loads).toHaveLength(2);
      expect((await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`)).status).not.toBe(200);
      const name = createdBuilder(j.main.outputs);
      expect(leftovers(name)).toEqual([]);
      // the run-unique smoke tags are gone from the engine
      expect(engine.docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).not.toMatch(/multiarch-smoke/);
    },
    T,
  );

  test(
    'load: true on a docker-container builder puts the single-platform image in the engine',
    async () => {
      const image = `${uniqueName('e2e/classic-load')}`;
      const j = await job({
        inputs: { images: image, tags: 'v1', platforms: 'linux/arm64', load: 'true', 'smoke-test': 'uname -m' },
      });
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({ 'linux/arm64': 'aarch64' });
      expect(engine.docker(['image', 'inspect', '--format', '{{.Architecture}}', `${image}:v1`]).trim()).toBe('arm64');
      // arch-checked from an export beside the load; imageid is still the loaded image's ID (its config's digest)
      expect(j.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file/);
      expect(j.main.outputs.imageid).toBe(
        engine.docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:v1`]).trim(),
      );
      engine.docker(['image', 'rm', `${image}:v1`]);
    },
    T,
  );

  test(
    'shard + merge on a docker-container builder: buildx pushes by digest itself, no skopeo',
    async () => {
      const repo = uniqueName('e2e/classic-shard');
      const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
      const shards = [];
      for (const platform of ['linux/amd64', 'linux/arm64']) {
        const s = await job({
          workspace: ws,
          inputs: { images: `${REGISTRY}/${repo}`, platforms: platform, mode: 'shard', push: 'true' },
        });
        expect(s.main.errors).toEqual([]);
        expect(s.main.code).toBe(0);
        expect(s.main.stdout).not.toMatch(/skopeo/);
        const build = s.main.dockerCalls.find((a) => a[1] === 'build')!;
        expect(build).toContain(
          `type=image,name=${REGISTRY}/${repo},push-by-digest=true,name-canonical=true,push=true`,
        );
        shards.push(s.main.outputs.shard!);
      }
      const merge = await job({
        workspace: ws,
        inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1', mode: 'merge', push: 'true', digests: shards.join('\n') },
      });
      expect(merge.main.errors).toEqual([]);
      expect(merge.main.code).toBe(0);
      expect(indexPlatforms((await registryManifest(repo, 'v1')).body)).toEqual(['linux/amd64', 'linux/arm64']);
    },
    T,
  );

  test(
    'an existing builder: used, never removed, and a warning with the fix when it cannot reach the loopback registry',
    async () => {
      const name = uniqueName('e2e-existing');
      engine.docker(['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap']);
      try {
        const j = await job({
          inputs: {
            images: `${REGISTRY}/${uniqueName('e2e/existing')}`,
            platforms: 'linux/amd64',
            push: 'false',
            builder: name,
          },
        });
        expect(j.main.errors).toEqual([]);
        expect(j.main.code).toBe(0);
        expect(j.main.outputs).toMatchObject({ builder: name, driver: 'docker-container' });
        expect(j.main.warnings).toEqual([
          expect.stringMatching(
            new RegExp(
              `127\\.0\\.0\\.1:5000 is on this runner's loopback, but builder ${name} runs BuildKit in a container.*--driver-opt network=host`,
            ),
          ),
        ]);
        expect(j.main.dockerCalls.filter((a) => a[1] === 'create')).toEqual([]);
        expect(j.post.dockerCalls.filter((a) => a[1] === 'rm')).toEqual([]);
        expect(builderLeftovers(name, engine.docker)).toHaveLength(2); // its container and volume stay
      } finally {
        engine.docker(['buildx', 'rm', '--force', '--', name]);
      }
    },
    T,
  );
});
