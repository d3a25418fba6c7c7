import { docker, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

/** Build and push an amd64-only busybox image (FROM scratch) to the local registry. */
function pushAmd64Base(repo: string): string {
  const ws = makeWorkspace('FROM scratch\nCOPY busybox-amd64 /bin/busybox\n');
  const ref = `${REGISTRY}/${repo}:v1`;
  // the shared registry now and then answers 500; try again like a user would
  let res = docker(['buildx', 'build', '--platform', 'linux/amd64', '--push', '--tag', ref, ws]);
  for (let i = 0; i < 2 && res.code !== 0; i++)
    res = docker(['buildx', 'build', '--platform', 'linux/amd64', '--push', '--tag', ref, ws]);
  if (res.code !== 0) throw new Error(`could not push the base image: ${res.stderr}`);
  return ref;
}

const buildCalls = (calls: string[][]) => calls.filter((c) => c[0] === 'buildx' && c[1] === 'build');

// jest's testTimeout is a global option: the projects' setting does not reach these tests
describe('verification: preflight checks base images before building', () => {
  test('an amd64-only base fails an amd64+arm64 build in preflight, naming the base and linux/arm64, before any build', async () => {
    const repo = uniqueName('e2e/preflight-base');
    const base = pushAmd64Base(repo);
    // the base comes through a global ARG whose default a build-arg overrides
    const ws = makeWorkspace(`ARG BASE_TAG=does-not-exist\nFROM ${REGISTRY}/${repo}:\${BASE_TAG}\nCOPY Dockerfile /\n`);
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/preflight-app')}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64,linux/arm64',
        'build-args': 'BASE_TAG=v1',
      },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    const error = job.main.errors.join('\n');
    expect(error).toContain(base);
    expect(error).toContain('has no linux/arm64');
    expect(error).toContain('it has only linux/amd64');
    expect(buildCalls(job.main.dockerCalls)).toEqual([]);
    expect(job.main.dockerCalls).toContainEqual(['buildx', 'imagetools', 'inspect', '--raw', '--', base]);
    const took = /preflight: 1 base image\(s\) checked in ([\d.]+)s/.exec(job.main.stdout);
    expect(took).not.toBeNull();
    console.log(`preflight failed in ${took![1]}s (whole main step ${job.main.ms} ms); error: ${error}`);
    expect(job.post.code).toBe(0);

    // the same base for amd64 only passes preflight and builds
    const ok = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/preflight-app')}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64',
        'build-args': 'BASE_TAG=v1',
      },
      traceDocker: true,
    });
    expect(ok.main.errors).toEqual([]);
    expect(ok.main.code).toBe(0);
    expect(ok.main.stdout).toContain(`preflight: ${base} has linux/amd64`);
    expect(buildCalls(ok.main.dockerCalls)).toHaveLength(1);
  }, 300_000);

  test('an unreachable base registry only warns; preflight: false skips the check', async () => {
    const ws = makeWorkspace('FROM 127.0.0.1:9/nothing/here:v1\nRUN ["/bin/busybox", "true"]\n');
    const job = await runJob({
      workspace: ws,
      inputs: { images: 'x/y', push: 'false', platforms: 'linux/amd64' },
      traceDocker: true,
    });
    expect(job.main.warnings.join('\n')).toMatch(/could not inspect base image 127\.0\.0\.1:9\/nothing\/here:v1/);
    // the build ran and failed on its own
    expect(buildCalls(job.main.dockerCalls)).toHaveLength(1);
    expect(job.main.code).toBe(1);

    const off = await runJob({
      workspace: ws,
      inputs: { images: 'x/y', push: 'false', platforms: 'linux/amd64', preflight: 'false' },
      traceDocker: true,
    });
    expect(off.main.dockerCalls.filter((c) => c[1] === 'imagetools')).toEqual([]);
  }, 300_000);
});
