import * as path from 'node:path';

import type { RunContext } from '../../context/run-context.js';
import { StageError } from '../../errors.js';
import type { Inputs } from '../../inputs/index.js';
import { SOURCE_DATE_EPOCH } from '../../inputs/reproducible.js';
import type { CheckExportPlan } from '../archcheck/export.js';
import type { Builder } from '../builder/wiring.js';
import type { MetaPlan } from '../meta/plan.js';
import type { SourceDate } from '../meta/source-date.js';
import { planShardOutput, shardAnnotations, type ShardTarget } from '../shard/plan.js';
import {
  type BuildOptionsPlan,
  checkCallSupported,
  gitSources,
  hasAttestType,
  noDefaultAttestations,
  planBuildOptions,
  planGitAuthSecret,
  planSecrets,
  resolveProvenance,
  type SecretFile,
  secretIds,
  withImageName,
  withRewriteTimestamp,
} from './options.js';

export interface BuildPlanInput {
  builder: string;
  /** [] = the builder's own platform (no --platform, as build-push-action without platforms). */
  platforms: string[];
  context: string;
  /** '' = buildx's default for the context. */
  file: string;
  buildArgs: string[];
  refs: string[];
  /** KEY=VALUE labels (meta stage: generated OCI labels + the labels input). */
  labels?: string[];
  /** level:KEY=VALUE annotations (meta stage). */
  annotations?: string[];
  push: boolean;
  metadataFile: string;
  /** Build options (build-contexts, secrets, provenance, load, …), see options.ts. */
  options?: BuildOptionsPlan;
  /** --cache-from / --cache-to values (cache stage). */
  cacheFrom?: string[];
  cacheTo?: string[];
}

/**
 * Pure: load with several platforms needs an image store that holds multi-platform images (the
 * engine's containerd store, with either driver); the classic store holds one platform per tag.
 */
export function checkLoad(load: boolean, platforms: string[], containerdStore: boolean | undefined): void {
  if (!load || platforms.length < 2 || containerdStore !== false) return;
  throw new StageError(
    'build',
    `load: true with ${platforms.length} platforms (${platforms.join(', ')}) needs the Docker engine's containerd image store, which holds multi-platform images; this engine uses the classic image store, which holds one platform per tag. Set platforms to one, use push, or enable the containerd image store ({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd)`,
  );
}

/** Pure: the exact `docker buildx build` argv. */
export function planBuild(p: BuildPlanInput): string[] {
  const argv = ['docker', 'buildx', 'build', '--builder', p.builder];
  if (p.platforms.length) argv.push('--platform', p.platforms.join(','));
  if (p.file) argv.push('--file', p.file);
  for (const arg of p.buildArgs) argv.push('--build-arg', arg);
  for (const ref of p.refs) argv.push('--tag', ref);
  for (const label of p.labels ?? []) argv.push('--label', label);
  for (const a of p.annotations ?? []) argv.push('--annotation', a);
  for (const c of p.cacheFrom ?? []) argv.push('--cache-from', c);
  for (const c of p.cacheTo ?? []) argv.push('--cache-to', c);
  argv.push('--metadata-file', p.metadataFile);
  if (p.push) argv.push('--push');
  if (p.options) argv.push(...planBuildOptions(p.options));
  argv.push(p.context);
  return argv;
}

/**
 * Pull buildx's final ERROR line, the failing step and the Dockerfile location out of its
 * output. buildx prints the location as "<name>:<line>" right above a "-----" excerpt of the
 * Dockerfile, <name> being the file's base name; `dockerfile` (workspace-relative) replaces it
 * when the base names match, so the annotation points at the real file.
 */
export function explainBuildFailure(
  stderr: string,
  dockerfile?: string,
): { message: string; file?: string; line?: number } {
  const lines = stderr.split(/\r?\n/);
  const errorLine = [...lines].reverse().find((l) => /^(ERROR|error):/.test(l.trim()));
  let message =
    errorLine?.trim().replace(/^(ERROR|error):\s*/, '') ||
    lines
      .filter((l) => l.trim())
      .slice(-1)[0]
      ?.trim() ||
    'buildx failed';
  const step = [...lines]
    .reverse()
    .map((l) => /^ > (\[.+\] .+):$/.exec(l))
    .find((m) => m);
  if (step && !message.includes(step[1]!)) message = `${step[1]}: ${message}`;
  let file: string | undefined;
  let line: number | undefined;
  for (let i = lines.length - 2; i >= 0; i--) {
    const m = /^(\S[^\s:]*):(\d+)$/.exec(lines[i]!.trim());
    if (m && /^-{10,}$/.test(lines[i + 1]!.trim())) {
      file = m[1];
      line = Number(m[2]);
      break;
    }
  }
  if (file && dockerfile && path.basename(dockerfile) === path.basename(file)) file = dockerfile;
  return { message, file, line };
}

