import { BUSYBOX_DOCKERFILE, makeWorkspace, REGISTRY, registryManifest, runJob, uniqueName } from './harness.js';

function flagValues(calls: string[][], flag: string): string[] {
  const build = calls.find((c) => c[0] === 'buildx' && c[1] === 'build') ?? [];
  return build.flatMap((a, i) => (a === flag ? [build[i + 1]!] : []));
}

describe('cache modes other than local, on the real engine and registry', () => {
  test('registry: pushes <image>:buildcache when pushing; a pull request only reads it', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE, { 'nonce.txt': uniqueName('n') });
    const repo = uniqueName('e2e/cachereg');
    const image = `${REGISTRY}/${repo}`;
    const push = await runJob({
      workspace: ws,
      inputs: { images: image, tags: 'v1', platforms: 'linux/amd64', cache: 'registry', push: 'true' },
      traceDocker: true,
    });
    expect(push.main.errors).toEqual([]);
    expect(push.main.code).toBe(0);
    expect(flagValues(push.main.dockerCalls, '--cache-from')).toEqual([`type=registry,ref=${image}:buildcache`]);
    expect(flagValues(push.main.dockerCalls, '--cache-to')).toEqual([
      `type=registry,ref=${image}:buildcache,mode=max,ignore-error=true`,
    ]);
    const cache = await registryManifest(repo, 'buildcache');
    expect(cache.digest).toMatch(/^sha256:/);
    expect(push.main.outputs['cache-hit']).toBe('');

    const pr = await runJob({
      workspace: ws,
      inputs: { images: image, platforms: 'linux/amd64', cache: 'registry' },
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      payload: { pull_request: { number: 7 } },
      traceDocker: true,
    });
    expect(pr.main.code).toBe(0);
    expect(pr.main.outputs.pushed).toBe('false');
    expect(flagValues(pr.main.dockerCalls, '--cache-from')).toEqual([`type=registry,ref=${image}:buildcache`]);
    expect(flagValues(pr.main.dockerCalls, '--cache-to')).toEqual([]);
    expect(pr.main.stdout + pr.main.stderr).toMatch(/importing cache manifest from .*buildcache/);
    expect((await registryManifest(repo, 'buildcache')).digest).toBe(cache.digest);
  }, 300_000);

  test('inline, none, and explicit cache-from/cache-to winning over the mode', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const image = `${REGISTRY}/${uniqueName('e2e/cacheinl')}`;
    const inline = await runJob({
      workspace: ws,
      inputs: { images: image, tags: 'v1', platforms: 'linux/amd64', cache: 'inline', push: 'true' },
      traceDocker: true,
    });
    expect(inline.main.code).toBe(0);
    expect(flagValues(inline.main.dockerCalls, '--cache-to')).toEqual(['type=inline']);
    expect(flagValues(inline.main.dockerCalls, '--cache-from')).toEqual([`type=registry,ref=${image}:v1`]);

    const none = await runJob({
      workspace: ws,
      inputs: { platforms: 'linux/amd64', cache: 'none', push: 'false' },
      traceDocker: true,
    });
    expect(none.main.code).toBe(0);
    expect(none.main.warnings).toEqual([]);
    expect(flagValues(none.main.dockerCalls, '--cache-from')).toEqual([]);
    expect(flagValues(none.main.dockerCalls, '--cache-to')).toEqual([]);

    const explicit = await runJob({
      workspace: ws,
      inputs: {
        platforms: 'linux/amd64',
        push: 'false',
        'cache-from': `type=registry,ref=${image}:v1`,
        'cache-to': 'type=inline',
      },
      traceDocker: true,
    });
    expect(explicit.main.code).toBe(0);
    expect(flagValues(explicit.main.dockerCalls, '--cache-from')).toEqual([`type=registry,ref=${image}:v1`]);
    expect(flagValues(explicit.main.dockerCalls, '--cache-to')).toEqual(['type=inline']);
    expect(explicit.main.stdout).toContain('cache-from/cache-to given: using them as is');
  }, 300_000);

  test('cache: local without a cache service (not on GitHub): a log line, no warning, the build works', async () => {
    const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
    const job = await runJob({ workspace: ws, inputs: { platforms: 'linux/amd64', push: 'false' }, traceDocker: true });
    expect(job.main.code).toBe(0);
    expect(job.main.warnings).toEqual([]);
    expect(job.main.stdout).toMatch(/Actions cache service is not available here/);
    expect(flagValues(job.main.dockerCalls, '--cache-to')).toEqual([]);
  }, 300_000);
});
