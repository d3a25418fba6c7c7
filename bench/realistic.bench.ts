/**
 * A realistic app (a small Flask service, apt-get install in a RUN step) on a Debian bookworm base
 * made with debootstrap (scripts/bench-debian-base.sh) and pushed to the local registry as a
 * 2-platform base. Every run is a fresh runner: a new docker-container builder (empty BuildKit
 * state), the layer cache restored through the real @actions/cache client against the stand-in
 * service. Side by side in one run, ours (main + post) vs raw `docker buildx build` (a new builder
 * too, the same cache folder): cold; fresh runner, no change; fresh runner, one source file changed.
 * Also: the cache entry size, and arch-check's cost as a ratio of the build.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type StandIn, startCacheStandIn } from '../__tests__/e2e/cache-standin.js';
import { REGISTRY, ROOT, runJob, uniqueName } from '../__tests__/e2e/harness.js';

const PLATFORMS = 'linux/amd64,linux/arm64';
const BUILDKIT = 'moby/buildkit:buildx-stable-1';
let service: StandIn;
const rows: string[] = [];
const out = (line: string) => {
  rows.push(line);
  process.stdout.write(`${line}\n`);
};

beforeAll(async () => {
  service = await startCacheStandIn();
}, 120_000);
afterAll(async () => {
  await service?.close();
  process.stdout.write(
    `\n==== realistic app bench (machine shared with other helpers' tests) ====\n${rows.join('\n')}\n`,
  );
});

const APP = `from flask import Flask
app = Flask(__name__)

@app.route("/")
def hello():
    return "hello"

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
`;

function pushBase(): string {
  const dir = execFileSync('bash', [path.join(ROOT, 'scripts/bench-debian-base.sh')], { encoding: 'utf8' }).trim();
  const df = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-base-')), 'Dockerfile');
  fs.writeFileSync(df, 'FROM scratch\nARG TARGETARCH\nADD bookworm-$TARGETARCH.tar /\nCMD ["bash"]\n');
  const ref = `${REGISTRY}/bench/bookworm:minbase`;
  execFileSync(
    'docker',
    [
      'buildx',
      'build',
      '--builder',
      'default',
      '--platform',
      PLATFORMS,
      '--provenance=false',
      '--push',
      '-t',
      ref,
      '-f',
      df,
      dir,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return ref;
}

function workspace(base: string): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-app-'));
  fs.writeFileSync(
    path.join(ws, 'Dockerfile'),
    `FROM ${base}\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-flask && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY app.py /app/\nCMD ["python3", "/app/app.py"]\n`,
  );
  fs.writeFileSync(path.join(ws, 'app.py'), APP);
  return ws;
}

/** Raw buildx on a fresh runner: a new builder, the build, the builder removed (as the action's post does). */
function raw(ws: string, cacheFrom: string | undefined, cacheTo: string): number {
  const name = uniqueName('mabench-raw');
  const start = Date.now();
  execFileSync(
    'docker',
    [
      'buildx',
      'create',
      '--name',
      name,
      '--driver',
      'docker-container',
      '--driver-opt',
      'network=host',
      '--driver-opt',
      `image=${BUILDKIT}`,
      '--bootstrap',
    ],
    { stdio: 'ignore' },
  );
  try {
    const from = cacheFrom ? ['--cache-from', `type=local,src=${cacheFrom}`] : [];
    execFileSync(
      'docker',
      [
        'buildx',
        'build',
        '--builder',
        name,
        '--platform',
        PLATFORMS,
        ...from,
        '--cache-to',
        `type=local,dest=${cacheTo},mode=max`,
        ws,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } finally {
    execFileSync('docker', ['buildx', 'rm', name], { stdio: 'ignore' });
  }
  return Date.now() - start;
}

/** A stage's time to the millisecond, from the run's debug log (the summary rounds to tenths). */
const preciseStage = (log: string, name: string) =>
  Number(new RegExp(`::debug::stage time: ${name} ([\\d.]+)s`).exec(log)?.[1] ?? NaN);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stage = (summary: string, name: string) =>
  Number(new RegExp(`(?:\\| |, )${name} ([\\d.]+)s`).exec(summary)?.[1] ?? NaN);
const s = (ms: number) => (ms / 1000).toFixed(1);

test('realistic app: cold, fresh runner, one file changed — ours vs raw buildx; cache size; arch-check cost', async () => {
  const base = pushBase();
  const ws = workspace(base);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-real-'));
  const runnerTemp = path.join(root, 'runner-temp');
  const inputs = {
    platforms: PLATFORMS,
    push: 'false',
    driver: 'docker-container',
    'driver-opts': `network=host\nimage=${BUILDKIT}`,
    'cache-key': `bench-real-${Date.now()}`,
  };
  const ours = async (label: string) => {
    fs.rmSync(runnerTemp, { recursive: true, force: true });
    fs.mkdirSync(runnerTemp, { recursive: true });
    const job = await runJob({
      workspace: ws,
      inputs,
      env: service.env,
      runnerTemp,
      sha: crypto.randomBytes(20).toString('hex'),
    });
    if (job.main.code !== 0) throw new Error(`${label}: ${job.main.stdout.slice(-3000)}`);
    const entry = service.entries.find((e) => e.key === job.main.outputs['cache-key'] && e.finalized);
    const times = JSON.parse(job.main.outputs['platform-times'] ?? '{}') as Record<
      string,
      { seconds: number; emulated: boolean }
    >;
    return {
      ms: job.main.ms + job.post.ms,
      build: stage(job.main.summary, 'build'),
      arch: stage(job.main.summary, 'arch-check'),
      size: entry ? await service.blobSize(entry) : 0,
      times,
      hit: job.main.outputs['cache-hit'],
    };
  };
  const rawCache = path.join(root, 'raw-cache');
  out(
    '| scenario | ours (main+post) s | raw buildx s | ours/raw | our build stage s | arch-check s | arch-check / build | cache entry MiB | per platform (step s) |',
  );
  out('|---|---|---|---|---|---|---|---|---|');
  const row = (name: string, o: Awaited<ReturnType<typeof ours>>, r: number) =>
    out(
      `| ${name} | ${s(o.ms)} | ${s(r)} | ${(o.ms / r).toFixed(2)} | ${o.build} | ${o.arch} | ${((100 * o.arch) / o.build).toFixed(1)}% | ${(o.size / 1024 / 1024).toFixed(1)} | ${Object.entries(
        o.times,
      )
        .map(([p, t]) => `${p} ${t.seconds}${t.emulated ? ' (emulated)' : ''}`)
        .join(', ')} |`,
    );

  const cold = await ours('cold');
  row('cold', cold, raw(ws, undefined, rawCache));
  const warm = await ours('fresh runner, no change');
  row(`fresh runner, no change (cache-hit ${warm.hit})`, warm, raw(ws, rawCache, path.join(root, 'raw-2')));
  fs.appendFileSync(path.join(ws, 'app.py'), '\n# one change\n');
  const changed = await ours('one file changed');
  row(`fresh runner, app.py changed (cache-hit ${changed.hit})`, changed, raw(ws, rawCache, path.join(root, 'raw-3')));
  fs.rmSync(root, { recursive: true, force: true });
});

/**
 * The times of the export steps named `name` in buildx's plain log (s), each step once: a step
 * interrupted by another's lines ("#15 ...") is named again later, and its one DONE line is the
 * first after either name (step numbers restart with each buildx command, so DONE lines are told
 * apart by where they are in the log).
 */
const stepTimes = (log: string, name: RegExp): number[] => {
  const done = new Map<number, number>();
  for (const m of log.matchAll(new RegExp(`^(#\\d+) (${name.source})$`, 'gm'))) {
    const d = new RegExp(`^${m[1]} DONE ([\\d.]+)s$`, 'm').exec(log.slice(m.index));
    if (d) done.set(m.index + d.index, Number(d[1]));
  }
  return [...done.values()];
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** The oci export the build adds for the arch check. */
const OCI_EXPORT = /exporting to oci image format/;
/** The exporters of an image, which BuildKit runs at the same time: the store, a load, the check's copy. */
const IMAGE_EXPORT = /exporting to [a-z ]+/;
/**
 * The wall time of a build's image exports: the longest of the exporters, which run at the same
 * time. The cache export comes after them and does the same work with or without the check (its
 * time varies by a second with the disk), so it is left out.
 */
const exportWall = (log: string) => Math.max(0, ...stepTimes(log, IMAGE_EXPORT));

test('arch-check cost per row: cold, no change, one file changed; pushed and unpushed; docker and docker-container', async () => {
  const base = pushBase();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mabench-arch-'));
  const runnerTemp = path.join(root, 'runner-temp');
  const logs = process.env.BENCH_LOGS;
  const own: string[] = [];
  out(
    '| driver | push | scenario | build stage s | same, arch-check false s | image exports s | same, arch-check false s | arch-check bases s | arch-check stage s | cost s | cost / build | arm64 layers read, from the record | load avg |',
  );
  out('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  // the record of checked layers: a fresh runner has an empty host folder (its record comes with the
  // layer cache); the docker driver's machine keeps its engine cache and its host folder
  const hostTools = path.join(root, 'toolcache');
  const job = async (driver: string, push: boolean, label: string, ws: string, over: Record<string, string>) => {
    fs.rmSync(runnerTemp, { recursive: true, force: true });
    fs.mkdirSync(runnerTemp, { recursive: true });
    const image = `${REGISTRY}/${uniqueName('bench/archapp')}`;
    if (driver === 'docker' && !push) own.push(`${image}:v1`);
    const j = await runJob({
      workspace: ws,
      eventName: push ? 'push' : 'pull_request',
      inputs: { images: image, tags: 'v1', platforms: PLATFORMS, push: String(push), driver, ...over },
      env: {
        ...service.env,
        RUNNER_TOOL_CACHE: driver === 'docker' ? hostTools : fs.mkdtempSync(path.join(root, 'fresh-tools-')),
      },
      runnerTemp,
      sha: crypto.randomBytes(20).toString('hex'),
    });
    if (j.main.code !== 0) throw new Error(`${driver} ${label}: ${j.main.stdout.slice(-3000)}`);
    const log = j.main.stdout + j.main.stderr;
    if (logs) {
      // a repeated row keeps every run's log
      let file = path.join(logs, `${driver}-${push}-${label}`.replace(/[^\w.-]+/g, '_'));
      for (let n = 2; fs.existsSync(`${file}.log`); n++) file = file.replace(/(?:-run\d+)?$/, `-run${n}`);
      fs.writeFileSync(`${file}.log`, log);
    }
    return {
      build: preciseStage(log, 'build'),
      arch: preciseStage(log, 'arch-check') || 0,
      // read before the build (the unpushed one-node export's placeholders): absent otherwise
      bases: preciseStage(log, 'arch-check bases') || 0,
      exports: exportWall(log),
      oci: sum(stepTimes(log, OCI_EXPORT)),
      layers: /arch-check linux\/arm64: .*?(\d+) of (\d+) layer\(s\) read(?:, (\d+) from the record)?/.exec(
        j.main.stdout,
      ),
    };
  };
  /**
   * One row. An unpushed build adds an exporter to the build itself, so the same scenario also runs
   * with arch-check false just before it (the same cache state: its own cache-key series on a fresh
   * runner, the same engine cache on the docker driver). The export's cost is the smaller of two
   * measures, each an overestimate in its own way: the difference in the wall time of the build's
   * image exports (BuildKit's own step times; the exporters run at the same time, so the longest
   * counts) and the difference in the whole build stage (which varies by more than that under
   * emulation). Then the check's own stages are added. A pushed build's command is the same either
   * way: its cost is the check's stages. `prepare` makes the scenario's change before each run;
   * `repeat` runs the pair that many times (medians, and the range of the per-run ratios).
   */
  const row = async (
    driver: string,
    push: boolean,
    scenario: string,
    ws: string,
    over: Record<string, string>,
    control: Record<string, string>,
    prepare: (which: 'control' | 'measured') => void = () => {},
    repeat = 1,
  ) => {
    const pairs: { m: Awaited<ReturnType<typeof job>>; off?: Awaited<ReturnType<typeof job>>; cost: number }[] = [];
    for (let i = 0; i < repeat; i++) {
      let off: Awaited<ReturnType<typeof job>> | undefined;
      if (!push) {
        prepare('control');
        off = await job(driver, push, `${scenario} (control)`, ws, { ...over, ...control, 'arch-check': 'false' });
      }
      prepare('measured');
      const m = await job(driver, push, scenario, ws, over);
      const exportCost = off ? Math.min(m.exports - off.exports, m.build - off.build) : 0;
      pairs.push({ m, off, cost: exportCost + m.bases + m.arch });
    }
    // several runs: the median of each figure, and of each run's cost (its range in brackets)
    const med = (f: (p: (typeof pairs)[number]) => number | undefined) => median(pairs.map((p) => f(p) ?? NaN));
    const f1 = (x: number) => x.toFixed(1);
    const f2 = (x: number) => x.toFixed(2);
    const { m } = pairs[0]!;
    const offBuild = med((p) => p.off?.build);
    const ratio = (c: number, b: number) => `${((100 * c) / b).toFixed(1)}%`;
    const ratios = pairs.map((p) => (100 * p.cost) / (p.off?.build ?? p.m.build)).sort((a, b) => a - b);
    const spread = repeat > 1 ? ` (${ratios[0]!.toFixed(1)}–${ratios.at(-1)!.toFixed(1)}%, ${repeat} runs)` : '';
    const cost = med((p) => p.cost);
    const read = m.layers ? `${m.layers[1]} of ${m.layers[2]}, ${m.layers[3] ?? 0}` : '';
    out(
      `| ${driver} | ${push} | ${scenario} | ${f1(med((p) => p.m.build))} | ${push ? '(same command)' : f1(offBuild)} | ${f1(med((p) => p.m.exports))} (oci ${f1(med((p) => p.m.oci))}) | ${push ? '' : f1(med((p) => p.off?.exports))} | ${f2(med((p) => p.m.bases))} | ${f2(med((p) => p.m.arch))} | ${f2(cost)} | ${ratio(cost, push ? med((p) => p.m.build) : offBuild)}${spread} | ${read} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  };
  // BENCH_ARCH_ROWS=cached: unpushed rows only, the docker driver without its no-cache cold row
  const cachedOnly = process.env.BENCH_ARCH_ROWS === 'cached';
  // BENCH_ARCH_DRIVERS=docker (or docker-container): that driver's rows only
  const drivers = (process.env.BENCH_ARCH_DRIVERS || 'docker-container,docker').split(',');
  const stamp = Date.now();
  for (const push of cachedOnly ? [false] : [false, true]) {
    // docker-container: every run a fresh runner (a new builder), the layer cache through
    // @actions/cache; the control runs keep a cache-key series of their own
    const ws = workspace(base);
    const key = `bench-arch-${push}-${stamp}`;
    const dc = { 'driver-opts': `network=host\nimage=${BUILDKIT}`, 'cache-key': key };
    const dcControl = { 'cache-key': `${key}-control` };
    if (drivers.includes('docker-container')) {
      // the cached rows need a cold run first (each series fills its own cache)
      await row('docker-container', push, 'cold', ws, dc, dcControl);
      await row('docker-container', push, 'fresh runner, no change', ws, dc, dcControl);
      fs.appendFileSync(path.join(ws, 'app.py'), '\n# one change\n');
      await row('docker-container', push, 'fresh runner, app.py changed', ws, dc, dcControl);
    }
    if (!drivers.includes('docker')) continue;
    // docker driver: the engine's builder keeps its cache (never pruned here): cold is no-cache;
    // the control and the measured run each change app.py once, so each sees one file changed
    const wd = workspace(base);
    if (!cachedOnly) await row('docker', push, 'cold (no-cache: true)', wd, { 'no-cache': 'true' }, {});
    else await row('docker', push, 'first run (the engine cache as found)', wd, {}, {});
    // the engine keeps its cache: its cached rows are cheap to run again (BENCH_REPEAT, default 3)
    const repeat = Number(process.env.BENCH_REPEAT) || 3;
    await row('docker', push, 'no change', wd, {}, {}, undefined, repeat);
    const change = (which: string) => fs.appendFileSync(path.join(wd, 'app.py'), `\n# ${which} ${Date.now()}\n`);
    await row('docker', push, 'app.py changed', wd, {}, {}, change, repeat);
  }
  if (own.length) execFileSync('docker', ['image', 'rm', '--force', ...own], { stdio: 'ignore' });
  fs.rmSync(root, { recursive: true, force: true });
});
