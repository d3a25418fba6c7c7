/**
 * The main step's stages as steps over one Run: each wires a stage's pure plan and thin act
 * (src/stages/*) to the run's inputs, exec gateway, state and outputs. src/pipeline.ts runs them.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { createActionsCacheService, realCacheFolders } from './cache-service.js';
import type { Deps } from './deps.js';
import { userDockerConfigDir } from './docker-config.js';
import type { Exec } from './exec.js';
import { errorMessage, StageError } from './errors.js';
import { expressionTexts } from './inputs/meta.js';
import { exportsMetaEnv, metaEnvName, planMetaOutputs } from './meta/outputs.js';
import { actionsFetch, type Completed, completeFromApi } from './meta/repo-api.js';
import type { Run } from './run.js';
import { randomBytes } from 'node:crypto';
import { type BuildPlanInput, planBuild, runBuild, type BuildResult } from './stages/build.js';
import { needsSmokeLoad, planSmokeLoad, smokeLoadTag } from './stages/smoke-load.js';
import { DEFAULT_BUILDX_VERSION, installBuildx } from './stages/buildx-install.js';
import { parseInspectNodes } from './stages/builder-nodes.js';
import { parseBuildxVersion, planBuilder, probeBuilder, readBuildxVersion, runBuilder, uniqueBuilderName } from './stages/builder.js';
import { buildRegistryRefs, configMirrors } from './stages/builder-network.js';
import { checkCallSupported, GIT_AUTH_ENV, gitSources, hasAttestType, planGitAuthSecret, resolveProvenance, secretArgs, secretIds } from './stages/buildopts.js';
import { type CachePlan, planCache } from './stages/cache.js';
import { type CacheRestore, cacheSummary, dryRunRestore, restoreLayerCache, saveLayerCache } from './stages/cache-act.js';
import { type LoginDecision, runLogin } from './stages/login.js';
import type { MetaPlan } from './stages/meta.js';
import { isLocalEngine, runQemu } from './stages/qemu.js';
import { checkShardImages, planMerge, planShardOutput, planShardPush, pushShardLayout, resolveShards, runMerge, shardAnnotations, shardOutput } from './stages/shard.js';
import { shardRefsStep, shardUploadStep } from './shard-steps.js';
import { summaryTable } from './summary.js';
import { type AfterBuildArgs, buildExec } from './verification.js';
import { artifactModule, metaModule, toolCacheModule } from './lazy.js';

type Builder = Awaited<ReturnType<typeof runBuilder>>;

/** Login first: every later docker call (builders included) uses its credentials. */
export async function loginStep(run: Run, login: LoginDecision): Promise<void> {
  if (login.logins.length === 0) return;
  const done: string[] = [];
  await run.stage('login', () =>
    runLogin(login.logins, run.dockerConfig, {
      exec: run.exec,
      log: (m) => run.host.info(m),
      // recorded one by one: post logs out even when a later login fails
      loggedIn: (registry) => {
        done.push(registry);
        run.state.update({ logins: [...done] });
      },
    }),
  );
  if (!run.inputs.logout) await keepLogins(run, login);
}

/**
 * logout: false (login-action): the same logins in the user's docker config too, for later steps
 * of the job; post removes only the run's own config, so these stay (as login-action leaves them).
 */
async function keepLogins(run: Run, login: LoginDecision): Promise<void> {
  const dir = userDockerConfigDir(run.deps.env);
  await run.stage('login (kept for later steps)', () =>
    runLogin(login.logins, dir, { exec: run.exec, log: (m) => run.host.info(`${m} (logout: false: in ${dir}, for later steps)`), loggedIn: () => undefined }),
  );
}

/** This machine's os.arch() when the engine is this machine's own, else undefined (ask the engine). */
function localEngineArch(deps: Deps): string | undefined {
  return isLocalEngine(deps.env, deps.files.readFile(path.join(userDockerConfigDir(deps.env), 'config.json'))) ? os.arch() : undefined;
}

export async function qemuStep(run: Run): Promise<void> {
  const { inputs, host } = run;
  const remoteDriver = inputs.driver === 'remote' || inputs.driver === 'kubernetes';
  const localArch = localEngineArch(run.deps);
  await run.stage('qemu', () =>
    runQemu(
      inputs.platforms,
      { exec: run.exec, localArch, remoteEngine: localArch === undefined, readFile: (p) => run.files.readFile(p), log: (m) => host.info(m), warn: (m) => host.warning(m) },
      {
        mode: inputs.qemu,
        image: inputs.qemuImage,
        nodePlatforms: inputs.append.flatMap((n) => n.platforms),
        skipReason: remoteDriver ? `the ${inputs.driver} driver builds away from this engine` : undefined,
      },
    ),
  );
}

