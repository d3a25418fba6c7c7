/**
 * The main step: inputs (all validated before any docker command) → login → qemu → builder →
 * meta → preflight → cache → build → arch check → cache save → sign → verify/smoke, then the report (the `pushed` output and the
 * summary). mode merge goes login → meta → merge (→ sign). Every failure is one ::error; post cleans up
 * whatever happened.
 */
import { readRunContext, type RunContext } from '../context/run-context.js';
import { StageError } from '../errors.js';
import type { Inputs } from '../inputs/index.js';
import type { PushDecision } from '../inputs/push.js';
import type { Deps } from '../ports/deps.js';
import { prepareJobDockerConfig } from '../ports/docker-config.js';
import { type Exec, withEnv } from '../ports/exec.js';
import { dryRunExec } from '../ports/exec-dry-run.js';
import { once } from '../ports/once.js';
import { type Run, type RunReport, timedGroup, writePushed } from '../run/run.js';
import { StateStore } from '../run/state.js';
import type { Timing } from '../run/summary.js';
import {
  type ArchCheckOutcome,
  archCheckStage,
  planArchCheckExport,
  recordPlaces,
  seedArchCheckExport,
} from '../stages/archcheck/wiring.js';
import type { BuildResult } from '../stages/build/act.js';
import type { BuildPlan } from '../stages/build/plan.js';
import { buildStage, planBuildStage, setBuildOutputs } from '../stages/build/wiring.js';
import { builderStage } from '../stages/builder/wiring.js';
import { usesActionsCache } from '../stages/cache/plan.js';
import { cacheStage, type PreparedCache } from '../stages/cache/wiring.js';
import { type LoginDecision, planLogin } from '../stages/login/plan.js';
import { loginStage } from '../stages/login/wiring.js';
import { mergeStage } from '../stages/merge/wiring.js';
import { metaStage, startRepoApi } from '../stages/meta/wiring.js';
import { preflightStage } from '../stages/preflight/wiring.js';
import { qemuStage } from '../stages/qemu/wiring.js';
import { shardPushStage, shardResultStage } from '../stages/shard/wiring.js';
import { prepareSign, pushedRepos, signStage } from '../stages/sign/wiring.js';
import { planSmokeExportStage, planSmokeLoads, verifyStage } from '../stages/verify/wiring.js';
import { announceForm, resolveBuilderPlatform } from './builder-platform.js';
import { maskSecret, maskSecretInputs, parseRunInputs } from './inputs.js';
import { preloadStages } from './preload.js';
import { finishReport, reportFailure } from './report.js';

export async function runMain(deps: Deps): Promise<void> {
  const { host } = deps;
  const ctx = readRunContext(deps.env, deps.cwd);
  maskSecretInputs(host);
  const parsed = await parseRunInputs(deps, ctx);
  if (!parsed) return;
  const { inputs, push } = parsed;
  if (push.warning) host.warning(push.warning);
  for (const s of inputs.secretEnvs) maskSecret(host, deps.env[s.env] ?? '');
  for (const n of inputs.inputNotes) host.info(n);
  for (const w of inputs.inputWarnings) host.warning(w);
  announceForm(host, inputs);

  const timings: Timing[] = [];
  // a merge's platforms become its shards' once they are found
  const report: RunReport = { refs: [], platforms: inputs.platforms, pushed: false, verification: '' };
  // what must finish before the step ends (the builder's platform outputs), whatever happened
  const pending: (() => Promise<unknown>)[] = [];
  let status: 'succeeded' | 'failed' = 'succeeded';
  try {
    const { run, login } = openRun(deps, ctx, inputs, push, { timings, report });
    // login first: every later docker call (builders included) uses its credentials
    await loginStage(run, login);
    await (inputs.mode === 'merge' ? mergeStage(run) : runBuildMode(run, pending));
    // a run that pushed nothing (a pull request, a dry run, a merge with nothing to push) says so too
    writePushed(host, report);
  } catch (err) {
    status = 'failed';
    reportFailure(host, err, ctx.runnerTemp);
  } finally {
    for (const finish of pending) await finish();
  }
  await finishReport(host, report, timings, status);
}

