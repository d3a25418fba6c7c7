/**
 * BuildKit away from the engine's own builder: the remote driver against a buildkitd on the host
 * (loopback tcp), and a two-node docker-container builder (`append`) whose second node is on another
 * engine reached through a second docker context and pinned to linux/arm64.
 */
import { execFileSync } from 'node:child_process';

import {
  builderLeftovers,
  createdBuilder,
  describeBuildkit,
  type HostBuildkitd,
  sharedDocker,
  startClassicEngine,
  startHostBuildkitd,
} from './buildkit.js';
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
import type { PrivateEngine } from './private-engine.js';

const T = 600_000;
const BOTH = 'linux/amd64,linux/arm64';

describeBuildkit(
  'remote driver: buildkitd on the host',
  () => {
    let daemon: HostBuildkitd;
    beforeAll(async () => {
      daemon = await startHostBuildkitd();
    }, T);
    afterAll(async () => daemon?.stop(), T);
    /** A two-platform build on the host's daemon, its smoke test printing where each platform ran. */
    const remote = (image: string, push: boolean) => ({
      images: `${REGISTRY}/${image}`,
      tags: 'v1',
      platforms: BOTH,
      push: String(push),
      driver: 'remote',
      endpoint: daemon.endpoint,
      'smoke-test': 'cat /built-on',
    });

    test(
      'amd64 + arm64 built there and pushed to a loopback registry; verified; arm64 prints aarch64',
      async () => {
        const repo = uniqueName('e2e/remote');
        const j = await runJob({
          workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
          traceDocker: true,
          inputs: remote(repo, true),
        });
        expect(j.main.errors).toEqual([]);
        expect(j.main.code).toBe(0);
        // the daemon is on this machine: its loopback is the runner's, no warning, no driver option
        expect(j.main.warnings).toEqual([]);
        const name = createdBuilder(j.main.outputs);
        expect(j.main.outputs.driver).toBe('remote');
        expect(j.main.dockerCalls.find((a) => a[1] === 'create')).toEqual([
          'buildx',
          'create',
          '--name',
          name,
          '--driver',
          'remote',
          daemon.endpoint,
        ]);
        expect(j.main.stdout).toMatch(/the remote driver builds away from this engine/);
        expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
          'linux/amd64': 'x86_64',
          'linux/arm64': 'aarch64',
        });
        expect(indexPlatforms((await registryManifest(repo, 'v1')).body)).toEqual(['linux/amd64', 'linux/arm64']);
        expect(j.post.dockerCalls).toContainEqual(['buildx', 'rm', '--force', '--', name]);
        expect(docker(['buildx', 'inspect', name]).code).not.toBe(0);
      },
      T,
    );

    test(
      'a pull request there: one buildx build gives the arch check its layout and the smoke test its image',
      async () => {
        const j = await runJob({
          workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
          traceDocker: true,
          eventName: 'pull_request',
          inputs: remote(uniqueName('e2e/remote-pr'), false),
        });
        expect(j.main.errors).toEqual([]);
        expect(j.main.code).toBe(0);
        // the build is the step's only one: no per-platform load build for the smoke test
        const builds = j.main.dockerCalls.filter((a) => a[0] === 'buildx' && a[1] === 'build');
        expect(builds).toHaveLength(1);
        expect(builds[0]!.some((a) => /^type=docker,name=multiarch-smoke-[0-9a-f]+:build$/.test(a))).toBe(true);
        expect(j.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file\(s\)/);
        expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
          'linux/amd64': 'x86_64',
          'linux/arm64': 'aarch64',
        });
        expect(docker(['image', 'ls', '--format', '{{.Repository}}']).stdout).not.toMatch(/multiarch-smoke-/);
      },
      T,
    );
  },
  { hostDaemon: true },
);