/**
 * Find (or install) buildx, then use, create or reuse the builder; outputs builder, driver, and
 * builder-platforms when the result's `platforms()` answers (call it once, before the step ends). `whileWaiting` runs once the first probe has answered (all of them are started by
 * then, the slowest still out): CPU work placed there overlaps with the engine's.
 */
export async function builderStep(run: Run, whileWaiting: () => void = () => undefined): Promise<Builder> {
  const { inputs, host } = run;
  let waiting: (() => void) | undefined = whileWaiting;
  const exec: Exec = async (req) => {
    const res = await run.exec(req);
    waiting?.();
    waiting = undefined;
    return res;
  };
  const builder = await run.stage('builder', async () => {
    let probe = await probeBuilder(exec);
    const have = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
    const want = inputs.buildxVersion || (have ? '' : DEFAULT_BUILDX_VERSION);
    if (want && want !== have && inputs.dryRun) {
      host.info(`dry-run: would install buildx ${want} from ${inputs.buildxDownloadUrl}`);
    } else if (want && want !== have) {
      const { createToolCache } = await toolCacheModule();
      await installBuildx({ version: want, baseUrl: inputs.buildxDownloadUrl, tempDir: run.tempDir, dockerConfig: run.dockerConfig, cache: inputs.cacheBinary }, createToolCache(), (m) => host.info(m));
      // a new CLI plugin changes neither the engine nor the context: only buildx's answer is new
      probe = { ...probe, buildxVersion: await readBuildxVersion(exec) };
    }
    host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
    let buildkitdConfig = inputs.buildkitdConfig;
    if (inputs.buildkitdConfigInline.trim()) {
      buildkitdConfig = path.join(run.tempDir, 'buildkitd.toml');
      run.files.writeFile(buildkitdConfig, inputs.buildkitdConfigInline, 0o644);
    }
    // registry mirrors in the daemon config are registries BuildKit talks to as well
    const mirrors = buildkitdConfig ? configMirrors(run.files.readFile(buildkitdConfig) ?? '') : [];
    const plan = planBuilder(probe, { ...inputs, buildkitdConfig, registries: [...buildRegistryRefs(inputs), ...mirrors] }, uniqueBuilderName(run.deps.env));
    for (const n of plan.notes) host.info(n);
    // a dry run only printed `buildx create`: recording the name would make post remove (and warn
    // about) a builder that never existed, or one of the same name that someone else made
    const created = (name: string) => (inputs.dryRun ? host.info(`dry-run: builder ${name} was not created, post has nothing to remove`) : run.state.update({ builder: name, ...(inputs.keepState ? { keepState: true } : {}) }));
    const result = await runBuilder(plan, { exec, log: (m) => host.info(m), created });
    for (const w of result.warnings) host.warning(w);
    return result;
  });
  host.setOutput('builder', builder.name);
  host.setOutput('driver', builder.driver);
  const platforms = () =>
    Promise.all([builder.platforms(), builder.inspected()]).then(([list, text]) => {
      host.setOutput('builder-platforms', list.join(','));
      // setup-buildx-action's nodes output (its JSON, two-space indented)
      host.setOutput('nodes', JSON.stringify(parseInspectNodes(text), undefined, 2));
      return list;
    });
  return { ...builder, platforms };
}

/**
 * Start reading what the event payload lacks from the GitHub API (see completeFromApi): called as soon
 * as the inputs are valid, so the request runs while the engine is probed. Never rejects.
 */
export function startRepoApi(deps: Deps, inputs: Run['inputs'], ctx: Run['ctx']): Promise<Completed> {
  return completeFromApi(ctx.meta, expressionTexts(inputs).some((t) => t.includes('commit_date')), {
    fetch: actionsFetch(),
    token: inputs.githubToken || deps.env.GITHUB_TOKEN,
  }).catch((err: unknown) => ({ meta: ctx.meta, warnings: [`could not read repository data: ${errorMessage(err)}`] }));
}

