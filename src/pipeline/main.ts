import { readRunContext, type RunContext } from '../context/run-context.js';
import { clipMessage, errorMessage, InputError, InputErrors, StageError } from '../errors.js';
import { type Inputs, parseInputs, secretInputValues } from '../inputs/index.js';
import { pushCredentialErrors } from '../inputs/login.js';
import { expressionTexts } from '../inputs/meta.js';
import type { Deps } from '../ports/deps.js';
import { prepareJobDockerConfig } from '../ports/docker-config.js';
import { dryRunExec } from '../ports/exec-dry-run.js';
import { withEnv } from '../ports/exec.js';
import type { Host } from '../ports/host.js';
import { metaCheckModule, preloadStages } from './preload.js';
import { type Run, timedStage } from '../run/run.js';
import { StateStore } from '../run/state.js';
import { summaryTable, type Timing } from '../run/summary.js';
import { decidePush } from '../stages/build/build.js';
import { buildPlanStep, buildStep } from '../stages/build/wiring.js';
import { builderStep } from '../stages/builder/wiring.js';
import { usesActionsCache } from '../stages/cache/plan.js';
import { cacheStep } from '../stages/cache/wiring.js';
import { planLogin } from '../stages/login/login.js';
import { loginStep } from '../stages/login/wiring.js';
import { mergeStep } from '../stages/merge/wiring.js';
import { metaStep, startRepoApi } from '../stages/meta/wiring.js';
import { preflightStep } from '../stages/preflight/wiring.js';
import { qemuStep } from '../stages/qemu/wiring.js';
import { artifactServiceAvailable, noArtifactServiceError } from '../stages/shard/artifact.js';
import { afterBuildStages, smokeLoadStep } from '../stages/verify/wiring.js';

/**
 * The main step: inputs (all validated before any docker command) → login → qemu → builder →
 * meta → preflight → cache → build → verify/smoke, then outputs and the summary. mode merge
 * goes login → meta → merge. Every failure is one ::error; post cleans up whatever happened.
 */
export async function runMain(deps: Deps): Promise<void> {
  const { host, files } = deps;
  const ctx = readRunContext(deps.env, deps.cwd);

  // mask every credential and secret value before anything at all is logged
  for (const v of secretInputValues((n) => host.getInput(n))) maskSecret(host, v);
  const parsed = await parseRunInputs(deps, ctx);
  if (!parsed) return;
  const { inputs, push } = parsed;
  if (push.warning) host.warning(push.warning);
  for (const n of inputs.inputNotes) host.info(n);
  for (const s of inputs.secretEnvs) maskSecret(host, deps.env[s.env] ?? '');

  // a dry run: only read-only commands reach the real exec gateway
  let exec = deps.exec;
  if (inputs.dryRun) {
    host.info('dry-run: planning every stage; no docker command that changes anything will run');
    exec = dryRunExec(deps.exec, (m) => host.info(m));
  }

  // network I/O that needs only the inputs: under way while the engine is probed
  const repoApi = startRepoApi(deps, inputs, ctx);
  const state = new StateStore(host);
  const timings: Timing[] = [];
  const report: Run['report'] = { refs: [], pushed: false, verification: '' };
  let failed = false;
  // the builder's platform list (an output), read as the build starts: finished before the step ends
  let builder: Awaited<ReturnType<typeof builderStep>> | undefined;
  let platformsRead: Promise<string[]> | undefined;
  try {
    const tempDir = files.makeTempDir(ctx.runnerTemp, 'multiarch-');
    state.update({ tempDir });
    const login = planLogin(inputs, push.push, ctx.eventName);
    for (const n of login.notes) {
      if (n.level === 'warning') host.warning(n.message);
      else host.info(n.message);
    }

    // the run's own docker config: logins and an installed buildx land there, never in ~/.docker
    const dockerConfig = files.makeTempDir(ctx.runnerTemp, 'multiarch-docker-config-');
    state.update({ dockerConfig });
    prepareJobDockerConfig(dockerConfig, { files, env: deps.env, loginRegistries: login.logins.map((l) => l.registry) });
    // wraps the current gateway, so a dry run stays a dry run
    exec = withEnv(exec, { DOCKER_CONFIG: dockerConfig });

    const run: Run = { ...deps, ctx, inputs, push, exec, state, tempDir, dockerConfig, timings, report, repoApi, stage: timedStage(host, deps.now, timings) };
    await loginStep(run, login);
    if (inputs.mode === 'merge') {
      await mergeStep(run);
      return;
    }
    await qemuStep(run);
    // only the local cache goes through @actions/cache (gha is buildx's own client)
    const actionsCache =
      !inputs.dryRun && !deps.cacheService && usesActionsCache({ mode: inputs.cacheMode, explicitFrom: inputs.cacheFrom, explicitTo: inputs.cacheTo, runtime: deps.env });
    // load the later stages' modules while the builder's probes are out (not before: that would
    // hold back their start)
    // a shard uploads its result through @actions/artifact after the build
    const artifacts = inputs.mode === 'shard' && push.push && !deps.artifactStore && artifactServiceAvailable(deps.env);
    builder = await builderStep(run, () => preloadStages({ preflight: inputs.preflight, actionsCache, artifacts }));
    const meta = await metaStep(run);
    if (push.push && inputs.mode !== 'shard' && meta.refs.length === 0) {
      throw new StageError('meta', 'nothing to push: no tag could be derived from the git ref; set "tags"');
    }
    host.info(`tags: ${meta.refs.join(', ') || '(none)'}; ${push.reason}`);
    await preflightStep(run);
    const cache = await cacheStep(run, meta, builder);
    const plan = buildPlanStep(run, meta, builder, cache);
    if (inputs.dryRun) {
      host.info(`dry-run plan:\n${JSON.stringify({ platforms: inputs.platforms, push: push.push, pushReason: push.reason, tags: meta.tags, labels: meta.labels, annotations: meta.annotations, version: meta.version, buildx: plan.argv }, null, 2)}`);
      host.setOutput('pushed', 'false');
      host.setOutput('platforms', inputs.platforms.join(','));
      await host.summary(summaryTable(meta.refs, '(dry run)', inputs.platforms, false, timings));
      return;
    }
    // beside the build: after it, the step would wait for it (it outlasts verify); before it, the
    // build would wait for it. The build's own time hides it on all but the smallest builds.
    platformsRead = builder.platforms();
    const result = await buildStep(run, plan, cache, builder.driver);
    // a shard has no tag to read back (the merge job verifies the index it creates)
    const smokeLoad = smokeLoadStep(run, plan, cache, builder.driver);
    report.verification = await afterBuildStages(deps, exec, run.stage, {
      inputs,
      refs: plan.shard ? [] : meta.refs,
      digest: result.digest,
      pushed: push.push,
      smokeLoad,
      build: { argv: plan.argv, env: cache.restored.env },
      dockerConfig,
      // the first platform the builder lists is its node's own; append nodes are native to theirs
      times: { log: result.log ?? '', nativePlatforms: [...((await platformsRead)?.slice(0, 1) ?? []), ...inputs.append.flatMap((n) => n.platforms)] },
    });
  } catch (err) {
    failed = true;
    reportFailure(host, err, report, ctx.runnerTemp);
  } finally {
    await (platformsRead ?? builder?.platforms());
  }
  await writeSummary(
    host,
    summaryTable(report.refs, report.digest ?? '', inputs.platforms, report.pushed, timings, {
      imageid: report.imageid,
      cache: report.cache?.hit,
      status: failed ? 'failed' : 'succeeded',
    }) + (report.cache?.markdown ?? '') + report.verification,
  );
}