/**
 * The run's gateway, folders and state: a dry run lets only read-only commands through; the run's
 * own docker config takes the logins and an installed buildx, never ~/.docker.
 */
function openRun(
  deps: Deps,
  ctx: RunContext,
  inputs: Inputs,
  push: PushDecision,
  out: { timings: Timing[]; report: RunReport },
): { run: Run; login: LoginDecision } {
  const { host, files } = deps;
  let exec: Exec = deps.exec;
  if (inputs.dryRun) {
    host.info('dry-run: planning every stage; no docker command that changes anything will run');
    exec = dryRunExec(deps.exec, (m) => host.info(m));
  }
  // network I/O that needs only the inputs: under way while the engine is probed
  const repoApi = startRepoApi(deps, inputs, ctx);
  const state = new StateStore(host);
  const tempDir = files.makeTempDir(ctx.runnerTemp, 'multiarch-');
  state.update({ tempDir });
  const dockerConfig = files.makeTempDir(ctx.runnerTemp, 'multiarch-docker-config-');
  state.update({ dockerConfig });
  const login = planLogin(inputs, push.enabled, ctx.eventName);
  for (const n of login.notes) {
    if (n.level === 'warning') host.warning(n.message);
    else host.info(n.message);
  }
  const config = prepareJobDockerConfig(dockerConfig, {
    files,
    env: deps.env,
    loginRegistries: login.logins.map((l) => l.registry),
  });
  if (config.warning) host.warning(config.warning);
  // wraps the current gateway, so a dry run stays a dry run
  exec = withEnv(exec, { DOCKER_CONFIG: dockerConfig });
  const timed = timedGroup(host, deps.now, out.timings);
  return { run: { ...deps, ctx, inputs, push, exec, state, tempDir, dockerConfig, repoApi, timed, ...out }, login };
}

/** mode build and shard: every stage up to the build, then verification of what it made (a dry run stops at the plan). */
async function runBuildMode(run: Run, pending: (() => Promise<unknown>)[]): Promise<void> {
  const { host, push } = run;
  await qemuStage(run);
  // load the later stages' modules while the builder's probes are out (not before: that would hold back their start)
  const builder = await builderStage(run, () => preload(run));
  // the builder's platform list (outputs): read beside the build, or at the end of a run that stops before it
  const readPlatforms = once(() => builder.platforms());
  pending.push(readPlatforms);
  await resolveBuilderPlatform(run, readPlatforms);
  const { inputs } = run;
  const meta = await metaStage(run);
  if (push.enabled && inputs.mode !== 'shard' && meta.refs.length === 0) {
    throw new StageError('meta', 'nothing to push: no tag could be derived from the git ref; set "tags"');
  }
  host.info(`tags: ${meta.refs.join(', ') || '(none)'}; ${push.reason}`);
  await preflightStage(run);
  const cache = await cacheStage(run, meta, builder);
  const check = await planArchCheckExport(run, builder);
  const smoke = planSmokeExportStage(run, builder, check);
  const plan = planBuildStage(run, meta, builder, cache, check, smoke?.reuse?.output);
  if (inputs.dryRun) {
    host.info(
      `dry-run plan:\n${JSON.stringify({ platforms: inputs.platforms, push: push.enabled, pushReason: push.reason, tags: meta.tags, labels: meta.labels, annotations: meta.annotations, version: meta.version, buildx: plan.argv }, null, 2)}`,
    );
    host.setOutput('platforms', inputs.platforms.join(','));
    run.report.digest = '(dry run)';
    return;
  }
  // cosign and the key before the build: neither a missing cosign nor a wrong password pushes unsigned
  const signer = await prepareSign(run);
  await seedArchCheckExport(run, plan.check, recordPlaces(run, cache.folders));
  // beside the build: after it, the step would wait for it (it outlasts verify); before it, the
  // build would wait for it. The build's own time hides it on all but the smallest builds.
  const platformsRead = readPlatforms();
  const refs = plan.shard ? [] : meta.refs;
  const result = await buildInOrder(run, plan, cache, builder.driver, refs);
  // signed before verify and the smoke test read it back: what they check is what was signed
  await signStage(run, signer, {
    digest: result.digest,
    repos: plan.shard ? inputs.images.slice(0, 1) : pushedRepos(meta.refs),
  });
  const smokeLoad = planSmokeLoads(run, plan, cache, smoke);
  await verifyStage(run, {
    // a shard has no tag to read back (the merge job verifies the index it creates)
    refs,
    digest: result.digest,
    smokeLoad,
    archCheck: result.archCheck,
    times: { log: result.log ?? '', nativePlatforms: await nativePlatforms(run, platformsRead) },
  });
}

