import * as fs from 'node:fs';

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

describe('foundation: the bundled action builds and pushes a real 2-platform image', () => {
  test('pushes an amd64+arm64 index whose digest is the digest output, and each platform runs', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const repo = uniqueName('e2e/skeleton');
    const job = await runJob({
      workspace: ws,
      inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1\nlatest', platforms: 'linux/amd64,linux/arm64', push: 'true' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.outputs.tags).toBe(`${REGISTRY}/${repo}:v1\n${REGISTRY}/${repo}:latest`);
    expect(job.main.outputs.pushed).toBe('true');
    expect(JSON.parse(job.main.outputs.metadata!)['containerimage.digest']).toBe(job.main.outputs.digest);

    const index = await registryManifest(repo, 'v1');
    expect(index.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(job.main.outputs.digest).toBe(index.digest);
    expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
    expect((await registryManifest(repo, 'latest')).digest).toBe(index.digest);

    for (const [platform, arch] of [
      ['linux/arm64', 'aarch64'],
      ['linux/amd64', 'x86_64'],
    ] as const) {
      const run = docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--pull',
        'always',
        '--platform',
        platform,
        `${REGISTRY}/${repo}:v1`,
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n').pop()).toBe(arch);
      // the RUN step ran on that architecture too (under QEMU for arm64)
      const builtOn = docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--platform',
        platform,
        `${REGISTRY}/${repo}:v1`,
        'cat',
        '/built-on',
      ]);
      expect(builtOn.stdout.trim()).toBe(arch);
    }

    expect(job.post.code).toBe(0);
    expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
  });

  test('a failed build fails main with an ::error, and post still cleans up and exits 0', async () => {
    const ws = makeWorkspace(
      'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nRUN ["/bin/busybox", "false"]\n',
    );
    const job = await runJob({
      workspace: ws,
      inputs: { images: `${REGISTRY}/${uniqueName('e2e/fail')}`, tags: 'x', push: 'true' },
    });
    expect(job.main.code).toBe(1);
    expect(job.main.errors.join('\n')).toMatch(/docker buildx build failed/);
    expect(job.main.state.multiarch).toBeDefined();
    expect(job.post.code).toBe(0);
    expect(job.post.stdout).toMatch(/cleanup done/);
    expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
  });

  test('bad inputs fail with an ::error naming the input before any docker command', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const cases: [Record<string, string>, string][] = [
      [{ platforms: 'linux/arm65', images: 'x/y' }, 'platforms'],
      [{ images: '', push: 'true' }, 'images'],
      [{ images: 'x/y', file: 'nope/Dockerfile' }, 'file'],
    ];
    for (const [inputs, name] of cases) {
      const job = await runJob({ workspace: ws, inputs, traceDocker: true });
      expect(job.main.code).toBe(1);
      expect(job.main.errors.length).toBeGreaterThan(0);
      expect(job.main.errors[0]).toContain(`Input "${name}"`);
      expect(job.main.dockerCalls).toEqual([]);
      expect(job.post.code).toBe(0);
    }
  });
});
