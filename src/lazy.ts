/**
 * Stage modules with large libraries (the meta stage's Handlebars, moment-timezone, semver and
 * pep440; preflight's Dockerfile parser; the tool cache; @actions/cache), loaded on first use: the
 * bundler puts each in a chunk of its own, so the step starts without compiling them.
 * `preloadStages` starts loading what a run will need while its first docker commands are out, off
 * the critical path.
 */
import { once } from './once.js';

export const metaModule = once(() => import('./stages/meta.js'));
/** The input pass's validation render of tag/label/flavor expressions (Handlebars, moment-timezone). */
export const metaCheckModule = once(() => import('./inputs/meta-check.js'));
export const preflightModule = once(() => import('./stages/preflight.js'));
/** The arch check: tar-stream, zlib streams and picomatch, used after the build only. */
export const archCheckModule = once(() => import('./stages/archcheck-act.js'));
export const toolCacheModule = once(() => import('./toolcache.js'));
/** @actions/cache with its Azure and protobuf clients: the largest chunk, used only with a cache service. */
export const actionsCacheModule = once(() => import('@actions/cache'));
/** @actions/artifact (Azure blob and twirp clients): only shard and merge runs with an artifact service. */
export const artifactModule = once(() => import('@actions/artifact'));

/** Start loading the modules a run will use; a failure surfaces where the module is awaited. */
export function preloadStages(opts: { preflight: boolean; actionsCache: boolean; artifacts?: boolean }): void {
  metaModule().catch(() => undefined);
  if (opts.preflight) preflightModule().catch(() => undefined);
  if (opts.actionsCache) actionsCacheModule().catch(() => undefined);
  if (opts.artifacts) artifactModule().catch(() => undefined);
}
