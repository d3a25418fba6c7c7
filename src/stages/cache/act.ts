import { errorMessage } from '../../errors.js';
import type { CacheFolders, CacheService, DirState } from '../../ports/actions-cache.js';
import type { ActDeps } from '../../ports/exec.js';
import { summaryText } from '../../run/summary.js';
import {
  type AfterBuild,
  cacheArgs,
  type CacheHit,
  type CachePlan,
  classifyHit,
  decideAfterBuild,
  formatBytes,
  type LocalCachePlan,
} from './plan.js';
import { isWriteDenied } from './writes.js';

/**
 * The thin act of the cache stage: runs the plan of plan.ts against the cache service and the
 * cache folders. Never throws: every cache problem becomes a warning and the build goes on cold.
 */

/** A lock is held for one restore or one save, each bounded by the cache timeout (20 min default). */
const LOCK_STALE_MS = 30 * 60_000;

/** Run fn holding the lock on the shared service path (for run `owner`); undefined when another run holds it. */
async function withServicePath<T>(
  { servicePath, owner }: Pick<LocalCachePlan, 'servicePath' | 'owner'>,
  d: CacheActDeps,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  if (!d.folders.lock(servicePath, LOCK_STALE_MS, owner)) return undefined;
  try {
    // whatever is there is a leftover (no run holds the lock): start clean
    d.folders.remove(servicePath);
    return await fn();
  } finally {
    try {
      d.folders.remove(servicePath);
    } finally {
      d.folders.unlock(servicePath, owner);
    }
  }
}

const READ_ONLY =
  "the cache service refused the write: this run's cache token is read-only (GitHub gives untrusted triggers read-only cache tokens)";
const BUSY =
  'another run on this machine is restoring or saving the same cache folder (self-hosted runners sharing RUNNER_TEMP)';

/** The cache stage's act is given the cache port and the log (no exec: it runs no command). */
export interface CacheActDeps extends Omit<ActDeps, 'exec'> {
  service: CacheService;
  folders: CacheFolders;
}

export interface CacheRestore {
  hit: CacheHit | '';
  key: string;
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
  return problems.some((p) =>
    /Failed to GetCacheEntryDownloadURL|ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|Unable to make request|\(5\d\d\)|not available/.test(
      p,
    ),
  );
}

/** A dry run: the cache flags a cold build would get, with nothing restored (no I/O). */
export function dryRunRestore(plan: CachePlan): CacheRestore {
  const { cacheFrom, cacheTo } = cacheArgs(plan, false);
  return {
    hit: '',
    key: plan.local?.primaryKey ?? '',
    cacheFrom,
    cacheTo,
    env: plan.env,
    lines: ['dry run: nothing restored'],
  };
}

/** Restore the local cache folder (when the plan has one) and return the buildx cache arguments. */
export async function restoreLayerCache(plan: CachePlan, d: CacheActDeps): Promise<CacheRestore> {
  for (const n of plan.notes) d.log(n);
  if (!plan.local) {
    const { cacheFrom, cacheTo } = cacheArgs(plan, false);
    const lines = [
      `mode ${plan.mode}${cacheFrom.length ? `, from ${cacheFrom.join(' ')}` : ''}${cacheTo.length ? `, to ${cacheTo.join(' ')}` : ''}`,
    ];
    return { hit: '', key: '', cacheFrom, cacheTo, env: plan.env, lines };
  }
  const { primaryKey } = plan.local;
  const got = await restoreLocal(plan, plan.local, d);
  if (got.outcome) return { key: primaryKey, env: plan.env, ...got.outcome };
  const { matchedKey, restored, serviceDown } = got;
  const hit = classifyHit(primaryKey, matchedKey);
  const { cacheFrom, cacheTo } = cacheArgs(plan, hit !== 'miss');
  const lines = [
    hit === 'miss'
      ? `restored: nothing (key ${primaryKey})`
      : `restored: ${formatBytes(restored.bytes)} from ${hit === 'exact' ? 'exact key' : 'restore-key match'} ${matchedKey}`,
  ];
  d.log(`layer cache: ${lines[0]}`);
  return { hit, key: primaryKey, cacheFrom, cacheTo, env: plan.env, lines, serviceDown, restoredState: restored };
}

type LocalRestore =
  | { outcome: Omit<CacheRestore, 'key' | 'env'> }
  | { outcome?: undefined; matchedKey?: string; restored: DirState; serviceDown?: boolean };

/**
 * Restore into this run's folder through the shared service path. Either a finished outcome (the
 * path is busy, the service timed out) or what was restored: a problem, a folder that is no cache,
 * or a throw leave nothing restored (a failed or partial extraction must not feed the build).
 */