/** What the build command is planned from: plain values of the run, no `Run` (planBuildStage gathers them). */
export interface BuildCommandValues {
  inputs: Inputs;
  ctx: Pick<RunContext, 'payload' | 'repository' | 'runId' | 'runAttempt' | 'serverUrl'>;
  env: NodeJS.ProcessEnv;
  tempDir: string;
  /** The push decision (pipeline/inputs.ts). */
  push: boolean;
  meta: Pick<MetaPlan, 'refs' | 'labels' | 'annotations' | 'sourceDate'>;
  builder: Pick<Builder, 'name' | 'driver' | 'containerdStore' | 'buildxVersion'>;
  /** The cache stage's restored flags. */
  cache: { cacheFrom: string[]; cacheTo: string[] };
  check?: CheckExportPlan;
  /** The smoke test's docker exporter (verify/smoke-load.ts planSmokeExport): listed before the check's. */
  smokeExport?: string;
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
  shard?: ShardTarget;
  /** What the build also exports for the arch check (an unpushed build, see archcheck/export.ts). */
  check?: CheckExportPlan;
}

/** Pure: the exact `docker buildx build` argv for this run, and the secret files it names (written by buildStage). */
export function planBuildCommand(v: BuildCommandValues): BuildPlan {
  const { inputs, tempDir, push, meta, builder, cache, check, smokeExport } = v;
  checkCallSupported(inputs.call, builder.buildxVersion);
  const metadataFile = path.join(tempDir, 'metadata.json');
  const iidFile = path.join(tempDir, 'iid');
  // mode shard: no tags, the one platform pushed by digest
  const shard =
    inputs.mode === 'shard' && push ? { image: inputs.images[0]!, ociDir: path.join(tempDir, 'shard-oci') } : undefined;
  const secrets = planSecrets(inputs, tempDir);
  checkLoad(inputs.load, inputs.platforms, builder.containerdStore);
  const load = loadFlag(inputs.load, push, builder);
  const repro = reproducibleParts(meta.sourceDate, { push: push && !shard, load });
  const input: BuildPlanInput = {
    builder: builder.name,
    platforms: inputs.platformsFromBuilder ? [] : inputs.platforms,
    context: inputs.context,
    file: inputs.file,
    buildArgs: [...inputs.buildArgs, ...repro.buildArgs],
    // beside the smoke test's exporter the tags go on the check's export by name: --tag would rename both
    refs: inputs.mode === 'shard' || smokeExport ? [] : meta.refs,
    labels: meta.labels,
    annotations: inputs.mode === 'shard' ? shardAnnotations(meta.annotations) : meta.annotations,
    // reproducible pushes through its own exporter entry (repro.pushOutputs), which rewrites timestamps
    push: push && !shard && !meta.sourceDate,
    metadataFile,
    cacheFrom: cache.cacheFrom,
    cacheTo: cache.cacheTo,
    options: {
      ...inputs,
      load: load && !meta.sourceDate,
      // buildx reports the last exporter's digest and name (the step's outputs): the check's export
      // last, but before a load (repro.loadOutputs, or --load, which buildx appends), so a loaded
      // build reports the image it loaded
      outputs: repro.rewrite([
        ...inputs.outputs,
        ...repro.pushOutputs,
        ...(shard ? [planShardOutput(shard.image, builder.driver, shard.ociDir)] : []),
        ...(smokeExport ? [smokeExport] : []),
        ...(smokeExport ? withImageName(check?.outputs ?? [], meta.refs) : (check?.outputs ?? [])),
        ...repro.loadOutputs,
      ]),
      secretArgs: [...secrets.args, ...gitAuthArgs(v)],
      provenance: provenanceOf(v),
      iidFile,
    },
  };
  return { argv: planBuild(input), input, metadataFile, iidFile, secretFiles: secrets.files, shard, check };
}

/** github-token as BuildKit's GIT_AUTH_TOKEN.<host> secret for a git context on this server (see planGitAuthSecret). */
export function gitAuthToken(inputs: Pick<Inputs, 'githubToken'>, env: NodeJS.ProcessEnv): string {
  return inputs.githubToken || env.GITHUB_TOKEN || '';
}

function gitAuthArgs({ inputs, env, ctx }: BuildCommandValues): string[] {
  const arg = planGitAuthSecret({
    token: gitAuthToken(inputs, env),
    sources: gitSources(inputs),
    serverUrl: ctx.serverUrl,
    secretIds: secretIds(inputs),
  });
  return arg ? [arg] : [];
}

function repoPrivate(payload: Record<string, unknown>): boolean | undefined {
  const repo = payload.repository as { private?: unknown } | undefined;
  return typeof repo?.private === 'boolean' ? repo.private : undefined;
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
): { buildArgs: string[]; pushOutputs: string[]; loadOutputs: string[]; rewrite: (outputs: string[]) => string[] } {
  if (!sourceDate) return { buildArgs: [], pushOutputs: [], loadOutputs: [], rewrite: (o) => o };
  return {
    buildArgs: sourceDate.from === 'build-arg' ? [] : [`${SOURCE_DATE_EPOCH}=${sourceDate.epoch}`],
    pushOutputs: exports.push ? ['type=registry'] : [],
    loadOutputs: exports.load ? ['type=docker'] : [],
    rewrite: withRewriteTimestamp,
  };
}

/**
 * --load beside --push, except on the docker driver over the containerd image store: there the
 * pushed image is the engine's own (its image exporter stores it, then pushes), and a second export
 * of the same name races it (moby 26: "image … already exists").
 */
function loadFlag(load: boolean, push: boolean, builder: BuildCommandValues['builder']): boolean {
  return load && !(push && builder.driver === 'docker' && builder.containerdStore === true);
}

/** The --provenance value: an attests entry of type provenance replaces the default (as build-push-action). */
function provenanceOf({ inputs, ctx, env }: BuildCommandValues): string | undefined {
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