/** The summary is a report, not the result: one that cannot be written is a warning that says where. */
async function writeSummary(host: Host, markdown: string): Promise<void> {
  try {
    await host.summary(markdown);
  } catch (err) {
    host.warning(clipMessage(errorMessage(err)));
  }
}

/**
 * Parse every input and decide push, then check what the event decides (credentials for a push,
 * the validation render of every expression); on bad input every problem is an ::error and the
 * step fails, before any docker command.
 */
async function parseRunInputs(deps: Deps, ctx: RunContext): Promise<{ inputs: Inputs; push: ReturnType<typeof decidePush> } | undefined> {
  const { host, files } = deps;
  try {
    const inputs = parseInputs((n, o) => host.getInput(n, o), { workspace: ctx.workspace, exists: (p) => files.exists(p) });
    const push = decidePush(inputs.push, ctx.eventName, [...inputs.images, ...inputs.literalRefs], { load: inputs.load, outputs: inputs.outputs, call: inputs.call });
    const errors = [...checkRunInputs(inputs, deps.env), ...pushCredentialErrors(inputs, push)];
    if (expressionTexts(inputs).some((t) => t.includes('{{'))) {
      errors.push(...(await metaCheckModule()).checkMetaExpressions(inputs, { meta: ctx.meta, now: deps.now() }));
    }
    if (errors.length) throw new InputErrors(errors);
    return { inputs, push };
  } catch (err) {
    if (!(err instanceof InputErrors)) throw err;
    for (const e of err.errors) host.error(e.message, { title: `Invalid input: ${e.input}` });
    host.fail();
    return undefined;
  }
}

/**
 * Rules that need the environment; still before any docker command. (load with a push cannot get
 * here: push: true with load is an input error, and push: auto never pushes with load.)
 */
function checkRunInputs(inputs: Inputs, env: NodeJS.ProcessEnv): InputError[] {
  const errors: InputError[] = [];
  for (const s of inputs.secretEnvs) {
    if (env[s.env] === undefined) errors.push(new InputError('secret-envs', `secret "${s.id}" reads environment variable ${s.env}, which is not set: set it in the step's env`));
  }
  if (inputs.mode === 'merge' && inputs.digests.length === 0 && !artifactServiceAvailable(env)) errors.push(noArtifactServiceError(env));
  return errors;
}

/** One ::error for a failed run; outputs that exist stay set, `pushed` says whether the push happened. */
function reportFailure(host: Host, err: unknown, report: Run['report'], runnerTemp: string): void {
  // a failed smoke test still reports each platform's output in the summary
  const partial = (err as { summary?: unknown } | null)?.summary;
  if (typeof partial === 'string') report.verification = partial;
  // the failure is reported even when the outputs file cannot take one more line
  try {
    host.setOutput('pushed', String(report.pushed));
  } catch {
    // the error below is the one to read
  }
  if (err instanceof StageError) {
    host.error(err.message, { title: `multiarch-action: ${err.stage} failed`, file: err.annotation?.file, startLine: err.annotation?.line });
  } else if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') {
    // Node's message names no path ("ENOSPC: no space left on device, write"): say where
    host.error(
      `no space left on device while writing the run's files (temp folder and docker config, under RUNNER_TEMP ${runnerTemp}): free space there and re-run. The post step removes what this run created. (${errorMessage(err)})`,
      { title: 'multiarch-action: disk full' },
    );
  } else {
    host.error(clipMessage(errorMessage(err)), { title: 'multiarch-action failed' });
  }
  host.fail();
}

/** Mask a secret (and each of its lines: the runner masks line by line). */
function maskSecret(host: Host, value: string): void {
  if (!value) return;
  host.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim() && line !== value) host.setSecret(line);
}
