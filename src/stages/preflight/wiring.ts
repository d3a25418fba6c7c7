import * as path from 'node:path';
import type { Deps } from '../../ports/deps.js';
import type { Exec } from '../../ports/exec.js';
/**
 * The verification area's hooks into the pipeline: preflight before the build, a retrying
 * exec for the build when it pushes, and verify + smoke test after it. Kept here so
 * pipeline.ts only calls three functions.
 */
import type { VerifyInputs } from '../../inputs/verify.js';
import type { Files } from '../../ports/deps.js';
import { once } from '../../ports/once.js';

/** preflight's Dockerfile parser (dockerfile-ast), loaded on first use (see src/pipeline/preload.ts). */
export const preflightModule = once(() => import('./preflight.js'));

type Stage = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface PreflightArgs {
  inputs: VerifyInputs & { file: string; buildArgs: string[]; platforms: string[] };
}

/** Before the build: check the base images' platforms (preflight: true). */
export async function preflightStage(deps: Deps, exec: Exec, stage: Stage, { inputs }: PreflightArgs): Promise<void> {
  if (!inputs.preflight) return;
  const { host } = deps;
  if (!inputs.file) {
    host.info('preflight: skipped, the Dockerfile is in a remote context');
    return;
  }
  const workspace = deps.env.GITHUB_WORKSPACE || deps.cwd;
  if (leavesWorkspace(inputs.file, workspace, deps.files)) {
    host.warning(`preflight: not reading ${inputs.file}: it is a link to a file outside the workspace; base images not checked`);
    return;
  }
  const text = deps.files.readFile(inputs.file);
  if (text === undefined) {
    host.warning(`preflight: cannot read ${inputs.file}; base images not checked`);
    return;
  }
  const start = deps.now();
  const { planPreflight, runPreflight } = await preflightModule();
  const plan = planPreflight(text, inputs.buildArgs, inputs.platforms);
  try {
    await stage('preflight', () => runPreflight(plan, inputs.file, { exec, log: (m) => host.info(m), warn: (m) => host.warning(m) }));
  } finally {
    host.info(`preflight: ${plan.checks.length} base image(s) checked in ${((deps.now() - start) / 1000).toFixed(3)}s`);
  }
}

/**
 * A path inside the workspace whose real path is outside it: a symbolic link (which a pull request
 * from a fork can add) to a file of the host. A path given outside the workspace on purpose is fine.
 */
export function leavesWorkspace(file: string, workspace: string, files: Pick<Files, 'realPath'>): boolean {
  const inside = (p: string, dir: string) => {
    const rel = path.relative(dir, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (!files.realPath || !inside(file, workspace)) return false;
  const real = files.realPath(file);
  const realWs = files.realPath(workspace) ?? workspace;
  return real !== undefined && !inside(real, realWs);
}
