import type { CacheFolders, CacheService } from '../../ports/actions-cache.js';
import { type CacheHit, type CachePlan, cacheArgs, classifyHit, decideAfterBuild, formatBytes } from './plan.js';
import type { DirState } from '../../ports/actions-cache.js';
import { errorMessage } from '../../errors.js';

/**
 * The thin act of the cache stage: runs the plan of cache.ts against the cache service and the
 * filesystem. Never throws: every cache problem becomes a warning and the build goes on cold.
 */

/** The Actions cache service (real one: cache-service.ts on @actions/cache). */
/** A lock is held for one restore or one save, each bounded by the cache timeout (20 min default). */
const LOCK_STALE_MS = 30 * 60_000;

/** Run fn holding the lock on the shared service path; undefined when another run holds it. */
async function withServicePath<T>(servicePath: string, d: CacheActDeps, fn: () => Promise<T>): Promise<T | undefined> {
  if (!d.folders.lock(servicePath, LOCK_STALE_MS)) return undefined;
  try {
    // whatever is there is a leftover (no run holds the lock): start clean
    d.folders.remove(servicePath);
    return await fn();
  } finally {
    try {
      d.folders.remove(servicePath);
    } finally {
      d.folders.unlock(servicePath);
    }
  }
}

const BUSY = 'another run on this machine is restoring or saving the same cache folder (self-hosted runners sharing RUNNER_TEMP)';

export interface CacheActDeps {
  service: CacheService;
  folders: CacheFolders;
  info(m: string): void;
  warn(m: string): void;
}

export interface CacheRestore {
  hit: CacheHit | '';
  key: string;
  matchedKey?: string;
  restoredBytes: number;
  cacheFrom: string[];
  cacheTo: string[];
  env: Record<string, string>;
  /** Summary lines. */
  lines: string[];
  /** The restored folder as it was before the build (reset exports into the same folder). */
  restoredState?: DirState;
  /** The local cache is left out of this run (restore timed out). */
  abandoned?: boolean;
  /** The service itself failed (unreachable, 5xx): do not wait for it again to save. */
  serviceDown?: boolean;
}

/** Problems that mean the service is down, as opposed to a bad archive. */
export function isServiceFailure(problems: string[]): boolean {
  return problems.some((p) => /Failed to GetCacheEntryDownloadURL|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|Unable to make request|\(5\d\d\)|not available/.test(p));
}

function errText(err: unknown): string {
  return errorMessage(err);
}

/** Restore the local cache folder (when the plan has one) and return the buildx cache arguments. */
/** A dry run: the cache flags a cold build would get, with nothing restored (no I/O). */
export function dryRunRestore(plan: CachePlan): CacheRestore {
  const { cacheFrom, cacheTo } = cacheArgs(plan, false);
  return { hit: '', key: plan.local?.primaryKey ?? '', restoredBytes: 0, cacheFrom, cacheTo, env: plan.env, lines: ['dry run: nothing restored'] };
}

export async function restoreLayerCache(plan: CachePlan, d: CacheActDeps): Promise<CacheRestore> {
  for (const n of plan.notes) d.info(n);
  if (!plan.local) {
    const { cacheFrom, cacheTo } = cacheArgs(plan, false);
    const lines = [`mode ${plan.mode}${cacheFrom.length ? `, from ${cacheFrom.join(' ')}` : ''}${cacheTo.length ? `, to ${cacheTo.join(' ')}` : ''}`];
    return { hit: '', key: '', restoredBytes: 0, cacheFrom, cacheTo, env: plan.env, lines };
  }
  const { servicePath, dir, exportDir, primaryKey, restoreKeys } = plan.local;
  let matchedKey: string | undefined;
  let serviceDown = false;
  let restored: DirState;
  try {
    // a folder left by an earlier step of this run is not what the key says: start clean
    d.folders.remove(dir);
    if (exportDir !== dir) d.folders.remove(exportDir);
    // the service extracts into the shared path; the folder is moved into this run's own at once
    const res = await withServicePath(servicePath, d, async () => {
      const r = await d.service.restore([servicePath], primaryKey, restoreKeys);
      if (!r.timedOut && d.folders.inspect(servicePath).bytes > 0) d.folders.rename(servicePath, dir);
      return r;
    });
    if (!res) {
      const line = `restored: nothing (${BUSY})`;
      d.info(`layer cache: ${line}; building without it`);
      return { hit: 'miss', key: primaryKey, restoredBytes: 0, ...cacheArgs(plan, false), env: plan.env, lines: [line], restoredState: { valid: false, bytes: 0 } };
    }
    if (res.timedOut) {
      // a late download could still extract into the folder: leave the local cache out of this run
      d.warn(`layer cache: restore timed out (${res.problems.join('; ')}); building without the layer cache, not saving`);
      const line = 'restored: nothing (the cache service timed out); not saving';
      return { hit: 'miss', key: primaryKey, restoredBytes: 0, cacheFrom: [], cacheTo: [], env: plan.env, lines: [line], serviceDown: true, abandoned: true };
    }
    matchedKey = res.matchedKey;
    restored = d.folders.inspect(dir);
    if (res.problems.length) {
      serviceDown = isServiceFailure(res.problems);
      d.warn(`layer cache: restore failed, building without a cache: ${res.problems.join('; ')}`);
      matchedKey = undefined;
    } else if (matchedKey && !restored.valid) {
      d.warn(`layer cache: the cache restored from ${matchedKey} is not a valid cache folder; building without a cache`);
      matchedKey = undefined;
    }
    if (!matchedKey) {
      // a failed or partial extraction must not feed the build
      d.folders.remove(dir);
      restored = { valid: false, bytes: 0 };
    }
  } catch (err) {
    d.warn(`layer cache: restore failed, building without a cache: ${errText(err)}`);
    matchedKey = undefined;
    restored = { valid: false, bytes: 0 };
    try {
      d.folders.remove(dir);
    } catch {
      // nothing more to do: the build runs without cache-from
    }
  }
  const hit = classifyHit(primaryKey, matchedKey);
  const { cacheFrom, cacheTo } = cacheArgs(plan, hit !== 'miss');
  const lines = [
    hit === 'miss'
      ? `restored: nothing (key ${primaryKey})`
      : `restored: ${formatBytes(restored.bytes)} from ${hit === 'exact' ? 'exact key' : 'restore-key match'} ${matchedKey}`,
  ];
  d.info(`layer cache: ${lines[0]}`);
  return { hit, key: primaryKey, matchedKey, restoredBytes: restored.bytes, cacheFrom, cacheTo, env: plan.env, lines, serviceDown, restoredState: restored };
}

