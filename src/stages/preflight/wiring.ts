/**
 * The preflight stage over the Run: before the build, read the Dockerfile (inside the workspace only),
 * plan which base images to check (plan.ts) and read them from the registry (act.ts).
 */
import * as path from 'node:path';

import type { Files } from '../../ports/files.js';
import { once } from '../../ports/once.js';
import type { Run } from '../../run/run.js';

/**
 * preflight's plan and act, loaded on first use (see src/pipeline/preload.ts): the plan's
 * Dockerfile parser (dockerfile-ast) is not needed by a run that does not check.
 */
export const preflightModule = once(async () => {
  // one after the other: act.js imports plan.js, and two imports of one module at once trip jest's ESM loader
  const plan = await import('./plan.js');
  return { ...plan, ...(await import('./act.js')) };
});

/** Before the build: check the base images' platforms (preflight: true). */
export async function preflightStage(run: Run): Promise<void> {
  const { inputs, host } = run;
  if (!inputs.preflight) return;
  if (!inputs.file) {
    host.info('preflight: skipped, the Dockerfile is in a remote context');
    return;
  }
  const workspace = run.env.GITHUB_WORKSPACE || run.cwd;
  if (leavesWorkspace(inputs.file, workspace, run.files)) {
    host.warning(
      `preflight: not reading ${inputs.file}: it is a link to a file outside the workspace; base images not checked`,
    );
    return;
  }
  const text = run.files.readFile(inputs.file);
  if (text === undefined) {
    host.warning(`preflight: cannot read ${inputs.file}; base images not checked`);
    return;
  }
  const start = run.now();
  const { planPreflight, runPreflight } = await preflightModule();
  const plan = planPreflight(text, inputs.buildArgs, inputs.platforms);
  try {
    await run.timed('preflight', () =>
      runPreflight(plan, inputs.file, { exec: run.exec, log: (m) => host.info(m), warn: (m) => host.warning(m) }),
    );
  } finally {
    host.info(`preflight: ${plan.checks.length} base image(s) checked in ${((run.now() - start) / 1000).toFixed(3)}s`);
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
