import * as path from 'node:path';

import { dockerfileName } from '../../inputs/build.js';
import { SOURCE_DATE_EPOCH } from '../../inputs/reproducible.js';
import type { VerifyInputs } from '../../inputs/verify.js';
import type { Exec } from '../../ports/exec.js';
import type { Host } from '../../ports/host.js';
import { actDeps, type Run, writePushed } from '../../run/run.js';
import type { CheckExportPlan } from '../archcheck/export.js';
import type { Builder } from '../builder/wiring.js';
import type { PreparedCache } from '../cache/wiring.js';
import type { MetaPlan } from '../meta/plan.js';
import type { SourceDate } from '../meta/source-date.js';
import { pushShardLayout } from '../shard/act.js';
import { planShardOutput, planShardPush, shardAnnotations, shardOutput } from '../shard/plan.js';
import { uploadShardResult } from '../shard/wiring.js';
import { type BuildResult, runBuild, writeSecretFiles } from './act.js';
import { retryingExec } from './act-retry.js';
import { buildCheckAnnotations, checksAnnotationsEnabled } from './checks.js';
import {
  checkCallSupported,
  GIT_AUTH_ENV,
  gitSources,
  hasAttestType,
  noDefaultAttestations,
  outputsPush,
  planGitAuthSecret,
  planSecrets,
  resolveProvenance,
  type SecretFile,
  secretIds,
  withRewriteTimestamp,
} from './options.js';
import { type BuildPlanInput, checkLoad, planBuild } from './plan.js';

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
  /** The secret values' files argv names (planned here, written by buildStage: a dry run writes none). */
  secretFiles: SecretFile[];
  /** mode shard: the one image, pushed by digest (an OCI layout first with the docker driver). */
  shard?: { image: string; ociDir: string };
  /** What the build also exports for the arch check (an unpushed build, see archcheck/export.ts). */
  check?: CheckExportPlan;
}

/** github-token as BuildKit's GIT_AUTH_TOKEN.<host> secret for a git context on this server (see planGitAuthSecret). */
function gitAuthToken(run: Run): string {
  return run.inputs.githubToken || run.env.GITHUB_TOKEN || '';
}

function gitAuthArgs(run: Run): string[] {
  const arg = planGitAuthSecret({
    token: gitAuthToken(run),
    sources: gitSources(run.inputs),
    serverUrl: run.ctx.serverUrl,
    secretIds: secretIds(run.inputs),
  });
  return arg ? [arg] : [];
}

/** The exact `docker buildx build` argv for this run, and the secret files it names (written by buildStage). */
export function planBuildStage(
  run: Run,
  meta: MetaPlan,
  builder: Builder,
  cache: PreparedCache,
  check?: CheckExportPlan,
): BuildPlan {
  const { inputs, tempDir, push } = run;
  checkCallSupported(inputs.call, builder.buildxVersion);
  const metadataFile = path.join(tempDir, 'metadata.json');
  const iidFile = path.join(tempDir, 'iid');
  // mode shard: no tags, the one platform pushed by digest
  const shard =
    inputs.mode === 'shard' && push.push
      ? { image: inputs.images[0]!, ociDir: path.join(tempDir, 'shard-oci') }
      : undefined;
  const secrets = planSecrets(inputs, tempDir);
  checkLoad(inputs.load, inputs.platforms, builder.containerdStore);
  const load = loadFlag(inputs.load, push.push, builder);
  const repro = reproducibleParts(meta.sourceDate, { push: push.push && !shard, load });
  const input: BuildPlanInput = {
    builder: builder.name,
    platforms: inputs.platformsFromBuilder ? [] : inputs.platforms,
    context: inputs.context,
    file: inputs.file,
    buildArgs: [...inputs.buildArgs, ...repro.buildArgs],
    refs: inputs.mode === 'shard' ? [] : meta.refs,
    labels: meta.labels,
    annotations: inputs.mode === 'shard' ? shardAnnotations(meta.annotations) : meta.annotations,
    // reproducible pushes through its own exporter entry (repro.outputs), which rewrites timestamps
    push: push.push && !shard && !meta.sourceDate,
    metadataFile,
    cacheFrom: cache.restored.cacheFrom,
    cacheTo: cache.restored.cacheTo,
    options: {
      ...inputs,
      load: load && !meta.sourceDate,
      outputs: [
        ...repro.rewrite([
          ...inputs.outputs,
          ...repro.outputs,
          ...(shard ? [planShardOutput(shard.image, builder.driver, shard.ociDir)] : []),
        ]),
        ...(check?.outputs ?? []),
      ],
      secretArgs: [...secrets.args, ...gitAuthArgs(run)],
      provenance: provenanceOf(run),
      iidFile,
    },
  };
  return { argv: planBuild(input), input, metadataFile, iidFile, secretFiles: secrets.files, shard, check };
}