async function restoreLocal(plan: CachePlan, local: LocalCachePlan, d: CacheActDeps): Promise<LocalRestore> {
  const { servicePath, dir, exportDir, primaryKey, restoreKeys } = local;
  const cold = { valid: false, bytes: 0 };
  try {
    // a folder left by an earlier step of this run is not what the key says: start clean
    d.folders.remove(dir);
    if (exportDir !== dir) d.folders.remove(exportDir);
    // the service extracts into the shared path; the folder is moved into this run's own at once
    const res = await withServicePath(local, d, async () => {
      const r = await d.service.restore([servicePath], primaryKey, restoreKeys);
      if (!r.timedOut && d.folders.inspect(servicePath).bytes > 0) d.folders.rename(servicePath, dir);
      return r;
    });
    if (!res) {
      const line = `restored: nothing (${BUSY})`;
      d.log(`layer cache: ${line}; building without it`);
      return { outcome: { hit: 'miss', ...cacheArgs(plan, false), lines: [line], restoredState: cold } };
    }
    if (res.timedOut) {
      // a late download could still extract into the folder: leave the local cache out of this run
      d.warn(
        `layer cache: restore timed out (${res.problems.join('; ')}); building without the layer cache, not saving`,
      );
      const line = 'restored: nothing (the cache service timed out); not saving';
      return {
        outcome: { hit: 'miss', cacheFrom: [], cacheTo: [], lines: [line], serviceDown: true, abandoned: true },
      };
    }
    const restored = d.folders.inspect(dir);
    let problem: string | undefined;
    if (res.problems.length)
      problem = `layer cache: restore failed, building without a cache: ${res.problems.join('; ')}`;
    else if (res.matchedKey && !restored.valid)
      problem = `layer cache: the cache restored from ${res.matchedKey} is not a valid cache folder; building without a cache`;
    const serviceDown = res.problems.length ? isServiceFailure(res.problems) : false;
    if (problem) d.warn(problem);
    if (res.matchedKey && !problem) return { matchedKey: res.matchedKey, restored, serviceDown };
    d.folders.remove(dir);
    return { restored: cold, serviceDown };
  } catch (err) {
    d.warn(`layer cache: restore failed, building without a cache: ${errorMessage(err)}`);
    try {
      d.folders.remove(dir);
    } catch {
      // nothing more to do: the build runs without cache-from
    }
    return { restored: cold, serviceDown: false };
  }
}

export interface CacheSave {
  saved: boolean;
  savedBytes: number;
  /** Summary lines. */
  lines: string[];
}

const notSaved = (why: string): CacheSave => ({ saved: false, savedBytes: 0, lines: [`saved: nothing (${why})`] });

/** After a successful build: swap the export in (or keep the restored cache) and save it. */
export async function saveLayerCache(plan: CachePlan, restore: CacheRestore, d: CacheActDeps): Promise<CacheSave> {
  if (!plan.local || restore.abandoned) return { saved: false, savedBytes: 0, lines: [] };
  // the notice saying why was given when planning (writes.ts)
  if (plan.skipSave) return notSaved('writes are not allowed for this run');
  try {
    const decision = settleFolders(plan.local, restore, d);
    if (!decision.save) return notSaved(decision.note);
    if (restore.serviceDown) {
      const why = 'the cache service failed during restore, not trying again to save';
      d.warn(`layer cache: not saved: ${why}`);
      return notSaved(why);
    }
    return await saveExport(plan.local, decision.bytes, d);
  } catch (err) {
    d.warn(`layer cache: save failed, the next run starts from the previous cache: ${errorMessage(err)}`);
    return notSaved(errorMessage(err));
  }
}

/** Decide (decideAfterBuild) and swap the export in or drop it; what is to be saved and its size. */
function settleFolders(local: LocalCachePlan, restore: CacheRestore, d: CacheActDeps): AfterBuild & { bytes: number } {
  const { dir, exportDir, strategy } = local;
  // the restored folder as restore measured it (the build only reads it; reset exports over it
  // afterwards): a cache can be gigabytes, not scanned twice
  const restored =
    restore.hit === 'miss' ? { valid: false, bytes: 0 } : (restore.restoredState ?? { valid: false, bytes: 0 });
  const exported = d.folders.inspect(exportDir);
  const decision = decideAfterBuild({ strategy, hit: restore.hit === '' ? 'miss' : restore.hit, restored, exported });
  d.log(`layer cache: ${decision.note}`);
  if (decision.swap && exportDir !== dir) {
    d.folders.remove(dir);
    d.folders.rename(exportDir, dir);
  } else if (exportDir !== dir) {
    d.folders.remove(exportDir);
  }
  return { ...decision, bytes: exported.bytes };
}

/**
 * Save this run's folder: what is saved is the export (swapped into dir, or exported into it with
 * reset), handed to the shared service path under its lock.
 */
async function saveExport(local: LocalCachePlan, size: number, d: CacheActDeps): Promise<CacheSave> {
  const { dir, servicePath, primaryKey } = local;
  const res = await withServicePath(local, d, async () => {
    d.folders.rename(dir, servicePath);
    return d.service.save([servicePath], primaryKey);
  });
  if (!res) {
    d.warn(`layer cache: not saved: ${BUSY}; the next run starts from the previous cache`);
    return notSaved(BUSY);
  }
  if (res.problems.length || !res.saved) {
    const why =
      res.problems.join('; ') || 'the cache service did not accept it (another job may be saving the same key)';
    if (res.problems.some(isWriteDenied))
      d.warn(
        `layer cache: not saved: ${READ_ONLY}; the build result stands, the next run starts from the previous cache: ${why}`,
      );
    else if (res.problems.length)
      d.warn(`layer cache: save failed, the next run starts from the previous cache: ${why}`);
    else d.log(`layer cache: not saved: ${why}`);
    return notSaved(why);
  }
  const line = `saved: ${formatBytes(size)} as ${primaryKey}`;
  d.log(`layer cache: ${line}`);
  return { saved: true, savedBytes: size, lines: [line] };
}

export function cacheSummary(restore: CacheRestore, save?: CacheSave): string {
  const rows = [
    '#### layer cache',
    '',
    ...restore.lines.map((l) => `- ${summaryText(l)}`),
    ...(save?.lines ?? []).map((l) => `- ${summaryText(l)}`),
  ];
  if (restore.hit) rows.push(`- hit: ${summaryText(restore.hit)}`);
  return `${rows.join('\n')}\n`;
}
