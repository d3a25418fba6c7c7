import { dockerfileName } from '../../inputs/build.js';
import type { VerifyInputs } from '../../inputs/verify.js';
import type { Exec } from '../../ports/exec.js';
import type { Host } from '../../ports/host.js';
import { type Run, writePushed } from '../../run/run.js';
import type { CheckExportPlan } from '../archcheck/export.js';
import type { Builder } from '../builder/wiring.js';
import type { PreparedCache } from '../cache/wiring.js';
import type { MetaPlan } from '../meta/plan.js';
import { type BuildResult, runBuild, writeSecretFiles } from './act.js';
import { retryingExec } from './act-retry.js';
import { buildCheckAnnotations, checksAnnotationsEnabled } from './checks.js';
import { GIT_AUTH_ENV, outputsPush } from './options.js';
import { type BuildPlan, gitAuthToken, planBuildCommand } from './plan.js';

/** The exact `docker buildx build` argv for this run, and the secret files it names (written by buildStage). */
export function planBuildStage(
  run: Run,
  meta: MetaPlan,
  builder: Builder,
  cache: PreparedCache,
  check?: CheckExportPlan,
  smokeExport?: string,
): BuildPlan {
  return planBuildCommand({
    inputs: run.inputs,
    ctx: run.ctx,
    env: run.env,
    tempDir: run.tempDir,
    push: run.push.enabled,
    meta,
    builder,
    cache: cache.restored,
    check,
    smokeExport,
  });
}

/**
 * What every `docker buildx build` of this run (the build, the smoke test's loads, the arch
 * check's export) reads from its environment, given explicitly: the cache's variables (the gha
 * cache's token and URLs, which no child inherits), the variables secret-envs and bare build-args
 * name, and the git token the argv names. Nothing else of the runner's reaches buildx.
 */
export function buildxEnv(run: Run, argv: string[], cacheEnv: Record<string, string>): Record<string, string> {
  const named: Record<string, string> = {};
  for (const s of run.inputs.secretEnvs) named[s.env] = run.env[s.env] ?? '';
  for (const a of run.inputs.buildArgs) {
    const value = a.includes('=') ? undefined : run.env[a];
    if (value !== undefined) named[a] = value;
  }
  if (argv.some((a) => a.endsWith(`env=${GIT_AUTH_ENV}`))) named[GIT_AUTH_ENV] = gitAuthToken(run.inputs, run.env);
  return { ...cacheEnv, ...named };
}

/** buildx's environment for the build: buildxEnv, plain progress, and the build checks' switch. */
function buildEnv(run: Run, plan: BuildPlan, cache: PreparedCache): Record<string, string> {
  const env = buildxEnv(run, plan.argv, cache.restored.env);
  if (env[GIT_AUTH_ENV]) run.host.setSecret(env[GIT_AUTH_ENV]);
  // buildx (0.15+) writes the build checks' warnings into the metadata file only when asked
  const checks: Record<string, string> = checksAnnotationsEnabled(run.env) ? { BUILDX_METADATA_WARNINGS: 'true' } : {};
  // plain progress (what a runner's log shows anyway): the time report reads its step lines
  return { BUILDKIT_PROGRESS: 'plain', ...checks, ...env };
}

/** Write the secret files and run buildx (retrying transient push failures); the build checks' annotations. */
export async function buildStage(run: Run, plan: BuildPlan, cache: PreparedCache): Promise<BuildResult> {
  const { inputs, host, files, push, exec } = run;
  writeSecretFiles(plan.secretFiles, files);
  const env = buildEnv(run, plan, cache);
  // retries transient push failures (push-retries) by re-running the cached build
  const retrying = buildExec(exec, host, inputs, push.enabled);
  const dockerfile = dockerfileName(inputs.file, run.ctx.workspace);
  const result = await run.timed('build', () =>
    runBuild(
      plan.argv,
      plan.metadataFile,
      { exec: retrying, readFile: (p) => files.readFile(p) },
      {
        iidFile: plan.iidFile,
        // a Dockerfile inside a git context is not a workspace path: no annotation path for it
        dockerfile: dockerfile.inWorkspace ? dockerfile.path : undefined,
        env,
        call: inputs.call,
      },
    ),
  );
  run.report.digest = result.digest;
  run.report.imageid = result.imageid;
  if (checksAnnotationsEnabled(run.env)) {
    for (const a of buildCheckAnnotations(result.metadata, dockerfile.inWorkspace ? dockerfile.path : undefined))
      host.warning(a.message, { title: a.title, file: a.file, startLine: a.startLine });
  }
  return result;
}

/** The build's outputs, `pushed` included: an outputs entry may push by itself (type=registry, type=image,push=true). */
export function setBuildOutputs(run: Run, result: BuildResult): void {
  const { inputs, host, push } = run;
  run.report.pushed = push.enabled || outputsPush(inputs.outputs);
  writePushed(host, run.report);
  host.setOutput('digest', result.digest);
  host.setOutput('imageid', result.imageid);
  host.setOutput('metadata', result.metadata);
  host.setOutput('platforms', inputs.platforms.join(','));
}

/** The exec the build runs through: retries transient push failures when pushing. */
export function buildExec(exec: Exec, host: Host, inputs: VerifyInputs, push: boolean): Exec {
  if (!push || inputs.pushRetries === 0) return exec;
  return retryingExec(exec, {
    retries: inputs.pushRetries,
    log: (m) => host.warning(m),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}
