import { createHash } from 'node:crypto';
import * as path from 'node:path';

import { BUILDX_MINIMUM, buildxAtLeast } from '../../inputs/buildx-version.js';
import type { CacheMode } from '../../inputs/cache.js';
import { splitReference } from '../../oci/reference.js';
import type { DirState } from '../../ports/actions-cache.js';
import { cacheServiceAvailable } from '../../ports/services.js';

/**
 * The layer cache stage. Pure planning here (keys, restore-keys, --cache-from/--cache-to values,
 * the swap/reset/empty-guard decision); the thin act that talks to @actions/cache and moves
 * folders is in act.ts.
 */

export type CacheHit = 'exact' | 'partial' | 'miss';

const RESET_MIN_BUILDX = BUILDX_MINIMUM['cache reset=true'];
const GHA_V2_MIN_BUILDX = BUILDX_MINIMUM['the Actions cache v2 API'];

/**
 * On every --cache-to the action writes: buildx fails the whole build when a cache export fails
 * (a read-only cache token, a registry refusing cache manifests) unless told to go on; the log
 * scan of writes.ts turns the failure into a warning.
 */
export const IGNORE_ERROR = 'ignore-error=true';

export interface CachePlanInput {
  mode: CacheMode;
  /** Explicit cache-from / cache-to inputs: when either is set, they are used verbatim. */
  explicitFrom: string[];
  explicitTo: string[];
  keySuffix: string;
  /** RUNNER_OS (Linux, Windows, macOS). */
  os: string;
  platforms: string[];
  /** Dockerfile path relative to the workspace ('' = default of a remote context). */
  file: string;
  target: string;
  sha: string;
  runnerTemp: string;
  /**
   * This run's own temp folder (removed by post): the build reads and exports its cache there, so
   * two runs sharing RUNNER_TEMP (self-hosted) never touch each other's folders.
   */
  runTempDir: string;
  images: string[];
  refs: string[];
  push: boolean;
  buildxVersion: string;
  /** The runtime's cache service settings (ACTIONS_* variables), as the runner gives them to the step. */
  runtime: Record<string, string | undefined>;
}

export interface LocalCachePlan {
  /**
   * Where the cache service restores into and saves from: the same path every job (@actions/cache's
   * version hashes the path), so shared by every run on a machine with one RUNNER_TEMP; used only
   * under its lock (servicePath.lock), and only to hand the folder over to and from `dir`.
   */
  servicePath: string;
  /** This run's cache folder, inside its own temp folder: the build's cache-from. */
  dir: string;
  /** Where this build exports (swap strategy); equal to dir with reset. */
  exportDir: string;
  primaryKey: string;
  restoreKeys: string[];
  strategy: 'swap' | 'reset';
  /** Who takes servicePath's lock: this run's temp folder (its post step releases what is left). */
  owner: string;
}

export interface CachePlan {
  mode: CacheMode | 'explicit';
  local?: LocalCachePlan;
  /** --cache-from values that do not depend on a restore (gha, registry, inline, explicit). */
  cacheFrom: string[];
  cacheTo: string[];
  /** Extra environment for the buildx process (gha: the runtime's cache URL and token). */
  env: Record<string, string>;
  /** Lines for the log explaining what the cache will do. */
  notes: string[];
  /** Problems that do not stop the build (reported as ::warning). */
  warnings: string[];
  /** Why nothing is written to the cache this run (writes.ts): no --cache-to, no save. */
  skipSave?: string;
}

export function supportsReset(buildxVersion: string): boolean {
  return !!buildxVersion && buildxAtLeast(buildxVersion, 'cache reset=true');
}

/** What identifies "the same build" across commits. */
export function buildIdentity(p: Pick<CachePlanInput, 'platforms' | 'file' | 'target' | 'keySuffix'>): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ platforms: [...p.platforms].sort(), file: p.file, target: p.target, suffix: p.keySuffix }));
  return h.digest('hex').slice(0, 16);
}

/**
 * Keys for @actions/cache. The primary key changes per commit; the one restore-key is the same
 * key without the commit, so the service hands back the newest cache of this same build.
 * The identity hash includes the suffix, so one build's prefix never matches another's keys.
 */
export function cacheKeys(p: Pick<CachePlanInput, 'os' | 'platforms' | 'file' | 'target' | 'keySuffix' | 'sha'>): {
  primaryKey: string;
  restoreKeys: string[];
} {
  const prefix = `multiarch-buildx-${p.os || 'unknown'}-${buildIdentity(p)}-${p.keySuffix ? `${p.keySuffix}-` : ''}`;
  return { primaryKey: `${prefix}${p.sha || 'nosha'}`, restoreKeys: [prefix] };
}