/** Meta stage: the context completed from the API (started earlier, see startRepoApi), plan, set outputs. */
export async function metaStep(run: Run): Promise<MetaPlan> {
  const { inputs, host, deps } = run;
  const meta = await run.stage('meta', async () => {
    const completed = await run.repoApi;
    for (const w of completed.warnings) host.warning(w);
    const { planMeta } = await metaModule();
    try {
      return planMeta(
        { images: inputs.imageEntries, tagRules: inputs.tagRules, literalRefs: inputs.literalRefs, flavor: inputs.flavor, labels: inputs.labels, annotations: inputs.annotations },
        { meta: completed.meta, now: deps.now() },
      );
    } catch (err) {
      throw new StageError('meta', errorMessage(err));
    }
  });
  for (const n of meta.notes) host.warning(n);
  if (!meta.version) host.warning('No Docker image version has been generated. Check the tags input.');
  host.info(`version: ${meta.version || '(none)'}`);
  host.info(`tags:\n${meta.tags.join('\n') || '(none)'}`);
  host.info(`labels:\n${meta.labels.join('\n')}`);
  host.info(`annotations:\n${meta.annotations.join('\n')}`);
  const out = planMetaOutputs({ plan: meta, images: inputs.images, sepTags: inputs.sepTags, sepLabels: inputs.sepLabels, sepAnnotations: inputs.sepAnnotations, bakeTarget: inputs.bakeTarget, dir: run.tempDir });
  for (const [file, text] of out.files) run.files.writeFile(file, text, 0o644);
  const env = exportsMetaEnv(deps.env);
  for (const [name, value] of out.outputs) {
    host.setOutput(name, value);
    // as metadata-action, for later steps (DOCKER_METADATA_SET_OUTPUT_ENV=false turns it off)
    if (env) host.exportVariable(metaEnvName(name), value);
  }
  run.report.refs = meta.refs;
  return meta;
}

/** mode merge: no builder, no build; tags from the meta stage, an index from the shards. */
export async function mergeStep(run: Run): Promise<void> {
  const { inputs, host, push } = run;
  // no digests: @actions/artifact will read the shard results; load it while the tags are computed
  if (!inputs.digests.length && push.push && !run.deps.artifactStore) artifactModule().catch(() => undefined);
  const meta = await metaStep(run);
  if (!push.push) {
    host.info(`merge: nothing to merge, ${push.reason}`);
    return;
  }
  if (meta.refs.length === 0) throw new StageError('meta', 'nothing to merge under: no tag could be derived from the git ref; set "tags"');
  const log = (m: string) => host.info(m);
  // no digests: the shard results in this run's artifacts (read only, like every check below)
  const refs = inputs.digests.length ? inputs.digests : await shardRefsStep(run);
  const result = await run.stage('merge', async () => {
    // every check reads only: nothing is created until every shard is found and distinct
    const shards = await resolveShards(checkShardImages(refs, inputs.images[0]!), { exec: run.exec, log });
    const argv = planMerge(meta.refs, meta.annotations, shards);
    if (inputs.dryRun) {
      log(`dry-run plan:\n${JSON.stringify({ tags: meta.tags, shards, imagetools: argv }, null, 2)}`);
      return { digest: '', manifests: Object.fromEntries(shards.map((s) => [s.platform, s.manifest])) };
    }
    return runMerge(argv, meta.refs, shards, { exec: run.exec, log });
  });
  run.report.digest = result.digest;
  run.report.pushed = !inputs.dryRun;
  host.setOutput('digest', result.digest);
  host.setOutput('manifests', JSON.stringify(result.manifests));
  host.setOutput('pushed', String(!inputs.dryRun));
  host.setOutput('platforms', Object.keys(result.manifests).join(','));
  await host.summary(summaryTable(meta.refs, result.digest || '(dry run)', Object.keys(result.manifests), !inputs.dryRun, run.timings, { status: 'succeeded' }));
}

export interface CacheStep {
  plan: CachePlan;
  restored: CacheRestore;
  save(): Promise<void>;
}

