/**
 * Smoke test: run a command in the built image once per platform (foreign ones under QEMU)
 * and fail if any run fails. The command is split into argv like a shell would, but never
 * run through one on the host.
 */
import { StageError } from '../../errors.js';
import { acceptedArches } from '../../oci/elf.js';
import { referenceParts } from '../../oci/reference.js';
import { summaryText } from '../../run/summary.js';

export interface SmokeTarget {
  /** The reference to run: image@digest when pushed, else the first local tag. */
  ref: string;
  /** Pull it from the registry (pushed images) rather than using the engine's copy. */
  pull: boolean;
  /** A local tag per platform (each platform loaded on its own, see smoke-load.ts): used instead of ref. */
  perPlatform?: Record<string, string>;
}

/**
 * Pure: the `docker run` argv for one platform. `name` names the container, so a run that outlasts
 * smoke-test-timeout can be removed: stopping the docker CLI does not stop its container.
 */
export function planSmoke(target: SmokeTarget, platform: string, argv: string[], name?: string): string[] {
  const run = ['docker', 'run', '--rm', '--platform', platform];
  if (name) run.push('--name', name);
  if (target.pull) run.push('--pull', 'always');
  return [...run, target.perPlatform?.[platform] ?? target.ref, ...argv];
}

/**
 * Pure: what to run the smoke test against. A pushed image runs by digest; with the platform
 * manifests known (verify's answer), each platform runs by its own manifest digest: the classic
 * image store keeps one image per name@digest, so pulling the index digest for a second platform
 * fails there ("cannot overwrite digest").
 */
export function smokeTarget(
  refs: string[],
  digest: string,
  pushed: boolean,
  manifests: Record<string, string> = {},
): SmokeTarget | undefined {
  const first = refs[0];
  if (pushed && first && digest) {
    const name = referenceParts(first).name;
    const perPlatform = Object.fromEntries(Object.entries(manifests).map(([p, d]) => [p, `${name}@${d}`]));
    return { ref: `${name}@${digest}`, pull: true, ...(Object.keys(perPlatform).length ? { perPlatform } : {}) };
  }
  if (first) return { ref: first, pull: pushed };
  return undefined;
}

export interface SmokeResult {
  platform: string;
  code: number;
  output: string;
}

/** Pure: the run's container name for each platform; `id` is unique per run, so post removes only ours. */
export function smokeContainerNames(id: string, platforms: string[]): string[] {
  return platforms.map((_, i) => `multiarch-smoke-${id}-${i}`);
}

/**
 * What `uname -m` / `arch` (the kernel's name: a 32-bit image on a 64-bit kernel may print the
 * 64-bit name) and `dpkg --print-architecture` (the userland's) print, and the GOARCH each means.
 */
const ARCH_WORDS: Record<string, string[]> = {
  x86_64: ['amd64', '386'],
  aarch64: ['arm64', 'arm'],
  armv8l: ['arm'],
  armv7l: ['arm'],
  armv6l: ['arm'],
  i686: ['386'],
  i586: ['386'],
  i386: ['386'],
  ppc64le: ['ppc64le'],
  ppc64: ['ppc64'],
  s390x: ['s390x'],
  riscv64: ['riscv64'],
  mips64: ['mips64', 'mips64le'],
  loongarch64: ['loong64'],
  amd64: ['amd64'],
  arm64: ['arm64'],
  armhf: ['arm'],
  armel: ['arm'],
  ppc64el: ['ppc64le'],
  mips64el: ['mips64le'],
  loong64: ['loong64'],
};

/** What a platform's `uname -m` / `dpkg --print-architecture` should print, for the message. */
const EXPECTED_WORDS: Record<string, string> = {
  amd64: 'x86_64 or amd64',
  arm64: 'aarch64 or arm64',
  arm: 'armv7l/armv6l or armhf/armel',
  '386': 'i686 or i386',
  ppc64le: 'ppc64le or ppc64el',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64 or mips64el',
  mips64: 'mips64',
  loong64: 'loongarch64 or loong64',
};

/**
 * Pure: when a run printed just an architecture name that the platform's binaries would not print,
 * why (e.g. an arm64 image printing x86_64: it holds x86-64 binaries). Any other output: undefined.
 */
export function archMismatch(r: SmokeResult): string | undefined {
  if (r.code !== 0) return undefined;
  const word = r.output.trim();
  const means = ARCH_WORDS[word];
  if (!means) return undefined;
  let want: string[];
  try {
    want = acceptedArches(r.platform);
  } catch {
    return undefined;
  }
  if (means.some((a) => want.includes(a))) return undefined;
  return `${r.platform} printed ${word}, the name of another architecture (${r.platform} prints ${EXPECTED_WORDS[want[0]!] ?? want[0]})`;
}

/** Pure: the error for failed runs, naming each failed platform and its last line of output. */
export function smokeFailure(results: SmokeResult[], argv: string[]): StageError | undefined {
  const failed = results.filter((r) => r.code !== 0);
  const wrong = results.map(archMismatch).filter((m): m is string => m !== undefined);
  if (!failed.length && wrong.length) {
    return new StageError(
      'smoke-test',
      `"${argv.join(' ')}": ${wrong.join('; ')}. The image holds binaries of another architecture: build it for $TARGETPLATFORM (use TARGETARCH in downloads).`,
    );
  }
  if (!failed.length) return undefined;
  const detail = failed.map((r) => {
    const lines = r.output.split('\n').filter(Boolean);
    // exit 125 is docker itself failing: its "docker: ..." line says why, not the --help hint after it
    const line =
      (r.code === 125 ? lines.find((l) => l.startsWith('docker: ')) : undefined) ?? lines.pop() ?? 'no output';
    return `${r.platform} (exit ${r.code}: ${line})`;
  });
  return new StageError(
    'smoke-test',
    `"${argv.join(' ')}" failed on ${detail.join(', ')}${wrong.length ? `; ${wrong.join('; ')}` : ''}`,
  );
}

/** Characters of each platform's output the summary shows (the log has all of it). */
const SMOKE_SHOWN = 4000;

/** Pure: the job summary section. */
export function smokeSummary(results: SmokeResult[], argv: string[]): string {
  const rows = results.map(
    (r) =>
      `| ${summaryText(r.platform)} | ${r.code !== 0 ? `failed (exit ${r.code})` : archMismatch(r) ? 'wrong architecture' : 'ok'} | <code>${summaryText(r.output, { lines: true, max: SMOKE_SHOWN }) || '(no output)'}</code> |`,
  );
  return [
    `#### smoke test: <code>${summaryText(argv.join(' '))}</code>`,
    '',
    '| platform | result | output |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