describeBuildkit('a two-node builder from per-arch docker contexts (append)', () => {
  let engine: PrivateEngine;
  let context: string;
  beforeAll(async () => {
    engine = await startClassicEngine();
    context = uniqueName('e2e-arm64-ctx');
    execFileSync('docker', ['context', 'create', context, '--docker', `host=${engine.host}`], { stdio: 'ignore' });
  }, T);
  afterAll(async () => {
    if (context) docker(['context', 'rm', '--force', context]);
    await engine?.stop();
  }, T);

  test(
    'driver auto with append: docker-container, each platform built on its own node',
    async () => {
      const repo = uniqueName('e2e/multinode');
      const node = uniqueName('arm64-node');
      const j = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        traceDocker: true,
        inputs: {
          images: `${REGISTRY}/${repo}`,
          tags: 'v1',
          platforms: BOTH,
          push: 'true',
          // the appended node pins linux/arm64; the action pins the first node (this engine) to the rest
          append: `- name: ${node}\n  endpoint: ${context}\n  platforms: linux/arm64\n`,
          'smoke-test': 'cat /built-on',
          cleanup: 'false',
        },
      });
      const name = j.main.outputs.builder!;
      try {
        expect(j.main.errors).toEqual([]);
        expect(j.main.code).toBe(0);
        createdBuilder(j.main.outputs);
        // on the shared (containerd-store) engine, auto would be the engine's builder: append makes it ours
        expect(j.main.stdout).toMatch(
          /driver auto: docker-container, a builder this action creates, since append, cleanup are set/,
        );
        const creates = j.main.dockerCalls.filter((a) => a[1] === 'create');
        expect(creates.map((a) => a.includes('--append'))).toEqual([false, true]);
        expect(creates[0]).toEqual(expect.arrayContaining(['--platform', 'linux/amd64']));
        expect(j.main.stdout).toContain(
          `builder ${name}: linux/amd64 on node ${name}0, linux/arm64 on node ${node} (each node pinned to its platforms)`,
        );
        expect(j.main.stdout + j.main.stderr).toMatch(new RegExp(`\\[${node} internal\\] booting buildkit`));
        expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
          'linux/amd64': 'x86_64',
          'linux/arm64': 'aarch64',
        });
        // each node's own BuildKit (a container on its own engine) holds only its platform's layers
        const cacheOf = (run: (a: string[]) => string, n: string) =>
          run(['exec', `buildx_buildkit_${n}`, 'buildctl', 'du', '--verbose']);
        const arm = cacheOf(engine.docker, node);
        expect(arm).toMatch(/busybox-arm64/);
        expect(arm).not.toMatch(/busybox-amd64/);
        expect(cacheOf(sharedDocker, `${name}0`)).toMatch(/busybox-amd64/);
        expect(indexPlatforms((await registryManifest(repo, 'v1')).body)).toEqual(['linux/amd64', 'linux/arm64']);
      } finally {
        docker(['buildx', 'rm', '--force', '--', name]);
      }
      expect(builderLeftovers(node, engine.docker)).toEqual([]);
      expect(builderLeftovers(`${name}0`, sharedDocker)).toEqual([]);
    },
    T,
  );

  test(
    "an unpushed 2-platform build on the two nodes is arch-checked from each platform's files",
    async () => {
      const node = uniqueName('arm64-node');
      // every platform gets the x86-64 busybox at /usr/local/bin/tool
      const wrong = `${BUSYBOX_DOCKERFILE}COPY busybox-amd64 /usr/local/bin/tool\n`;
      const j = await runJob({
        workspace: makeWorkspace(wrong),
        eventName: 'pull_request',
        traceDocker: true,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/multinode-pr')}`,
          platforms: BOTH,
          append: `- name: ${node}\n  endpoint: ${context}\n  platforms: linux/arm64\n`,
        },
      });
      expect(j.main.outputs.pushed).toBe('false');
      expect(j.main.warnings.join('\n')).not.toMatch(/arch-check/);
      expect(j.main.errors.join('\n')).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
      expect(j.main.stdout).toMatch(
        /arch-check linux\/amd64: \d+ ELF file\(s\) in \d+ file\(s\), the build's files read, 0 for another/,
      );
      const builds = j.main.dockerCalls.filter((a) => a[0] === 'buildx' && a[1] === 'build');
      expect(builds).toHaveLength(1);
      expect(builds[0]).toContainEqual(
        expect.stringMatching(/^type=local,dest=.*arch-check-files,platform-split=true$/),
      );
      expect(j.main.summary).toMatch(/\| linux\/arm64 \| \*\*1 wrong\*\* \(amd64\) \| \d+ \| \d+ \| none \(files\) \|/);
      expect(builderLeftovers(node, engine.docker)).toEqual([]);
    },
    T,
  );
});
