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
import { actionsFetch, type Completed, completeFromApi } from './meta/repo-api.js';
import type { Run } from './run.js';
import { planBuild, runBuild, type BuildResult } from './stages/build.js';
import { DEFAULT_BUILDX_VERSION, installBuildx } from './stages/buildx-install.js';
import { parseBuildxVersion, planBuilder, probeBuilder, readBuildxVersion, runBuilder, uniqueBuilderName } from './stages/builder.js';
import { resolveProvenance, secretArgs } from './stages/buildopts.js';
import { type CachePlan, planCache } from './stages/cache.js';
import { type CacheRestore, cacheSummary, dryRunRestore, restoreLayerCache, saveLayerCache } from './stages/cache-act.js';
import { type LoginDecision, runLogin } from './stages/login.js';
import type { MetaPlan } from './stages/meta.js';
import { isLocalEngine, runQemu } from './stages/qemu.js';
import { checkShardImages, planMerge, planShardOutput, planShardPush, pushShardLayout, resolveShards, runMerge, shardAnnotations, shardOutput } from './stages/shard.js';
import { summaryTable } from './summary.js';
import { buildExec } from './verification.js';
import { metaModule, toolCacheModule } from './lazy.js';

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
}

/** This machine's os.arch() when the engine is this machine's own, else undefined (ask the engine). */
function localEngineArch(deps: Deps): string | undefined {
  return isLocalEngine(deps.env, deps.files.readFile(path.join(userDockerConfigDir(deps.env), 'config.json'))) ? os.arch() : undefined;
}

export async function qemuStep(run: Run): Promise<void> {
  const { inputs, host } = run;
  const remoteDriver = inputs.driver === 'remote' || inputs.driver === 'kubernetes';
  await run.stage('qemu', () =>
    runQemu(
      inputs.platforms,
      { exec: run.exec, localArch: localEngineArch(run.deps), readFile: (p) => run.files.readFile(p), log: (m) => host.info(m), warn: (m) => host.warning(m) },
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
      await installBuildx({ version: want, baseUrl: inputs.buildxDownloadUrl, tempDir: run.tempDir, dockerConfig: run.dockerConfig }, createToolCache(), (m) => host.info(m));
      // a new CLI plugin changes neither the engine nor the context: only buildx's answer is new
      probe = { ...probe, buildxVersion: await readBuildxVersion(exec) };
    }
    host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
    let buildkitdConfig = inputs.buildkitdConfig;
    if (inputs.buildkitdConfigInline.trim()) {
      buildkitdConfig = path.join(run.tempDir, 'buildkitd.toml');
      run.files.writeFile(buildkitdConfig, inputs.buildkitdConfigInline, 0o644);
    }
    const plan = planBuilder(probe, { ...inputs, buildkitdConfig }, uniqueBuilderName(run.deps.env));
    return runBuilder(plan, { exec, log: (m) => host.info(m), created: (name) => run.state.update({ builder: name }) });
  });
  host.setOutput('builder', builder.name);
  host.setOutput('driver', builder.driver);
  const platforms = () =>
    builder.platforms().then((list) => {
      host.setOutput('builder-platforms', list.join(','));
      return list;
    });
  return { ...builder, platforms };
}

/**
 * Start reading what the event payload lacks from the GitHub API (see completeFromApi): called as soon
 * as the inputs are valid, so the request runs while the engine is probed. Never rejects.
 */
