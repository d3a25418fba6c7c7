import { InputErrors } from '../errors.js';
import { type BuildInputs, parseBuildInputs } from './build.js';
import { type BuilderInputs, checkBuildkitdConfigFile, parseBuilderInputs } from './builder.js';
import { type BuildOptionInputs, buildSecretValues, checkStagesExist, parseBuildOptionInputs } from './buildopts.js';
import { downloadUrlSecrets } from './buildx-url.js';
import { type CacheInputs, parseCacheInputs } from './cache.js';
import { Collector, type Getter, type InputEnv } from './collect.js';
import { type DryRunInputs, parseDryRunInputs } from './dry-run.js';
import { stepFormOf } from './form.js';
import { type LoginInputs, loginSecretValues, parseLoginInputs } from './login.js';
import { type MetaInputs, parseMetaInputs } from './meta.js';
import { type ParityInputs, parseParityInputs } from './parity.js';
import { parseReproducibleInputs, type ReproducibleInputs } from './reproducible.js';
import { modeOf, parseShardInputs, type ShardInputs } from './shard.js';
import { parseSignInputs, type SignInputs, signSecretValues } from './sign.js';
import { parseVerifyInputs, type VerifyInputs } from './verify.js';
import { parseWorkspacePaths, readInWorkspace, type WorkspacePathInputs } from './workspace-paths.js';

export type { Getter } from './collect.js';

/**
 * Every action input, parsed and validated, in one typed object. Each area parses its own
 * inputs in its own module; this is the one place they are put together.
 */
export type Inputs = MetaInputs &
  BuildInputs &
  BuilderInputs &
  DryRunInputs &
  LoginInputs &
  BuildOptionInputs &
  VerifyInputs &
  CacheInputs &
  ShardInputs &
  ParityInputs &
  ReproducibleInputs &
  SignInputs &
  WorkspacePathInputs;

/**
 * Parse and validate every input. Collects all problems and throws them together as
 * InputErrors, each naming its input and what would be valid. No process is started here.
 */
export function parseInputs(get: Getter, env: InputEnv): Inputs {
  const c = new Collector();
  // merge builds nothing: no checkout (context, Dockerfile) is needed, the platforms come from the shards
  const builds = modeOf(get) !== 'merge';
  const form = stepFormOf(get);
  const meta = parseMetaInputs(get, c, form);
  const build = parseBuildInputs(get, c, env, builds, form);
  const builder = parseBuilderInputs(get, c, env);
  const dryRun = parseDryRunInputs(get, c);
  const login = parseLoginInputs(get, c);
  const buildOptions = parseBuildOptionInputs(get, c, env);
  const verify = parseVerifyInputs(get, c, form);
  const cache = parseCacheInputs(get, c);
  const shard = parseShardInputs(get, c);
  const parity = parseParityInputs(get, c);
  const reproducible = parseReproducibleInputs(get, c, { ...builder, buildArgs: build.buildArgs });
  const sign = parseSignInputs(get, c, env);
  const paths = builds
    ? parseWorkspacePaths(get, c, env, { ...build, ...builder, ...buildOptions, ...cache, ...sign })
    : { allowOutsideWorkspace: false, outsideWorkspace: [] };
  if (builds && !c.has('file'))
    checkStagesExist(
      c,
      env,
      build.file,
      buildOptions,
      (f) => readInWorkspace(f, env.workspace, env, paths.allowOutsideWorkspace).text,
    );
  if (builds) checkBuildkitdConfigFile(c, env, builder.buildkitdConfig);
  if (shard.mode !== 'build' && !c.has('images') && meta.images.length !== 1) {
    c.fail(
      'images',
      `mode ${shard.mode} needs exactly one image name (${meta.images.length} enabled: ${meta.images.join(', ') || 'none'}): shards are pushed by digest to, and merged in, one repository`,
    );
  }
  if (shard.mode === 'shard' && !c.has('platforms') && build.platforms.length !== 1) {
    c.fail(
      'platforms',
      `mode shard builds exactly one platform, but ${build.platforms.length} are set (${build.platforms.join(', ')}): set platforms to the runner's own, e.g. linux/arm64 (one matrix job per platform)`,
    );
  }
  if (shard.mode !== 'build' && build.push === false) {
    c.fail(
      'push',
      `false cannot be combined with mode ${shard.mode}: shards are pushed by digest and merged in the registry; use mode: build to build without pushing`,
    );
  }
  // cross-input rules
  if (build.push === true && meta.images.length === 0 && meta.literalRefs.length === 0 && !c.has('images')) {
    c.fail(
      'images',
      'is empty but push is true: name at least one image, e.g. ghcr.io/org/app (or give full references in tags)',
    );
  }
  // load with several platforms needs the engine's containerd image store: the build stage checks
  // it once docker info has answered (see checkLoad); load with push does both, as build-push-action
  if (c.errors.length) throw new InputErrors(c.errors);
  return {
    ...meta,
    ...build,
    ...builder,
    ...dryRun,
    ...login,
    ...buildOptions,
    ...verify,
    ...cache,
    ...shard,
    ...parity,
    ...reproducible,
    ...sign,
    ...paths,
  };
}

/**
 * Raw secret values (registry passwords, build secrets), found leniently so they can be masked
 * before anything — even an input error — is logged.
 */
export function secretInputValues(get: Getter): string[] {
  return [
    ...loginSecretValues(get),
    ...buildSecretValues(get),
    ...downloadUrlSecrets(get),
    ...signSecretValues(get),
    get('github-token'),
  ].filter(Boolean);
}
