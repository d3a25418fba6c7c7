/**
 * Verify's effects: read every pushed tag back, run the smoke test, load and remove its images.
 */
import { commandProblem, StageError } from '../../errors.js';
import { inspectManifestArgv } from '../../oci/manifests.js';
import type { ActDeps } from '../../ports/exec.js';
import { describeVerdict, judgeTag, verdictOk } from './plan.js';
import { planSmoke, type SmokeResult, type SmokeTarget } from './smoke.js';

/** Act: read back every tag; fail naming each tag and the platforms it lacks. Returns platform → digest. */
export async function runVerify(refs: string[], platforms: string[], deps: ActDeps): Promise<Record<string, string>> {
  const verdicts = await Promise.all(
    refs.map(async (ref) =>
      judgeTag(ref, platforms, await deps.exec({ argv: inspectManifestArgv(ref), silent: true })),
    ),
  );
  const bad = verdicts.filter((v) => !verdictOk(v));
  for (const v of verdicts) if (verdictOk(v)) deps.log(`verify: ${v.ref} holds ${Object.keys(v.manifests).join(', ')}`);
  if (bad.length) {
    throw new StageError(
      'verify',
      `the pushed image does not hold the requested platforms (${platforms.join(', ')}): ${bad.map(describeVerdict).join('; ')}`,
    );
  }
  return verdicts[0]?.manifests ?? {};
}

export interface SmokeDeps extends ActDeps {
  /** Bound of each platform's run in seconds (smoke-test-timeout); 0 = none. */
  timeoutSeconds?: number;
  /** Each platform's container name, in the platforms' order (smokeContainerNames). */
  names?: string[];
}

/** Act: run every platform (in parallel) and print each one's output. See smokeFailure. */
export async function runSmoke(
  target: SmokeTarget,
  platforms: string[],
  argv: string[],
  deps: SmokeDeps,
): Promise<SmokeResult[]> {
  const seconds = deps.timeoutSeconds ?? 0;
  const results = await Promise.all(
    platforms.map(async (platform, i): Promise<SmokeResult> => {
      const name = deps.names?.[i];
      const res = await deps.exec({
        argv: planSmoke(target, platform, argv, name),
        silent: true,
        timeoutMs: seconds * 1000,
      });
      if (res.timedOut) {
        // the container runs on in the engine: remove it (bounded like any other command)
        if (name) await deps.exec({ argv: ['docker', 'rm', '--force', '--', name], silent: true });
        const output = `${res.stdout}${res.stdout && !res.stdout.endsWith('\n') ? '\n' : ''}no result within ${seconds} s (smoke-test-timeout): stopped`;
        return { platform, code: res.code, output };
      }
      const output = res.code === 0 ? res.stdout : `${res.stdout}${res.stderr}`;
      return { platform, code: res.code, output: output.trimEnd() };
    }),
  );
  for (const r of results) {
    deps.log(`smoke-test ${r.platform} (exit ${r.code}):`);
    for (const line of (r.output || '(no output)').split('\n')) deps.log(`  ${line}`);
  }
  return results;
}

export interface SmokeLoadDeps extends ActDeps {
  /** Environment the build needs (secret-envs, cache service). */
  env?: Record<string, string>;
}

/** Act: load every platform (one after the other: they share the builder) → platform → local tag. */
export async function loadForSmoke(
  argvs: Record<string, string[]>,
  tags: Record<string, string>,
  deps: SmokeLoadDeps,
): Promise<Record<string, string>> {
  for (const [platform, argv] of Object.entries(argvs)) {
    deps.log(
      `smoke-test: loading ${platform} into the engine as ${tags[platform]} (the same build again: every step cached)`,
    );
    const res = await deps.exec({
      argv,
      silent: true,
      ...(deps.env && Object.keys(deps.env).length ? { env: deps.env } : {}),
    });
    if (res.code !== 0)
      throw new StageError(
        'smoke-test',
        `loading ${platform} into the engine for the smoke test failed: ${commandProblem(argv, res)}`,
      );
  }
  return tags;
}

/** Act: remove the loaded tags (never fails: a leftover tag is only disk space). */
export async function removeSmokeImages(tags: string[], deps: ActDeps): Promise<void> {
  if (!tags.length) return;
  const argv = ['docker', 'image', 'rm', '--force', ...tags];
  const res = await deps.exec({ argv, silent: true });
  if (res.code !== 0) deps.warn(`smoke-test: could not remove ${tags.join(', ')}: ${commandProblem(argv, res)}`);
}