/** Plan the layer cache and restore it (a dry run restores nothing); outputs cache-hit, cache-key. */
export async function cacheStep(run: Run, meta: MetaPlan, builder: Builder): Promise<CacheStep> {
  const { inputs, host, deps, ctx } = run;
  const plan = planCache({
    mode: inputs.cacheMode,
    explicitFrom: inputs.cacheFrom,
    explicitTo: inputs.cacheTo,
    keySuffix: inputs.cacheKey,
    os: deps.env.RUNNER_OS || 'Linux',
    platforms: inputs.platforms,
    file: inputs.file ? path.relative(ctx.workspace, inputs.file) : '',
    target: inputs.target,
    sha: ctx.sha,
    runnerTemp: ctx.runnerTemp,
    runTempDir: run.tempDir,
    images: inputs.images,
    refs: meta.refs,
    push: run.push.push,
    buildxVersion: builder.buildxVersion,
    runtime: deps.env,
  });
  for (const w of plan.warnings) host.warning(w);
  if (plan.env.ACTIONS_RUNTIME_TOKEN) host.setSecret(plan.env.ACTIONS_RUNTIME_TOKEN);
  // the run's cache folders live in its temp folder (removed by post); the shared service path is
  // another run's to use while it holds the lock, so post never removes it

  const cacheDeps = {
    // MULTIARCH_CACHE_TIMEOUT_SECONDS: how long one restore or save may take (default 20 min)
    service: deps.cacheService ?? createActionsCacheService(run.tempDir, 1000 * (Number(deps.env.MULTIARCH_CACHE_TIMEOUT_SECONDS) || 1200)),
    folders: deps.cacheFolders ?? realCacheFolders,
    info: (m: string) => host.info(m),
    warn: (m: string) => host.warning(m),
  };
  const restored = inputs.dryRun ? dryRunRestore(plan) : await run.stage('cache restore', () => restoreLayerCache(plan, cacheDeps));
  host.setOutput('cache-hit', restored.hit);
  host.setOutput('cache-key', restored.key);
  return {
    plan,
    restored,
    save: async () => {
      const saved = plan.local ? await run.stage('cache save', () => saveLayerCache(plan, restored, true, cacheDeps)) : undefined;
      run.report.cache = { hit: restored.hit, markdown: cacheSummary(restored, saved) };
    },
  };
}

function repoPrivate(payload: Record<string, unknown>): boolean | undefined {
  const repo = payload.repository as { private?: unknown } | undefined;
  return typeof repo?.private === 'boolean' ? repo.private : undefined;
}

export interface BuildPlan {
  argv: string[];
  /** What argv was planned from (the smoke test's per-platform loads reuse it). */
  input: BuildPlanInput;
  metadataFile: string;
  iidFile: string;
  /** mode shard: the one image, pushed by digest (an OCI layout first with the docker driver). */
  shard?: { image: string; ociDir: string };
}

/** github-token as BuildKit's GIT_AUTH_TOKEN.<host> secret for a git context on this server (see planGitAuthSecret). */
function gitAuthToken(run: Run): string {
  return run.inputs.githubToken || run.deps.env.GITHUB_TOKEN || '';
}

function gitAuthArgs(run: Run): string[] {
  const arg = planGitAuthSecret({ token: gitAuthToken(run), sources: gitSources(run.inputs), serverUrl: run.ctx.serverUrl, secretIds: secretIds(run.inputs) });
  return arg ? [arg] : [];
}

