/**
 * Preflight: before building, check that every base image the build will pull has every
 * requested platform. Building arm64 FROM an amd64-only base otherwise fails late (after QEMU
 * builds of every other stage) or, with a single-platform base, silently ships the wrong
 * architecture. The plan, pure: the Dockerfile → which images to check for which platforms, and
 * what an answer of the registry means for one check (the reads are in act.ts).
 */
import { clipLongWords, commandProblem } from '../../errors.js';
import { type BaseImages, fromVars, parseDockerfile, walkStages } from '../../oci/dockerfile.js';
import { inspectManifestArgv, missingPlatforms, parseManifest } from '../../oci/manifests.js';
import { readsAsOption } from '../../ports/argv.js';

export interface BaseCheck {
  /** The image reference as resolved from the Dockerfile. */
  ref: string;
  /** Platforms this image must provide. */
  platforms: string[];
  /** 1-based Dockerfile line of the first FROM / COPY --from that uses it. */
  line: number;
}

export interface PreflightPlan {
  checks: BaseCheck[];
  /** Images not checked and why (scratch, stage names, --platform=$BUILDPLATFORM, unresolved args). */
  skipped: { image: string; line: number; reason: string }[];
}

/** The plan as it is gathered: each image once with every platform it must have, each skip once. */
class Gathered implements BaseImages {
  readonly checks = new Map<string, BaseCheck>();
  readonly skipped = new Map<string, PreflightPlan['skipped'][number]>();

  skip(image: string, line: number, reason: string): void {
    const key = `${image}\n${reason}`;
    if (!this.skipped.has(key)) this.skipped.set(key, { image, line, reason });
  }

  need(ref: string, platform: string, line: number): void {
    // a Dockerfile value (ARG B=--help, FROM ${B}) never reaches a command line as an option
    if (readsAsOption(ref))
      return this.skip(clipLongWords(ref, 80), line, 'starts with "-", which docker would read as an option');
    const c = this.checks.get(ref) ?? { ref, platforms: [], line };
    if (!c.platforms.includes(platform)) c.platforms.push(platform);
    this.checks.set(ref, c);
  }
}

/**
 * Which base images to check for which platforms. Only the stages the final stage needs
 * (through FROM <stage>, COPY --from and RUN --mount from=) are considered, as BuildKit builds
 * only those. Build args override the defaults of ARGs declared before the first FROM, the only
 * ones a FROM line can see, plus the automatic TARGET* / BUILD* platform args.
 */
export function planPreflight(
  dockerfile: string,
  buildArgs: string[],
  platforms: string[],
  buildPlatform = 'linux/amd64',
): PreflightPlan {
  const { declared, stages } = parseDockerfile(dockerfile);
  if (stages.length === 0) return { checks: [], skipped: [] };
  const out = new Gathered();
  for (const target of platforms) walkStages(stages, target, fromVars(declared, buildArgs, target, buildPlatform), out);
  return { checks: [...out.checks.values()], skipped: [...out.skipped.values()] };
}

export type BaseVerdict =
  | { ref: string; status: 'ok'; available: string[] }
  | { ref: string; status: 'missing'; missing: string[]; available: string[]; line: number }
  /** A single-platform manifest: its platform is in its config (act.ts reads it); `problem` when it cannot be. */
  | { ref: string; status: 'single'; available: []; problem?: string }
  | { ref: string; status: 'unreachable'; detail: string };

/** What one `inspectManifestArgv(check.ref)` answer means for one check. */
export function judgeBase(check: BaseCheck, res: { code: number; stdout: string; stderr: string }): BaseVerdict {
  if (res.code !== 0)
    return { ref: check.ref, status: 'unreachable', detail: commandProblem(inspectManifestArgv(check.ref), res) };
  let parsed;
  try {
    parsed = parseManifest(res.stdout);
  } catch {
    return { ref: check.ref, status: 'unreachable', detail: 'the registry answered something that is not a manifest' };
  }
  if (parsed.kind === 'manifest') return { ref: check.ref, status: 'single', available: [] };
  const available = parsed.entries.map((e) => e.platform);
  const missing = missingPlatforms(check.platforms, available);
  if (missing.length) return { ref: check.ref, status: 'missing', missing, available, line: check.line };
  return { ref: check.ref, status: 'ok', available };
}

/** What a single-platform image's config platform (act.ts reads it) means for one check. */
export function judgeSingle(check: BaseCheck, platform: string): BaseVerdict {
  const missing = missingPlatforms(check.platforms, [platform]);
  return missing.length
    ? { ref: check.ref, status: 'missing', missing, available: [platform], line: check.line }
    : { ref: check.ref, status: 'ok', available: [platform] };
}
