import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { errorMessage } from '../errors.js';
import { lockDir, releaseDir, unlockDir } from './cache-lock.js';
import { actionsCacheModule as loadCache } from './lazy.js';
import { cacheServiceAvailable } from './services.js';

/** What the layer cache needs of the Actions cache service (the real one below; fakes in tests). */
export interface CacheService {
  /** matchedKey undefined = miss (or failure); problems = what the library reported as wrong. */
  /** timedOut: the service did not answer in time; the library may still write into paths later. */
  restore(
    paths: string[],
    primaryKey: string,
    restoreKeys: string[],
  ): Promise<{ matchedKey?: string; problems: string[]; timedOut?: boolean }>;
  save(paths: string[], key: string): Promise<{ saved: boolean; problems: string[] }>;
}

/**
 * The layer cache's port, given to every run (the entries give the real one, tests a fake): the
 * Actions cache service, opened for one run (its scratch folder), and the cache folders.
 */
export interface ActionsCache {
  open(scratch: string): CacheService;
  folders: CacheFolders;
}

/** MULTIARCH_CACHE_TIMEOUT_SECONDS: how long one restore or save may take (unset or not a number: 1200 s, 20 min). */
export function cacheTimeoutMs(env: NodeJS.ProcessEnv): number {
  return 1000 * (Number(env.MULTIARCH_CACHE_TIMEOUT_SECONDS) || 1200);
}

/** The real port: @actions/cache bounded by MULTIARCH_CACHE_TIMEOUT_SECONDS, and the real folders. */
export function realActionsCache(env: NodeJS.ProcessEnv): ActionsCache {
  const timeoutMs = cacheTimeoutMs(env);
  return { open: (scratch) => createActionsCacheService(scratch, timeoutMs), folders: realCacheFolders };
}

export interface CacheFolders {
  inspect(dir: string): DirState;
  remove(dir: string): void;
  rename(from: string, to: string): void;
  /**
   * Take the lock on a shared folder for run `owner` (atomic; a lock older than `staleMs`, or
   * whose process is gone, is left by a killed run and taken over). false = another run holds it.
   */
  lock(dir: string, staleMs: number, owner: string): boolean;
  /** Remove the lock when run `owner` holds it (never another run's). */
  unlock(dir: string, owner: string): void;
  /** The folder and its lock, when run `owner` still holds the lock (a run stopped half-way); true = removed. */
  release(dir: string, owner: string): boolean;
}

/** A cache folder as the cache stage judges it. */
export interface DirState {
  valid: boolean;
  bytes: number;
  /** Identity of the content: the index and the set of blobs (equal = same cache). */
  fingerprint?: string;
}

/**
 * Runs fn while catching the workflow commands @actions/cache prints itself: its ::warning and
 * ::error lines (it logs a 5xx as an error) are collected instead of printed, so the cache stage
 * reports one warning of its own and a cache problem never shows as an error.
 */
async function collectProblems<T>(
  fn: () => Promise<T>,
  timeoutMs: number,
): Promise<{ value?: T; problems: string[]; timedOut?: boolean }> {
  const problems: string[] = [];
  const original = process.stdout.write;
  const decode = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    const kept = text.replace(/^::(?:error|warning)(?: [^\n]*?)?::([^\n]*)\n?/gm, (_m, msg: string) => {
      problems.push(decode(msg));
      return '';
    });
    // a failed reservation is logged at info level without its cause; the cause is in a debug line.
    // 409 = another job saved this key: not a problem. Anything else (5xx, unreachable) is.
    for (const m of kept.matchAll(/^::debug::Failed to reserve cache: ([^\n]*)/gm)) {
      if (!/\(409\)|already.exists/i.test(m[1]!)) problems.push(`cache reservation failed: ${decode(m[1]!)}`);
    }
    if (!kept) return true;
    return (original as (...a: unknown[]) => boolean).call(this, kept, ...rest);
  } as typeof process.stdout.write;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const value = await Promise.race([fn(), timeout]);
    if (value === 'timeout') {
      // the library may still finish later; it is not waited for, and its output is no longer collected
      return { problems: [...problems, `no answer within ${Math.round(timeoutMs / 1000)} s`], timedOut: true };
    }
    return { value, problems };
  } finally {
    clearTimeout(timer);
    process.stdout.write = original;
  }
}