/** The exact `docker buildx build` argv for this run (a dry run writes no secret file). */
export function buildPlanStep(run: Run, meta: MetaPlan, builder: Builder, cache: CacheStep): BuildPlan {
  const { inputs, ctx, files, tempDir, push } = run;
  checkCallSupported(inputs.call, builder.buildxVersion);
  const metadataFile = path.join(tempDir, 'metadata.json');
  const iidFile = path.join(tempDir, 'iid');
  // mode shard: no tags, the one platform pushed by digest
  const shard = inputs.mode === 'shard' && push.push ? { image: inputs.images[0]!, ociDir: path.join(tempDir, 'shard-oci') } : undefined;
  const input: BuildPlanInput = {
    builder: builder.name,
    platforms: inputs.platforms,
    context: inputs.context,
    file: inputs.file,
    buildArgs: inputs.buildArgs,
    refs: inputs.mode === 'shard' ? [] : meta.refs,
    labels: meta.labels,
    annotations: inputs.mode === 'shard' ? shardAnnotations(meta.annotations) : meta.annotations,
    push: push.push && !shard,
    metadataFile,
    cacheFrom: cache.restored.cacheFrom,
    cacheTo: cache.restored.cacheTo,
    options: {
      ...inputs,
      outputs: shard ? [...inputs.outputs, planShardOutput(shard.image, builder.driver, shard.ociDir)] : inputs.outputs,
      secretArgs: [...secretArgs(inputs, tempDir, inputs.dryRun ? { ...files, writeFile: () => undefined } : files), ...gitAuthArgs(run)],
      // an attests entry of type provenance replaces the default (as build-push-action)
      provenance: !inputs.provenance && inputs.attests.some((a) => hasAttestType(a, 'provenance')) ? undefined : resolveProvenance(inputs.provenance, {
        load: inputs.load,
        outputs: inputs.outputs,
        repoPrivate: repoPrivate(ctx.payload),
        builderId: ctx.repository && ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}${ctx.runAttempt ? `/attempts/${ctx.runAttempt}` : ''}` : '',
      }),
      iidFile,
    },
  };
  return { argv: planBuild(input), input, metadataFile, iidFile, shard };
}

/**
 * The smoke test's loads when the builder keeps what it built (see smoke-load.ts), undefined when the
 * image is already where `docker run` finds it. The tags go into the state first, for post.
 */
export function smokeLoadStep(run: Run, plan: BuildPlan, cache: CacheStep, driver: string): AfterBuildArgs['smokeLoad'] {
  const { inputs, deps } = run;
  if (!inputs.smokeTest.length || plan.shard || !needsSmokeLoad(driver, run.push.push, inputs.load)) return undefined;
  const id = randomBytes(4).toString('hex');
  const tags = Object.fromEntries(inputs.platforms.map((p) => [p, smokeLoadTag(id, p)]));
  const argvs = Object.fromEntries(inputs.platforms.map((p, i) => [p, planSmokeLoad(plan.input, p, tags[p]!, path.join(run.tempDir, `smoke-metadata-${i}.json`))]));
  run.state.update({ smokeImages: Object.values(tags) });
  const env: Record<string, string> = { ...cache.restored.env };
  for (const s of inputs.secretEnvs) env[s.env] = deps.env[s.env] ?? '';
  return { argvs, tags, env };
}

/** Run buildx (retrying transient push failures), save the cache, push a shard; set the build outputs. */
export async function buildStep(run: Run, plan: BuildPlan, cache: CacheStep, driver: string): Promise<BuildResult> {
  const { inputs, host, files, deps, push, exec } = run;
  const secretEnv: Record<string, string> = {};
  for (const s of inputs.secretEnvs) secretEnv[s.env] = deps.env[s.env] ?? '';
  if (plan.argv.some((a) => a.endsWith(`env=${GIT_AUTH_ENV}`))) {
    secretEnv[GIT_AUTH_ENV] = gitAuthToken(run);
    host.setSecret(secretEnv[GIT_AUTH_ENV]);
  }
  // retries transient push failures (push-retries) by re-running the cached build
  const retrying = buildExec(exec, host, inputs, push.push);
  const result = await run.stage('build', () =>
    runBuild(plan.argv, plan.metadataFile, { exec: retrying, readFile: (p) => files.readFile(p) }, {
      iidFile: plan.iidFile,
      // a Dockerfile inside a git context is not a workspace path: no annotation path for it
      dockerfile: inputs.file && path.isAbsolute(inputs.file) ? path.relative(run.ctx.workspace, inputs.file) : undefined,
      // plain progress (what a runner's log shows anyway): the time report reads its step lines
      env: { BUILDKIT_PROGRESS: 'plain', ...cache.restored.env, ...secretEnv },
      call: inputs.call,
    }),
  );
  run.report.digest = result.digest;
  run.report.imageid = result.imageid;
  await cache.save();
  const shard = plan.shard;
  if (shard && driver === 'docker') {
    const authFile = path.join(run.dockerConfig, 'config.json');
    await run.stage('push', () => pushShardLayout(planShardPush(shard.image, result.digest, shard.ociDir, files.exists(authFile) ? authFile : undefined), { exec, log: (m) => host.info(m) }));
  }
  run.report.pushed = push.push;
  if (shard) host.setOutput('shard', shardOutput(shard.image, inputs.platforms[0]!, result.digest));
  host.setOutput('digest', result.digest);
  host.setOutput('imageid', result.imageid);
  host.setOutput('metadata', result.metadata);
  host.setOutput('pushed', String(push.push));
  host.setOutput('platforms', inputs.platforms.join(','));
  // last: a failed upload fails the step with every output above already set
  if (shard) await shardUploadStep(run, shard.image, inputs.platforms[0]!, result.digest);
  return result;
}
