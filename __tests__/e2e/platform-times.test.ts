import { docker, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

const PLATFORMS = 'linux/amd64,linux/arm64';

describe('platform-times: each platform’s build-step time, emulated ones marked', () => {
  test('a 2-platform build with a RUN step: linux/arm64 ran emulated, with its step times; summary and output', async () => {
    // a base image, so the steps print their platform (buildx leaves it out for RUN in a scratch stage)
    const base = `${REGISTRY}/${uniqueName('e2e/times-base')}:v1`;
    const bws = makeWorkspace('FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\n');
    let res = docker(['buildx', 'build', '--platform', PLATFORMS, '--push', '--provenance=false', '--tag', base, bws]);
    if (res.code !== 0)
      res = docker(['buildx', 'build', '--platform', PLATFORMS, '--push', '--provenance=false', '--tag', base, bws]);
    expect(res.stderr).toBe('');
    const ws = makeWorkspace(
      `FROM ${base}\nRUN ["/bin/busybox", "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; /bin/busybox uname -m > /built-on"]\n`,
    );
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/times')}`,
        push: 'false',
        platforms: PLATFORMS,
        'no-cache': 'true',
      },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const times = JSON.parse(job.main.outputs['platform-times']!) as Record<
      string,
      {
        emulated: boolean;
        seconds: number;
        steps: number;
        cached: number;
        slowest: { step: string; seconds: number }[];
      }
    >;
    expect(Object.keys(times).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(times['linux/amd64']!.emulated).toBe(false);
    expect(times['linux/arm64']!.emulated).toBe(true);
    for (const t of Object.values(times)) {
      expect(t.steps).toBeGreaterThanOrEqual(1);
      expect(t.slowest.map((s) => s.step)).toContainEqual(
        expect.stringMatching(/^\[2\/2\] RUN \["\/bin\/busybox", "sh"/),
      );
      expect(t.slowest[0]!.seconds).toBeGreaterThanOrEqual(0);
    }
    expect(job.main.summary).toMatch(/#### time per platform/);
    expect(job.main.summary).toMatch(/\| linux\/arm64 \| emulated \| [\d.]+s \| \d+ \| \d+ \| \[2\/2\] RUN/);
    expect(job.main.summary).toMatch(/\| linux\/amd64 \| native \|/);
  }, 300_000);
});