/**
 * @actions/cache makes its archive in a fresh folder under RUNNER_TEMP and leaves the folder
 * behind; point it at our per-run scratch folder (removed by post) while it works.
 */
async function inScratch<T>(scratch: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.RUNNER_TEMP;
  process.env.RUNNER_TEMP = scratch;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.RUNNER_TEMP;
    else process.env.RUNNER_TEMP = saved;
  }
}

/**
 * The real Actions cache service, through @actions/cache (v1 or v2 protocol, as the runtime says).
 * @actions/cache (with the Azure SDK) is most of the bundle: it is loaded only when a cache is
 * restored or saved, so runs without the cache service start faster.
 */
export function createActionsCacheService(scratch: string, timeoutMs: number): CacheService {
  return {
    async restore(paths, primaryKey, restoreKeys) {
      // the same variables @actions/cache's isFeatureAvailable looks at, checked before loading it
      if (!cacheServiceAvailable(process.env)) return { problems: ['the Actions cache service is not available'] };
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return { problems: ['the Actions cache service is not available'] };
      try {
        const { value, problems, timedOut } = await inScratch(scratch, () =>
          collectProblems(() => cache.restoreCache(paths, primaryKey, restoreKeys), timeoutMs),
        );
        return { matchedKey: value, problems, timedOut };
      } catch (err) {
        return { problems: [errorMessage(err)] };
      }
    },
    async save(paths, key) {
      try {
        const cache = await loadCache();
        const { value, problems } = await inScratch(scratch, () =>
          collectProblems(() => cache.saveCache(paths, key), timeoutMs),
        );
        return { saved: value !== undefined && value !== -1, problems };
      } catch (err) {
        return { saved: false, problems: [errorMessage(err)] };
      }
    },
  };
}

/** Bytes of the regular files under dir (0 when it is missing). */
export function dirBytes(dir: string): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const entry of entries) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += dirBytes(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/**
 * Identity of what a cache folder can give a build: its layer blobs. The cache config and the
 * index are left out: buildkit rewrites them on every export (record order) even when nothing
 * changed, so comparing them would upload an unchanged cache on every commit.
 */
function layerFingerprint(dir: string, top: unknown[]): string | undefined {
  try {
    return layerDigests(dir, top);
  } catch {
    return undefined; // unknown layout: never treated as "unchanged"
  }
}

function layerDigests(dir: string, top: unknown[]): string {
  const blob = (digest: string) => path.join(dir, 'blobs', ...digest.split(':'));
  const layers: string[] = [];
  for (const m of top) {
    const digest = (m as { digest?: string }).digest ?? '';
    const inner = JSON.parse(fs.readFileSync(blob(digest), 'utf8')) as {
      manifests?: { digest: string; mediaType?: string }[];
    };
    for (const l of inner.manifests ?? []) if (!/cacheconfig/.test(l.mediaType ?? '')) layers.push(l.digest);
  }
  return createHash('sha256')
    .update([...new Set(layers)].sort().join('\n'))
    .digest('hex');
}

/** A buildx local cache folder: an OCI layout whose index.json lists at least one manifest. */
export function inspectCacheDir(dir: string): DirState {
  try {
    const indexText = fs.readFileSync(path.join(dir, 'index.json'), 'utf8');
    const index = JSON.parse(indexText) as { manifests?: unknown[] };
    const valid =
      Array.isArray(index.manifests) && index.manifests.length > 0 && fs.existsSync(path.join(dir, 'blobs'));
    return { valid, bytes: dirBytes(dir), fingerprint: layerFingerprint(dir, index.manifests ?? []) };
  } catch {
    return { valid: false, bytes: dirBytes(dir) };
  }
}

export const realCacheFolders: CacheFolders = {
  inspect: inspectCacheDir,
  remove: (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  rename: (from, to) => {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
  },
  lock: lockDir,
  unlock: (dir, owner) => void unlockDir(dir, owner),
  release: releaseDir,
};
