import { parseList } from '../lists.js';
import type { Collector, Getter } from './collect.js';
import { checkCacheEntry } from './grammar.js';

export const CACHE_MODES = ['local', 'gha', 'registry', 'inline', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export interface CacheInputs {
  /** Which layer cache the action manages. */
  cacheMode: CacheMode;
  /** Explicit --cache-from entries (build-push-action syntax); they win over the managed ones. */
  cacheFrom: string[];
  /** Explicit --cache-to entries (build-push-action syntax); they win over the managed ones. */
  cacheTo: string[];
  /** User suffix of the cache key ('' when unset). */
  cacheKey: string;
  /** cache-save-untrusted: write the layer cache on pull_request_target, workflow_run, issue_comment. */
  cacheSaveUntrusted: boolean;
}

export function parseCacheInputs(get: Getter, c: Collector): CacheInputs {
  const raw = get('cache');
  // false and off: the words of a boolean for no cache
  const cacheMode = /^(false|off)$/i.test(raw.trim())
    ? 'none'
    : c.oneOf('cache', raw, CACHE_MODES, 'local', { invalid: 'none' });
  const entries = (name: 'cache-from' | 'cache-to') =>
    c.field(name, () => parseList(get(name), { ignoreComma: true }).map((e) => checkCacheEntry(e, name)), []);
  const cacheFrom = entries('cache-from');
  const cacheTo = entries('cache-to');
  const cacheKey = c.field(
    'cache-key',
    () => {
      const v = get('cache-key').trim();
      if (/[,\s]/.test(v))
        throw new Error(`"${v}" is not valid: a cache key suffix cannot contain commas or whitespace`);
      if (v.length > 200) throw new Error('is too long: at most 200 characters');
      return v;
    },
    '',
  );
  const cacheSaveUntrusted = c.bool('cache-save-untrusted', get('cache-save-untrusted'), false);
  return { cacheMode, cacheFrom, cacheTo, cacheKey, cacheSaveUntrusted };
}