export function ghaScope(images: string[], platforms: string[], suffix: string): string {
  // the repository without its registry host (any host: ghcr.io/, localhost:5000/), as splitReference reads it
  const image = images[0] ? splitReference(images[0]).repository.replace(/^library\//, '') : 'default';
  const raw = [image, ...platforms, suffix].filter(Boolean).join('-');
  return raw.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** The run's layer cache goes through @actions/cache (planCache gives it a `local` part). */
export function usesActionsCache(p: Pick<CachePlanInput, 'mode' | 'explicitFrom' | 'explicitTo' | 'runtime'>): boolean {
  return p.mode === 'local' && !p.explicitFrom.length && !p.explicitTo.length && cacheServiceAvailable(p.runtime);
}

const GHA_ENV = ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_SERVICE_V2'];

/** What the cache stage will do, before anything runs. */
export function planCache(p: CachePlanInput): CachePlan {
  const plan: CachePlan = { mode: p.mode, cacheFrom: [], cacheTo: [], env: {}, notes: [], warnings: [] };
  if (p.explicitFrom.length || p.explicitTo.length) {
    plan.mode = 'explicit';
    plan.cacheFrom = [...p.explicitFrom];
    plan.cacheTo = [...p.explicitTo];
    plan.notes.push(`cache-from/cache-to given: using them as is, the "${p.mode}" cache is not managed`);
    // explicit gha entries still need the runtime's credentials
    if ([...p.explicitFrom, ...p.explicitTo].some((e) => /(^|,)type=gha(,|$)/.test(e))) plan.env = ghaEnv(p.runtime);
    return plan;
  }
  switch (p.mode) {
    case 'none':
      plan.notes.push('cache: none — no layer cache');
      return plan;
    case 'local':
      return planLocal(p, plan);
    case 'gha':
      return planGha(p, plan);
    case 'registry':
      return planRegistry(p, plan);
    case 'inline': {
      plan.cacheTo = ['type=inline'];
      if (p.refs[0]) plan.cacheFrom = [`type=registry,ref=${p.refs[0]}`];
      plan.notes.push(`inline cache in the image${p.refs[0] ? `, read from ${p.refs[0]}` : ''}`);
      return plan;
    }
  }
  return plan;
}

/** cache: local — a folder restored and saved through @actions/cache, when the runtime has the service. */
function planLocal(p: CachePlanInput, plan: CachePlan): CachePlan {
  if (!cacheServiceAvailable(p.runtime)) {
    // not a failure (outside GitHub Actions, e.g. the CLI or act): a log line, not a warning
    plan.notes.push(
      'layer cache: the Actions cache service is not available here (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL unset); building without a layer cache',
    );
    return plan;
  }
  const { primaryKey, restoreKeys } = cacheKeys(p);
  const servicePath = path.join(p.runnerTemp, 'multiarch-cache', buildIdentity(p));
  const dir = path.join(p.runTempDir, 'layer-cache');
  const strategy = supportsReset(p.buildxVersion) ? 'reset' : 'swap';
  plan.local = {
    servicePath,
    dir,
    exportDir: strategy === 'reset' ? dir : `${dir}-new`,
    primaryKey,
    restoreKeys,
    strategy,
    owner: p.runTempDir,
  };
  plan.notes.push(
    strategy === 'reset'
      ? `local cache in ${dir}, exported with reset=true (buildx ${p.buildxVersion} ≥ ${RESET_MIN_BUILDX})`
      : `local cache in ${dir}, exported to a fresh folder and swapped in (buildx ${p.buildxVersion || '?'} < ${RESET_MIN_BUILDX} has no reset=true)`,
  );
  return plan;
}

/** cache: gha — buildx's own client of the runtime's cache service, with its credentials in the env. */
function planGha(p: CachePlanInput, plan: CachePlan): CachePlan {
  const scope = ghaScope(p.images, p.platforms, p.keySuffix);
  plan.env = ghaEnv(p.runtime);
  if (!plan.env.ACTIONS_RUNTIME_TOKEN || !cacheServiceAvailable(plan.env)) {
    plan.warnings.push(
      'layer cache: cache: gha needs the runtime cache service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL); building without a layer cache',
    );
    plan.env = {};
    return plan;
  }
  if (p.buildxVersion && !buildxAtLeast(p.buildxVersion, 'the Actions cache v2 API')) {
    plan.warnings.push(
      `layer cache: buildx ${p.buildxVersion} speaks only the retired Actions cache v1 API; type=gha needs buildx ≥ ${GHA_V2_MIN_BUILDX} (use cache: local with this buildx)`,
    );
  }
  plan.cacheFrom = [`type=gha,scope=${scope}`];
  // a refused write (a read-only cache token) must not fail the build: buildx reports it, writes.ts warns
  plan.cacheTo = [`type=gha,scope=${scope},mode=max,${IGNORE_ERROR}`];
  plan.notes.push(`gha cache, scope ${scope}`);
  return plan;
}

/** cache: registry — next to the first image, written only when pushing. */
function planRegistry(p: CachePlanInput, plan: CachePlan): CachePlan {
  const image = p.images[0];
  if (!image) {
    plan.warnings.push(
      'layer cache: cache: registry needs an image to keep the cache next to (set "images"); building without a layer cache',
    );
    return plan;
  }
  const ref = `${image}:buildcache`;
  plan.cacheFrom = [`type=registry,ref=${ref}`];
  if (p.push) plan.cacheTo = [`type=registry,ref=${ref},mode=max,${IGNORE_ERROR}`];
  plan.notes.push(p.push ? `registry cache ${ref} (read and write)` : `registry cache ${ref} (read only: not pushing)`);
  return plan;
}

function ghaEnv(runtime: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of GHA_ENV) {
    const v = runtime[k];
    if (v) env[k] = v;
  }
  return env;
}

/** The --cache-from/--cache-to values once the restore outcome is known. */
export function cacheArgs(plan: CachePlan, restored: boolean): { cacheFrom: string[]; cacheTo: string[] } {
  if (!plan.local) return { cacheFrom: plan.cacheFrom, cacheTo: plan.skipSave ? [] : plan.cacheTo };
  const { dir, exportDir, strategy } = plan.local;
  return {
    cacheFrom: restored ? [`type=local,src=${dir}`] : [],
    cacheTo: plan.skipSave
      ? []
      : [`type=local,dest=${exportDir},mode=max${strategy === 'reset' ? ',reset=true' : ''},${IGNORE_ERROR}`],
  };
}

export function classifyHit(primaryKey: string, matchedKey: string | undefined): CacheHit {
  if (!matchedKey) return 'miss';
  return matchedKey === primaryKey ? 'exact' : 'partial';
}

/** What to do with the cache folders after the build. */
export interface AfterBuild {
  /** Replace the restored folder by the export folder. */
  swap: boolean;
  /** Upload the (possibly swapped) folder under the primary key. */
  save: boolean;
  /** Why, for the log and summary. */
  note: string;
}

/**
 * After a successful build (a failed one never gets here: the build step throws before the
 * save), what to do with the folders. Never replaces a good cache with an empty export (the known
 * pitfall), never saves on an exact hit.
 */
export function decideAfterBuild(d: {
  strategy: 'swap' | 'reset';
  hit: CacheHit;
  restored: DirState;
  exported: DirState;
}): AfterBuild {
  if (d.strategy === 'reset') {
    if (!d.exported.valid) return { swap: false, save: false, note: 'the export is empty: nothing to save' };
    if (d.hit === 'exact') return { swap: false, save: false, note: 'exact cache hit: not saved again' };
    if (d.restored.fingerprint && d.restored.fingerprint === d.exported.fingerprint) {
      return { swap: false, save: false, note: 'the export is identical to the restored cache: not saved again' };
    }
    return { swap: false, save: true, note: 'exported with reset=true: saving' };
  }
  if (!d.exported.valid) {
    return d.restored.valid
      ? {
          swap: false,
          save: false,
          note: 'the new export is empty: kept the restored cache, not replaced by an empty one',
        }
      : { swap: false, save: false, note: 'the export is empty and nothing was restored: nothing to save' };
  }
  if (d.hit === 'exact') return { swap: true, save: false, note: 'exact cache hit: not saved again' };
  if (d.restored.valid && d.restored.fingerprint && d.restored.fingerprint === d.exported.fingerprint) {
    return { swap: false, save: false, note: 'the export is identical to the restored cache: not saved again' };
  }
  return {
    swap: true,
    save: true,
    note: d.restored.valid
      ? "replaced the restored cache by this build's export: saving"
      : "saving this build's export",
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}
