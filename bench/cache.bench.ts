/**
 * Layer cache benchmarks (npm run bench). On a private engine (its build cache pruned before every
 * build, like a fresh runner), with the real @actions/cache against the test stand-in service.
 * (a) warm no-change rebuild: the action (restore + build + swap + save) vs the raw
 *     `docker buildx build` it runs (its argv, from a traced run) given the same cache folder,
 *     alternating A/B; medians and ratio.
 * (b) cache size after 10 rebuilds that each change one large incompressible layer: the action's
 *     saved cache vs after one build, and vs the naive recipe (cache-to the same folder, no swap).
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type StandIn, startCacheStandIn } from '../__tests__/e2e/cache-standin.js';
import { makeWorkspace, runJob } from '../__tests__/e2e/harness.js';
import { type PrivateEngine, startPrivateEngine } from '../__tests__/e2e/private-engine.js';
import { dirBytes } from '../src/ports/actions-cache.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const REBUILDS = Number(process.env.BENCH_REBUILDS || 10);
const BIG = 2 * 1024 * 1024; // bytes of /dev/urandom-like data per changed layer (≥ 1 MB)

let engine: PrivateEngine;
let service: StandIn;
const report: string[] = [];
const out = (line: string) => {
  report.push(line);
  process.stdout.write(`${line}\n`);
};

beforeAll(async () => {
  [engine, service] = await Promise.all([startPrivateEngine(), startCacheStandIn()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([engine?.stop(), service?.close()]);
  process.stdout.write(`\n==== layer cache bench ====\n${report.join('\n')}\n`);
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The action's own `buildx build` argv (from a traced run), pointed at the raw recipe's folders. */
function replayArgv(traced: string[], root: string, cacheFrom: string, cacheTo: string): string[] {
  const swap: Record<string, string> = {
    '--cache-from': cacheFrom,
    '--cache-to': cacheTo,
    '--metadata-file': path.join(root, 'raw-metadata.json'),
    '--iidfile': path.join(root, 'raw-iid'),
  };
  return traced.map((w, i) => swap[traced[i - 1] ?? ''] ?? w);
}

function timedDocker(argv: string[]): number {
  const start = Date.now();
  execFileSync('docker', argv, {
    env: { ...process.env, DOCKER_HOST: engine.host },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return Date.now() - start;
}

function rawBuild(ws: string, platforms: string, args: string[]): number {
  return timedDocker(['buildx', 'build', '--platform', platforms, ...args, ws]);
}

function fresh(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

const sha = () => crypto.randomBytes(20).toString('hex');

test('(a) warm no-change rebuild: action vs raw buildx with the same restored cache', async () => {
  const platforms = 'linux/amd64,linux/arm64';
  const ws = makeWorkspace(
    `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin && /bin/busybox --install -s /bin"]
RUN --network=none ["/bin/sh", "-c", "head -c 4000000 /dev/urandom > /blob && echo done > /done"]
COPY big.bin /big.bin
`,
  );
  fs.writeFileSync(path.join(ws, 'big.bin'), crypto.randomBytes(BIG));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-a-'));
  const runnerTemp = path.join(root, 'runner-temp');
  const env = { ...service.env, DOCKER_HOST: engine.host };
  const inputs = { platforms, push: 'false' };

  // seed: one cold action run saves the cache; one raw cold build makes the raw recipe's folder
  fresh(runnerTemp);
  engine.pruneBuildCache();
  const seed = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: sha() });
  if (seed.main.code !== 0) throw new Error(`seed run failed: ${seed.main.stdout}${seed.main.stderr}`);
  const rawCache = path.join(root, 'raw-cache');
  engine.pruneBuildCache();
  rawBuild(ws, platforms, ['--cache-to', `type=local,dest=${rawCache},mode=max`]);

  // one traced warm run (untimed: the shim costs time) gives the exact argv B replays
  fresh(runnerTemp);
  engine.pruneBuildCache();
  const traced = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: sha(), traceDocker: true });
  const build = traced.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build');
  if (traced.main.code !== 0 || !build?.includes('--cache-from'))
    throw new Error(`traced run failed or restored nothing: ${traced.main.stdout}`);

  const a: number[] = [];
  const b: number[] = [];
  const cachePath: number[] = []; // the action's cache restore + build + cache save stages
  const stageSeconds = (summary: string, name: string) =>
    Number(new RegExp(`(?:\\| |, )${name} ([\\d.]+)s`).exec(summary)?.[1] ?? NaN);
  for (let i = 0; i < ROUNDS; i++) {
    // A: the action on a fresh runner (new commit: restore by restore-key, build, swap, save), main + post
    fresh(runnerTemp);
    engine.pruneBuildCache();
    const job = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: sha() });
    if (job.main.code !== 0 || job.main.outputs['cache-hit'] !== 'partial')
      throw new Error(`action run ${i} failed or missed`);
    a.push(job.main.ms + job.post.ms);
    cachePath.push(
      1000 *
        (stageSeconds(job.main.summary, 'cache restore') +
          stageSeconds(job.main.summary, 'build') +
          stageSeconds(job.main.summary, 'cache save')),
    );
    if (i === ROUNDS - 1)
      out(
        `    last action run: main ${job.main.ms} ms, post ${job.post.ms} ms; ${/stage times \| ([^|]*)/.exec(job.main.summary)?.[1]?.trim()}; ${job.main.summary
          .split('\n')
          .filter((l) => /^- (restored|saved)/.test(l))
          .join('; ')}`,
      );
    // B: the same buildx argv with the same cache folder already on disk, exporting to a new folder
    engine.pruneBuildCache();
    const next = path.join(root, `raw-new-${i}`);
    b.push(timedDocker(replayArgv(build, root, `type=local,src=${rawCache}`, `type=local,dest=${next},mode=max`)));
    fs.rmSync(next, { recursive: true, force: true });
  }
  const ratio = median(a) / median(b);
  out(`(a) warm no-change rebuild, ${platforms}, ${ROUNDS} alternating rounds`);
  out(
    `    action (restore+build+swap+save, main+post): ${a.map((x) => (x / 1000).toFixed(2)).join(' ')} s → median ${(median(a) / 1000).toFixed(2)} s`,
  );
  out(
    `    raw docker buildx build (the action's argv), same cache: ${b.map((x) => (x / 1000).toFixed(2)).join(' ')} s → median ${(median(b) / 1000).toFixed(2)} s`,
  );
  out(`    ratio action/raw: ${ratio.toFixed(2)} (goal ≤ 1.2)`);
  out(
    `    the action's cache restore + build + cache save stages only: median ${(median(cachePath) / 1000).toFixed(2)} s → ratio ${(median(cachePath) / median(b)).toFixed(2)} (the rest is node start-up and the qemu/builder probes)`,
  );
  fs.rmSync(root, { recursive: true, force: true });
});