/**
 * reproducible (a source date planned by the meta stage): SOURCE_DATE_EPOCH as a build-arg (the
 * user's own build-arg stays as given), the push and the load as exporter entries (type=registry,
 * type=docker: the `--push` and `--load` flags take no exporter options), and rewrite-timestamp on
 * every entry that writes an image.
 */
function reproducibleParts(
  sourceDate: SourceDate | undefined,
  exports: { push: boolean; load: boolean },
): { buildArgs: string[]; outputs: string[]; rewrite: (outputs: string[]) => string[] } {
  if (!sourceDate) return { buildArgs: [], outputs: [], rewrite: (o) => o };
  return {
    buildArgs: sourceDate.from === 'build-arg' ? [] : [`${SOURCE_DATE_EPOCH}=${sourceDate.epoch}`],
    outputs: [...(exports.push ? ['type=registry'] : []), ...(exports.load ? ['type=docker'] : [])],
    rewrite: withRewriteTimestamp,
  };
}

/**
 * --load beside --push, except on the docker driver over the containerd image store: there the
 * pushed image is the engine's own (its image exporter stores it, then pushes), and a second export
 * of the same name races it (moby 26: "image … already exists").
 */
function loadFlag(load: boolean, push: boolean, builder: Builder): boolean {
  return load && !(push && builder.driver === 'docker' && builder.containerdStore === true);
}

/** The --provenance value: an attests entry of type provenance replaces the default (as build-push-action). */
function provenanceOf({ inputs, ctx, env }: Run): string | undefined {
  if (!inputs.provenance && inputs.attests.some((a) => hasAttestType(a, 'provenance'))) return undefined;
  return resolveProvenance(inputs.provenance, {
    load: inputs.load,
    outputs: inputs.outputs,
    repoPrivate: repoPrivate(ctx.payload),
    noDefaultAttestations: noDefaultAttestations(env),
    builderId:
      ctx.repository && ctx.runId
        ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}${ctx.runAttempt ? `/attempts/${ctx.runAttempt}` : ''}`
        : '',
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
  if (argv.some((a) => a.endsWith(`env=${GIT_AUTH_ENV}`))) named[GIT_AUTH_ENV] = gitAuthToken(run);
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

/** Write the secret files, run buildx (retrying transient push failures), save the cache, push a shard; set the build outputs. */
export async function buildStage(
  run: Run,
  plan: BuildPlan,
  cache: PreparedCache,
  driver: string,
): Promise<BuildResult> {
  const { inputs, host, files, push, exec } = run;
  writeSecretFiles(plan.secretFiles, files);
  const env = buildEnv(run, plan, cache);
  // retries transient push failures (push-retries) by re-running the cached build
  const retrying = buildExec(exec, host, inputs, push.push);
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
  // only after a build that succeeded (runBuild throws on a failed one): a failed build saves nothing
  await cache.save(result.log);
  const shard = plan.shard;
  if (shard && driver === 'docker') {
    const authFile = path.join(run.dockerConfig, 'config.json');
    await run.timed('push', () =>
      pushShardLayout(
        planShardPush(shard.image, result.digest, shard.ociDir, files.exists(authFile) ? authFile : undefined),
        actDeps(run),
      ),
    );
  }
  // an outputs entry may push by itself (type=registry, type=image,push=true)
  run.report.pushed = push.push || outputsPush(inputs.outputs);
  writePushed(host, run.report);
  if (shard) host.setOutput('shard', shardOutput(shard.image, inputs.platforms[0]!, result.digest));
  host.setOutput('digest', result.digest);
  host.setOutput('imageid', result.imageid);
  host.setOutput('metadata', result.metadata);
  host.setOutput('platforms', inputs.platforms.join(','));
  // last: a failed upload fails the step with every output above already set
  if (shard) await uploadShardResult(run, shard.image, inputs.platforms[0]!, result.digest);
  return result;
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
