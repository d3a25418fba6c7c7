/**
 * Bounded waits, memory and fan-out against the real engine: a registry that stalls, trickles or
 * answers a 400 MB config; a Dockerfile of 120 FROMs; 5,000 refs; outputs too big for GITHUB_ENV.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { docker, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';
import { type ReadFault, startFaultyRegistry } from './registry-faults.js';

/** NODE_OPTIONS preload writing the step's peak RSS (bytes) to $H5_RSS_OUT when it exits. */
function rssProbe(dir: string): { env: Record<string, string>; peak: () => number } {
  const script = path.join(dir, 'rss.cjs');
  const out = path.join(dir, 'rss');
  fs.writeFileSync(
    script,
    "process.on('exit', () => require('fs').writeFileSync(process.env.H5_RSS_OUT, String(process.resourceUsage().maxRSS * 1024)));\n",
  );
  return {
    env: { NODE_OPTIONS: `--require ${script}`, H5_RSS_OUT: out },
    peak: () => Number(fs.readFileSync(out, 'utf8')),
  };
}

describe('registry reads are bounded: deadline, size, digest', () => {
  const base = `e2e/${uniqueName('bounds-base')}`;
  beforeAll(() => {
    // a single-platform base: the arch check reads its manifest, then its config blob
    const ws = makeWorkspace('FROM scratch\nCOPY busybox-amd64 /bin/busybox\n');
    const res = docker([
      'buildx',
      'build',
      '--platform',
      'linux/amd64',
      '--push',
      '--provenance=false',
      '--tag',
      `${REGISTRY}/${base}:v1`,
      ws,
    ]);
    expect(res.code).toBe(0);
  }, 300_000);

  const cases: [ReadFault, RegExp][] = [
    ['stall', /no byte for 2 s \(MULTIARCH_REGISTRY_IDLE_TIMEOUT\); read stopped/],
    ['trickle', /not finished within 6 s \(MULTIARCH_REGISTRY_TOTAL_TIMEOUT\); read stopped/],
    ['huge', /more than the 8388608 bytes accepted; read stopped/],
  ];
  test.each(cases)(
    'a registry that answers the config blob with %s: a warning naming the registry and blob, the build green',
    async (fault, why) => {
      const [host, port] = REGISTRY.split(':');
      const proxy = await startFaultyRegistry({ host: host!, port: Number(port) }, fault);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounds-rss-'));
      const rss = rssProbe(dir);
      try {
        const ws = makeWorkspace(`FROM ${proxy.host}/${base}:v1\nCOPY Dockerfile /\n`);
        const start = Date.now();
        const job = await runJob({
          workspace: ws,
          inputs: { images: `${REGISTRY}/${uniqueName('e2e/bounds')}`, push: 'false', platforms: 'linux/amd64' },
          env: { MULTIARCH_REGISTRY_IDLE_TIMEOUT: '2', MULTIARCH_REGISTRY_TOTAL_TIMEOUT: '6', ...rss.env },
        });
        const ms = Date.now() - start;
        expect(job.main.errors).toEqual([]);
        expect(job.main.code).toBe(0);
        expect(proxy.stats.faulted).toBeGreaterThanOrEqual(1);
        const warning = job.main.warnings.find((w) => w.includes('cannot read base image'));
        expect(warning).toMatch(new RegExp(`registry ${proxy.host}: config blob sha256:[0-9a-f]{64} of ${base}: `));
        expect(warning).toMatch(why);
        const peak = rss.peak();
        // flat: nowhere near the 400 MB served (the step's own baseline is ~100 MB)
        expect(peak).toBeLessThan(250 * 1024 * 1024);
        process.stdout.write(
          `bounds ${fault}: main ${ms} ms, peak RSS ${(peak / 1048576).toFixed(1)} MiB, ${proxy.stats.bytes} bytes served to the fault\n`,
        );
      } finally {
        await proxy.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});

/** A docker first in PATH that records each imagetools call's start and end (ns), then runs the real one. */
function concurrencyShim(dir: string): { pathEnv: string; peak: () => number; calls: () => number } {
  const log = path.join(dir, 'calls.log');
  const script = `#!/usr/bin/env bash
real=$(PATH=\${PATH#*:} command -v docker)
if [ "$2" = imagetools ]; then echo "start $(date +%s%N)" >> ${JSON.stringify(log)}; fi
"$real" "$@"; rc=$?
if [ "$2" = imagetools ]; then echo "end $(date +%s%N)" >> ${JSON.stringify(log)}; fi
exit $rc
`;
  fs.writeFileSync(path.join(dir, 'docker'), script, { mode: 0o755 });
  const events = () =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' ') as ['start' | 'end', string])
          .sort((a, b) => Number(BigInt(a[1]) - BigInt(b[1])) || (a[0] === 'end' ? -1 : 1))
      : [];
  return {
    pathEnv: `${dir}:${process.env.PATH}`,
    calls: () => events().filter((e) => e[0] === 'start').length,
    peak: () => {
      let n = 0;
      let peak = 0;
      for (const [kind] of events()) peak = Math.max(peak, (n += kind === 'start' ? 1 : -1));
      return peak;
    },
  };
}

describe('fan-out is bounded', () => {
  test('a Dockerfile of 120 FROM stages (dry run): at most 4 docker inspects at once, each base still inspected', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounds-shim-'));
    const shim = concurrencyShim(dir);
    const stages = Array.from({ length: 119 }, (_, i) => `FROM ${REGISTRY}/e2e/bounds-none-${i}:v1 AS s${i}`);
    const ws = makeWorkspace(
      [...stages, 'FROM scratch', ...stages.map((_, i) => `COPY --from=s${i} / /s${i}`)].join('\n'),
    );
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/bounds-fan')}`,
        push: 'false',
        platforms: 'linux/amd64',
        'dry-run': 'true',
      },
      env: { PATH: shim.pathEnv },
    });
    expect(job.main.errors).toEqual([]);
    expect(shim.calls()).toBeGreaterThanOrEqual(119);
    expect(shim.peak()).toBeLessThanOrEqual(4);
    process.stdout.write(`bounds fan-out: ${shim.calls()} imagetools calls, at most ${shim.peak()} at once\n`);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 600_000);

  test('5,000 refs: an input error naming tags, before any docker command', async () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `type=raw,value=v${i}`).join('\n');
    const images = Array.from({ length: 5 }, (_, i) => `${REGISTRY}/e2e/bounds-many-${i}`).join('\n');
    const job = await runJob({
      workspace: makeWorkspace('FROM scratch\n'),
      inputs: { images, tags, push: 'false' },
      traceDocker: true,
    });
    expect(job.main.code).not.toBe(0);
    expect(job.main.errors).toEqual([
      expect.stringMatching(
        /^Input "tags": "images" \(5\) × "tags" \(1000 rules\).* give 5000 image references; at most 1000/,
      ),
    ]);
    expect(job.main.dockerCalls).toEqual([]);
  }, 120_000);

  test('outputs too big for the environment are not exported to GITHUB_ENV, with a warning; later steps can start', async () => {
    const long = 'x'.repeat(60);
    const tags = Array.from({ length: 900 }, (_, i) => `type=raw,value=${long}-${i}`).join('\n');
    const job = await runJob({
      workspace: makeWorkspace('FROM scratch\nCOPY busybox-amd64 /bin/busybox\n'),
      inputs: { images: `${REGISTRY}/e2e/${'n'.repeat(40)}`, tags, push: 'false', platforms: 'linux/amd64' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.outputs.json!.length).toBeGreaterThan(64 * 1024);
    expect(job.main.warnings).toContainEqual(
      expect.stringMatching(
        /^DOCKER_METADATA_OUTPUT_JSON is not exported to later steps: its value has \d+ characters, more than the 65536/,
      ),
    );
    expect(job.main.env.DOCKER_METADATA_OUTPUT_JSON).toBeUndefined();
    for (const [k, v] of Object.entries(job.main.env)) expect(k.length + v.length).toBeLessThan(64 * 1024);
    expect(job.main.env.DOCKER_METADATA_OUTPUT_VERSION).toBeDefined();
    const total = Object.entries(job.main.env).reduce((n, [k, v]) => n + k.length + v.length + 2, 0);
    process.stdout.write(`bounds GITHUB_ENV: ${Object.keys(job.main.env).length} variables, ${total} bytes\n`);
  }, 300_000);
});