test('(b) cache size after rebuilds that each change one large layer: action vs one build vs naive recipe', async () => {
  const platforms = 'linux/amd64';
  const dockerfile = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
COPY big.bin /big.bin
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox cat /big.bin > /copy-of-big"]
`;
  const ws = makeWorkspace(dockerfile);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-b-'));
  const runnerTemp = path.join(root, 'runner-temp');
  const env = { ...service.env, DOCKER_HOST: engine.host };
  const inputs = { platforms, push: 'false', 'cache-key': `bench-b-${Date.now()}` };
  const naive = path.join(root, 'naive-cache');

  const actionSizes: number[] = [];
  const naiveSizes: number[] = [];
  for (let i = 0; i <= REBUILDS; i++) {
    fs.writeFileSync(path.join(ws, 'big.bin'), crypto.randomBytes(BIG)); // incompressible, new every build
    // the action on a fresh runner; its saved archive size is what the next run downloads
    fresh(runnerTemp);
    engine.pruneBuildCache();
    const job = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: sha() });
    if (job.main.code !== 0) throw new Error(`action build ${i} failed: ${job.main.stderr.slice(-2000)}`);
    const key = job.main.outputs['cache-key']!;
    const entry = service.entries.find((e) => e.key === key && e.finalized);
    if (!entry) throw new Error(`build ${i}: nothing saved`);
    actionSizes.push(await service.blobSize(entry));
    // the naive recipe: cache-from and cache-to the same folder, never moved
    engine.pruneBuildCache();
    const from = fs.existsSync(path.join(naive, 'index.json')) ? ['--cache-from', `type=local,src=${naive}`] : [];
    rawBuild(ws, platforms, [...from, '--cache-to', `type=local,dest=${naive},mode=max`]);
    naiveSizes.push(dirBytes(naive));
  }
  const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
  out(`(b) ${REBUILDS} rebuilds after the first, each changing one ${mb(BIG)} MiB incompressible layer (${platforms})`);
  out(`    action, saved archive MiB per build: ${actionSizes.map(mb).join(' ')}`);
  out(`    naive recipe, folder MiB per build:  ${naiveSizes.map(mb).join(' ')}`);
  out(
    `    action: after ${REBUILDS} rebuilds / after one build = ${(actionSizes[REBUILDS]! / actionSizes[0]!).toFixed(2)} (goal ≤ 1.2)`,
  );
  out(
    `    naive:  after ${REBUILDS} rebuilds / after one build = ${(naiveSizes[REBUILDS]! / naiveSizes[0]!).toFixed(2)}`,
  );
  out(`    naive / action after ${REBUILDS} rebuilds = ${(naiveSizes[REBUILDS]! / actionSizes[REBUILDS]!).toFixed(2)}`);
  fs.rmSync(root, { recursive: true, force: true });
});
