/**
 * Per-platform times: read buildx's plain progress (the lines users already see in the log,
 * "#12 [linux/arm64 build 3/4] RUN ...", "#12 DONE 29.2s", "#12 CACHED") and sum each platform's
 * build steps, marking platforms that ran emulated. Pure.
 */
import { acceptedArches } from '../../oci/elf.js';
import { summaryText } from '../../run/summary.js';

export interface StepTime {
  /** The step without its platform ("build 3/4] RUN make" → "[build 3/4] RUN make"). */
  step: string;
  seconds: number;
}

export interface PlatformTime {
  /** Not native to the builder node that built it: its RUN steps ran under QEMU. */
  emulated: boolean;
  /** Seconds in the steps that ran (cached ones take none). */
  seconds: number;
  steps: number;
  cached: number;
  /** The slowest steps, slowest first (at most 3). */
  slowest: StepTime[];
}

export interface Vertex {
  platform?: string;
  step: string;
  seconds?: number;
  cached: boolean;
}

const PLATFORM = /^((?:linux|windows|darwin|freebsd)\/[a-z0-9_]+(?:\/v\d+)?)(?: (.*))?$/;

/** Every Dockerfile step vertex of a plain progress log ("[stage n/m]" steps; internal ones left out). */
export function parseProgress(log: string): Vertex[] {
  const byId = new Map<string, Vertex>();
  for (const raw of log.split(/\r?\n/)) {
    const m = /^#(\d+) (.*)$/.exec(raw.trim());
    if (!m) continue;
    const [, id, rest] = m as unknown as [string, string, string];
    const head = /^\[([^\]]+)\] (.*)$/.exec(rest);
    if (head && !byId.has(id)) {
      const p = PLATFORM.exec(head[1]!);
      const label = p ? (p[2] ?? '') : head[1]!;
      // only numbered Dockerfile steps: "[build 3/4]", "[2/3]"
      if (/(?:^|\s)\d+\/\d+$/.test(label))
        byId.set(id, { platform: p?.[1], step: `[${label}] ${head[2]}`, cached: false });
      continue;
    }
    const v = byId.get(id);
    if (!v) continue;
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done) v.seconds = Number(done[1]);
    else if (rest === 'CACHED') v.cached = true;
  }
  return [...byId.values()];
}

/** A platform is native when its architecture runs on the node's own (the first platform a node lists). */
export function isNative(platform: string, nativePlatforms: string[]): boolean {
  const arch = platform.split('/')[1];
  return nativePlatforms.some((n) => {
    try {
      return acceptedArches(n).includes(arch ?? '');
    } catch {
      return false;
    }
  });
}

const round = (s: number) => Math.round(s * 10) / 10;

/**
 * The platform each step ran for. buildx prints no platform for a step whose state has none
 * (every RUN of a `FROM scratch` stage of a multi-platform build): the same step is then printed
 * once per platform, and nothing in the plain log says which line is which. Each platform ran it
 * once, so the copies of one step go one to each platform; QEMU runs a step several times slower
 * than the native CPU, so the slower copies go to the emulated platforms (the only thing the report
 * judges on). A single-platform build prints no platform at all: every step is that platform's.
 */
export function attributeSteps(
  vertices: Vertex[],
  platforms: string[],
  nativePlatforms: string[],
): Map<Vertex, string> {
  const out = new Map<Vertex, string>();
  const groups = new Map<string, Vertex[]>();
  for (const v of vertices) {
    if (v.platform !== undefined) out.set(v, v.platform);
    else groups.set(v.step, [...(groups.get(v.step) ?? []), v]);
  }
  if (!platforms.length) return out;
  // emulated platforms first, each keeping the order the user gave
  const order = [
    ...platforms.filter((p) => !isNative(p, nativePlatforms)),
    ...platforms.filter((p) => isNative(p, nativePlatforms)),
  ];
  const slowness = (v: Vertex) => (v.cached ? -1 : (v.seconds ?? -1));
  for (const copies of groups.values())
    [...copies].sort((a, b) => slowness(b) - slowness(a)).forEach((v, i) => out.set(v, order[i % order.length]!));
  return out;
}

/** Each platform's times (attributeSteps says whose each step is). */
export function platformTimes(
  log: string,
  platforms: string[],
  nativePlatforms: string[],
): Record<string, PlatformTime> {
  const vertices = parseProgress(log);
  const owner = attributeSteps(vertices, platforms, nativePlatforms);
  const out: Record<string, PlatformTime> = {};
  for (const platform of platforms) {
    const mine = vertices.filter((v) => owner.get(v) === platform);
    const ran = mine.filter((v) => !v.cached && v.seconds !== undefined);
    out[platform] = {
      emulated: !isNative(platform, nativePlatforms),
      seconds: round(ran.reduce((n, v) => n + v.seconds!, 0)),
      steps: ran.length,
      cached: mine.filter((v) => v.cached).length,
      slowest: [...ran]
        .sort((a, b) => b.seconds! - a.seconds!)
        .slice(0, 3)
        .map((v) => ({ step: v.step, seconds: v.seconds! })),
    };
  }
  return out;
}

/**
 * When emulated platforms took most of the step time, what a native runner per platform
 * (mode: shard) would save: the platforms build side by side, so the wall time is the slowest
 * platform's; natively an emulated platform would take about what the native platforms took.
 */
export function emulationNotice(times: Record<string, PlatformTime>): string | undefined {
  const entries = Object.entries(times);
  const emulated = entries.filter(([, t]) => t.emulated);
  const native = entries.filter(([, t]) => !t.emulated);
  const total = entries.reduce((n, [, t]) => n + t.seconds, 0);
  const emulatedSeconds = emulated.reduce((n, [, t]) => n + t.seconds, 0);
  if (!emulated.length || !native.length || total === 0 || emulatedSeconds / total <= 0.5) return undefined;
  const slowest = Math.max(...entries.map(([, t]) => t.seconds));
  const nativeSlowest = Math.max(...native.map(([, t]) => t.seconds));
  const saved = round(slowest - nativeSlowest);
  if (saved < 1) return undefined;
  const names = emulated.map(([p, t]) => `${p} ${t.seconds}s`).join(', ');
  return `emulated platforms took ${Math.round((100 * emulatedSeconds) / total)}% of the build-step time (${names}, against ${native.map(([p, t]) => `${p} ${t.seconds}s`).join(', ')} natively): building each platform on a native runner (mode: shard, then mode: merge) would save about ${saved}s of this build.`;
}

/** The job summary section. */
export function timesSummary(times: Record<string, PlatformTime>): string {
  const rows = Object.entries(times).map(
    ([p, t]) =>
      `| ${summaryText(p)} | ${t.emulated ? 'emulated' : 'native'} | ${t.seconds}s | ${t.steps} | ${t.cached} | ${t.slowest.map((s) => `${summaryText(s.step, { max: 80 })} (${s.seconds}s)`).join('<br>') || '-'} |`,
  );
  return [
    '#### time per platform',
    '',
    '| platform | ran | build steps | steps run | cached | slowest steps |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
