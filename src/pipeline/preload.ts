/**
 * Start loading the modules a run will use while its first docker commands are out, off the
 * critical path; a failure surfaces where the module is awaited.
 */
import { actionsCacheModule } from '../ports/lazy.js';
import { once } from '../ports/once.js';
import { metaModule } from '../stages/meta/wiring.js';
import { preflightModule } from '../stages/preflight/wiring.js';

/** The input pass's validation render of tag/label/flavor expressions (Handlebars, moment-timezone). */
export const metaCheckModule = once(() => import('../stages/meta/check.js'));

/** The Dockerfile reader (dockerfile-ast): the input pass needs it only to check target and no-cache-filters. */
export const dockerfileModule = once(() => import('../oci/dockerfile.js'));

export function preloadStages(opts: { preflight: boolean; actionsCache: boolean }): void {
  metaModule().catch(() => undefined);
  if (opts.preflight) preflightModule().catch(() => undefined);
  if (opts.actionsCache) actionsCacheModule().catch(() => undefined);
}