export function startRepoApi(deps: Deps, inputs: Run['inputs'], ctx: Run['ctx']): Promise<Completed> {
  const texts = [...inputs.tagRules.flatMap((r) => Object.values(r.attrs)), ...inputs.labels, ...inputs.annotations, inputs.flavor.prefix, inputs.flavor.suffix];
  return completeFromApi(ctx.meta, texts.some((t) => t.includes('commit_date')), {
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
  host.setOutput('version', meta.version);
  host.setOutput('tags', meta.tags.join(inputs.sepTags));
  host.setOutput('labels', meta.labels.join(inputs.sepLabels));
  host.setOutput('annotations', meta.annotations.join(inputs.sepAnnotations));
  host.setOutput('json', JSON.stringify(meta.json));
  run.report.refs = meta.refs;
  return meta;
}

/** mode merge: no builder, no build; tags from the meta stage, an index from the shards. */
export async function mergeStep(run: Run): Promise<void> {
  const { inputs, host, push } = run;
  const meta = await metaStep(run);
  if (!push.push) {
    host.info(`merge: nothing to merge, ${push.reason}`);
    return;
  }
  if (meta.refs.length === 0) throw new StageError('meta', 'nothing to merge under: no tag could be derived from the git ref; set "tags"');
  const log = (m: string) => host.info(m);
  const result = await run.stage('merge', async () => {
    // every check reads only: nothing is created until every shard is found and distinct
    const shards = await resolveShards(checkShardImages(inputs.digests, inputs.images[0]!), { exec: run.exec, log });
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
    images: inputs.images,
    refs: meta.refs,
    push: run.push.push,
    buildxVersion: builder.buildxVersion,
    runtime: deps.env,
  });
  for (const w of plan.warnings) host.warning(w);
  if (plan.env.ACTIONS_RUNTIME_TOKEN) host.setSecret(plan.env.ACTIONS_RUNTIME_TOKEN);
  if (plan.local) run.state.update({ cacheDirs: [...new Set([plan.local.dir, plan.local.exportDir, path.dirname(plan.local.dir)])] });
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
  metadataFile: string;
  iidFile: string;
  /** mode shard: the one image, pushed by digest (an OCI layout first with the docker driver). */
  shard?: { image: string; ociDir: string };
}

/** The exact `docker buildx build` argv for this run (a dry run writes no secret file). */
export function buildPlanStep(run: Run, meta: MetaPlan, builder: Builder, cache: CacheStep): BuildPlan {
  const { inputs, ctx, files, tempDir, push } = run;
  const metadataFile = path.join(tempDir, 'metadata.json');
  const iidFile = path.join(tempDir, 'iid');
  // mode shard: no tags, the one platform pushed by digest
  const shard = inputs.mode === 'shard' && push.push ? { image: inputs.images[0]!, ociDir: path.join(tempDir, 'shard-oci') } : undefined;
  const argv = planBuild({
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
      secretArgs: secretArgs(inputs, tempDir, inputs.dryRun ? { ...files, writeFile: () => undefined } : files),
      provenance: resolveProvenance(inputs.provenance, {
        load: inputs.load,
        outputs: inputs.outputs,
        repoPrivate: repoPrivate(ctx.payload),
        builderId: ctx.repository && ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}${ctx.runAttempt ? `/attempts/${ctx.runAttempt}` : ''}` : '',
      }),
      iidFile,
    },
  });
  return { argv, metadataFile, iidFile, shard };
}

/** Run buildx (retrying transient push failures), save the cache, push a shard; set the build outputs. */
export async function buildStep(run: Run, plan: BuildPlan, cache: CacheStep, driver: string): Promise<BuildResult> {
  const { inputs, host, files, deps, push, exec } = run;
  const secretEnv: Record<string, string> = {};
  for (const s of inputs.secretEnvs) secretEnv[s.env] = deps.env[s.env] ?? '';
  // retries transient push failures (push-retries) by re-running the cached build
  const retrying = buildExec(exec, host, inputs, push.push);
  const result = await run.stage('build', () =>
    runBuild(plan.argv, plan.metadataFile, { exec: retrying, readFile: (p) => files.readFile(p) }, {
      iidFile: plan.iidFile,
      // a Dockerfile inside a git context is not a workspace path: no annotation path for it
      dockerfile: inputs.file && path.isAbsolute(inputs.file) ? path.relative(run.ctx.workspace, inputs.file) : undefined,
      // plain progress (what a runner's log shows anyway): the time report reads its step lines
      env: { BUILDKIT_PROGRESS: 'plain', ...cache.restored.env, ...secretEnv },
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
  return result;
}
