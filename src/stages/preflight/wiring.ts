/**
 * The preflight stage over the Run: before the build, read the Dockerfile (inside the workspace only),
 * plan which base images to check (plan.ts) and read them from the registry (act.ts).
 */
import { readInWorkspace } from '../../inputs/workspace-paths.js';
import { once } from '../../ports/once.js';
import { actDeps, type Run } from '../../run/run.js';

/**
 * preflight's plan and act, loaded on first use (see src/pipeline/preload.ts): the plan's
 * Dockerfile parser (dockerfile-ast) is not needed by a run that does not check.
 */
export const preflightModule = once(async () => {
  // one after the other: act.js imports plan.js, and two imports of one module at once trip jest's ESM loader
  const plan = await import('./plan.js');
  return { ...plan, ...(await import('./act.js')) };
});

/** The local Dockerfile, read only when its links keep it in the workspace (or allow-outside-workspace). */
export function readDockerfile(run: Run): { text?: string; outside?: string } {
  const workspace = run.env.GITHUB_WORKSPACE || run.cwd;
  return readInWorkspace(run.inputs.file, workspace, run.files, run.inputs.allowOutsideWorkspace);
}

/** Before the build: check the base images' platforms (preflight: true). */
export async function preflightStage(run: Run): Promise<void> {
  const { inputs, host } = run;
  if (!inputs.preflight) return;
  if (!inputs.file) {
    host.info('preflight: skipped, the Dockerfile is in a remote context');
    return;
  }
  // the input pass refuses such a link unless allow-outside-workspace: the same rule, here for any other way in
  const { text, outside } = readDockerfile(run);
  if (outside !== undefined) {
    host.warning(
      `preflight: not reading ${inputs.file}: it is a link to a file outside the workspace; base images not checked`,
    );
    return;
  }
  if (text === undefined) {
    host.warning(`preflight: cannot read ${inputs.file}; base images not checked`);
    return;
  }
  const start = run.now();
  const { planPreflight, runPreflight } = await preflightModule();
  const plan = planPreflight(text, inputs.buildArgs, inputs.platforms);
  try {
    await run.timed('preflight', () => runPreflight(plan, inputs.file, actDeps(run)));
  } finally {
    host.info(`preflight: ${plan.checks.length} base image(s) checked in ${((run.now() - start) / 1000).toFixed(3)}s`);
  }
}
