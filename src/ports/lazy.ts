/**
 * Large libraries behind the ports (the tool cache; @actions/cache; @actions/artifact), loaded on
 * first use: the bundler puts each in a chunk of its own, so the step starts without compiling them.
 * A stage's own large module is loaded the same way from its wiring (see src/pipeline/preload.ts).
 */
import { once } from './once.js';

export const toolCacheModule = once(() => import('./tool-cache.js'));
/** @actions/cache with its Azure and protobuf clients: the largest chunk, used only with a cache service. */
export const actionsCacheModule = once(() => import('@actions/cache'));
/** @actions/artifact (Azure blob and twirp clients): only shard and merge runs with an artifact service. */
export const artifactModule = once(() => import('@actions/artifact'));