export interface CacheSave {
  saved: boolean;
  savedBytes: number;
  note: string;
  lines: string[];
}

/** After a successful build: swap the export in (or keep the restored cache) and save it. */
export async function saveLayerCache(plan: CachePlan, restore: CacheRestore, buildOk: boolean, d: CacheActDeps): Promise<CacheSave> {
  if (!plan.local || restore.abandoned) return { saved: false, savedBytes: 0, note: '', lines: [] };
  const { dir, exportDir, primaryKey, strategy } = plan.local;
  try {
    // the restored folder as restore measured it (the build only reads it; reset exports over it
    // afterwards): a cache can be gigabytes, not scanned twice
    const restored = restore.hit === 'miss' ? { valid: false, bytes: 0 } : (restore.restoredState ?? { valid: false, bytes: 0 });
    const exported = d.folders.inspect(exportDir);
    const decision = decideAfterBuild({ strategy, hit: restore.hit === '' ? 'miss' : restore.hit, buildOk, restored, exported });
    d.info(`layer cache: ${decision.note}`);
    if (decision.swap && exportDir !== dir) {
      d.folders.remove(dir);
      d.folders.rename(exportDir, dir);
    } else if (exportDir !== dir) {
      d.folders.remove(exportDir);
    }
    if (!decision.save) {
      return { saved: false, savedBytes: 0, note: decision.note, lines: [`saved: nothing (${decision.note})`] };
    }
    if (restore.serviceDown) {
      const why = 'the cache service failed during restore, not trying again to save';
      d.warn(`layer cache: not saved: ${why}`);
      return { saved: false, savedBytes: 0, note: why, lines: [`saved: nothing (${why})`] };
    }
    // what is saved is the export (swapped into dir, or exported into it with reset), handed to the
    // shared service path under its lock
    const size = exported.bytes;
    const res = await withServicePath(plan.local.servicePath, d, async () => {
      d.folders.rename(dir, plan.local!.servicePath);
      return d.service.save([plan.local!.servicePath], primaryKey);
    });
    if (!res) {
      d.warn(`layer cache: not saved: ${BUSY}; the next run starts from the previous cache`);
      return { saved: false, savedBytes: 0, note: BUSY, lines: [`saved: nothing (${BUSY})`] };
    }
    if (res.problems.length || !res.saved) {
      const why = res.problems.join('; ') || 'the cache service did not accept it (another job may be saving the same key)';
      if (res.problems.length) d.warn(`layer cache: save failed, the next run starts from the previous cache: ${why}`);
      else d.info(`layer cache: not saved: ${why}`);
      return { saved: false, savedBytes: 0, note: why, lines: [`saved: nothing (${why})`] };
    }
    const line = `saved: ${formatBytes(size)} as ${primaryKey}`;
    d.info(`layer cache: ${line}`);
    return { saved: true, savedBytes: size, note: decision.note, lines: [line] };
  } catch (err) {
    d.warn(`layer cache: save failed, the next run starts from the previous cache: ${errText(err)}`);
    return { saved: false, savedBytes: 0, note: errText(err), lines: [`saved: nothing (${errText(err)})`] };
  }
}

export function cacheSummary(restore: CacheRestore, save?: CacheSave): string {
  const rows = ['#### layer cache', '', ...restore.lines.map((l) => `- ${l}`), ...(save?.lines ?? []).map((l) => `- ${l}`)];
  if (restore.hit) rows.push(`- hit: ${restore.hit}`);
  return `${rows.join('\n')}\n`;
}
