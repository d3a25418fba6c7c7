/**
 * Preflight, the act: read every base image the plan names from the registry (the one manifest
 * read and config read of src/oci/manifests.ts) and fail before the build if one lacks a platform.
 */
import { StageError } from '../../errors.js';
import { configPlatform, inspectConfigArgv, inspectManifestArgv } from '../../oci/manifests.js';
import type { ActDeps } from '../../ports/exec.js';
import { mapLimit, PROBE_CONCURRENCY } from '../../ports/pool.js';
import { type BaseCheck, type BaseVerdict, judgeBase, judgeSingle, type PreflightPlan } from './plan.js';

/** One check's verdict; a single-platform image is judged by the platform its config names. */
async function inspectBase(check: BaseCheck, deps: ActDeps): Promise<BaseVerdict> {
  const v = judgeBase(check, await deps.exec({ argv: inspectManifestArgv(check.ref), silent: true }));
  if (v.status !== 'single') return v;
  const argv = inspectConfigArgv(check.ref);
  const config = configPlatform(argv, await deps.exec({ argv, silent: true }));
  return 'platform' in config ? judgeSingle(check, config.platform) : { ...v, problem: config.problem };
}

/** Inspect every base image (PROBE_CONCURRENCY at a time) and fail before the build if one lacks a platform. */
export async function runPreflight(plan: PreflightPlan, dockerfilePath: string, deps: ActDeps): Promise<BaseVerdict[]> {
  for (const s of plan.skipped) deps.log(`preflight: not checking ${s.image} (line ${s.line}): ${s.reason}`);
  const verdicts = await mapLimit(plan.checks, PROBE_CONCURRENCY, (check) => inspectBase(check, deps));
  const problems: string[] = [];
  let firstLine: number | undefined;
  for (const v of verdicts) {
    if (v.status === 'ok') deps.log(`preflight: ${v.ref} has ${v.available.join(', ')}`);
    else if (v.status === 'single')
      deps.log(
        `preflight: ${v.ref} is a single-platform image whose platform could not be read (${v.problem}); not checked`,
      );
    else if (v.status === 'unreachable')
      deps.warn(
        `preflight: could not inspect base image ${v.ref} (${v.detail}); not checked, the build will tell more`,
      );
    else {
      firstLine ??= v.line;
      problems.push(
        `base image ${v.ref} (line ${v.line}) has no ${v.missing.join(', ')}: it has only ${v.available.join(', ') || 'no platform'}`,
      );
    }
  }
  if (problems.length) {
    throw new StageError(
      'preflight',
      `${problems.join('; ')}. Build only the platforms the base provides (input "platforms"), or pick a base image that has them.`,
      { file: dockerfilePath, line: firstLine },
    );
  }
  return verdicts;
}