/**
 * The build, then what follows it, in order: the arch check (its record of checked layers is
 * written into the layer cache folder, so it must come before the save), the cache save (only
 * after a build that succeeded: buildStage throws on a failed one, and a failed build saves
 * nothing; a check that throws still lets the cache be saved, its error comes after), a shard's
 * push by digest (then its arch check, of what it pushed: a check that throws still lets the
 * outputs be set and the result be uploaded, its error comes last), the build's outputs, and last a
 * shard's result (a failed upload fails the step with every output already set). The check's
 * verdict is reported by verify, in its place.
 */
export async function buildInOrder(
  run: Run,
  plan: BuildPlan,
  cache: PreparedCache,
  driver: string,
  refs: string[] = [],
): Promise<BuildResult & { archCheck?: ArchCheckOutcome }> {
  const result = await buildStage(run, plan, cache);
  const check = () =>
    archCheckStage(run, {
      ref: refs[0] ?? run.inputs.images[0],
      digest: result.digest,
      pushed: run.push.enabled,
      local: plan.check,
      // a shard checks after the save: its record goes to the host folder only
      record: recordPlaces(run, plan.shard ? undefined : cache.folders),
    });
  let archCheck: ArchCheckOutcome | undefined;
  let failed: { error: unknown } | undefined;
  // a check that throws lets what follows it run (the save, a shard's result), then fails the step
  const checked = async () => {
    archCheck = await check().catch((error: unknown) => void (failed = { error }));
  };
  // a shard is pushed by digest only after the save: its check reads what it pushed
  if (!plan.shard) await checked();
  await cache.save(result.log);
  if (failed && !plan.shard) throw failed.error;
  if (plan.shard) {
    await shardPushStage(run, plan.shard, result.digest, driver);
    await checked();
  }
  setBuildOutputs(run, result);
  if (plan.shard) await shardResultStage(run, plan.shard, result.digest);
  if (failed) throw failed.error;
  return { ...result, archCheck };
}

/** The first platform the builder lists is its node's own; append nodes are native to theirs. */
async function nativePlatforms(run: Run, platformsRead: Promise<string[]>): Promise<string[]> {
  return [...(await platformsRead).slice(0, 1), ...run.inputs.append.flatMap((n) => n.platforms)];
}

/**
 * Start loading the large modules this run will use: only the local cache goes through
 * @actions/cache (gha is buildx's own client); a shard uploads its result through @actions/artifact.
 */
function preload(run: Run): void {
  const { inputs, env } = run;
  preloadStages({
    preflight: inputs.preflight,
    actionsCache:
      !inputs.dryRun &&
      usesActionsCache({
        mode: inputs.cacheMode,
        explicitFrom: inputs.cacheFrom,
        explicitTo: inputs.cacheTo,
        runtime: env,
      }),
  });
  if (inputs.mode === 'shard' && run.push.enabled && run.artifacts.available) run.artifacts.warmUp();
}
