import { clipMessage } from '../../errors.js';
import { type CachePlan, IGNORE_ERROR } from './plan.js';

/**
 * Pure: whether this run writes the layer cache at all, and how a refused write is reported.
 *
 * GitHub gives untrusted triggers read-only cache tokens (2026), so a write can be refused; and a
 * run that builds code nobody reviewed but writes into the default branch's cache scope is the
 * cache-poisoning path: every later trusted build would restore what it wrote.
 */

/**
 * Events that run in the default branch's cache scope (their writes are restored by trusted
 * builds) and are what workflows use to build a pull request's code: pull_request_target (the
 * pull request's head checked out with the base's rights), workflow_run (artifacts of a pull
 * request's run), issue_comment (a "/build" comment on a pull request). `pull_request` itself
 * writes only into the pull request's own scope and is not listed.
 */
export const UNTRUSTED_CODE_EVENTS = ['pull_request_target', 'workflow_run', 'issue_comment'] as const;

/** The runner's effective cache modes (ACTIONS_CACHE_MODE) that allow no write. */
const READ_ONLY_MODES = ['read', 'none'] as const;

export interface CacheWriteFacts {
  /** GITHUB_EVENT_NAME (untrusted: only a listed name is ever printed). */
  eventName: string;
  /** The cache-save-untrusted input: the user accepts writes from these events. */
  saveUntrusted: boolean;
  /** ACTIONS_CACHE_MODE as the runner sets it ('' when unset; untrusted: only a known mode is printed). */
  cacheMode: string;
}

/** Why this run writes no layer cache (a ::notice), undefined when it may write. */
export function cacheWriteBlock(f: CacheWriteFacts): string | undefined {
  const mode = f.cacheMode.trim().toLowerCase();
  const readOnly = READ_ONLY_MODES.find((m) => m === mode);
  if (readOnly) {
    return `layer cache: not saved: this run's cache token allows no writes (ACTIONS_CACHE_MODE=${readOnly}); restoring only`;
  }
  const event = UNTRUSTED_CODE_EVENTS.find((e) => e === f.eventName);
  if (event && !f.saveUntrusted) {
    return (
      `layer cache: not saved: a ${event} run may build code nobody reviewed, and its cache would be ` +
      "restored by the default branch's trusted builds (cache poisoning); restoring only. " +
      'Set cache-save-untrusted: true if this workflow builds only trusted code'
    );
  }
  return undefined;
}

/** Does a --cache-to value name a gha exporter (type=gha among its comma-separated fields)? */
function isGhaEntry(entry: string): boolean {
  return entry.split(',').some((f) => f.trim().toLowerCase() === 'type=gha');
}

/** A gha --cache-to entry with ignore-error=true, unless the user set ignore-error themselves. */
export function withIgnoreError(entry: string): string {
  if (!isGhaEntry(entry) || /(^|,)\s*ignore-error=/i.test(entry)) return entry;
  return `${entry},${IGNORE_ERROR}`;
}

/**
 * The plan with the write policy applied: no --cache-to and no save when writes are blocked (the
 * restore is unchanged); otherwise a user's own gha cache-to gets ignore-error=true (a note says
 * so), so a read-only token warns instead of failing the build, as for the action's own entries.
 */
export function applyWritePolicy(plan: CachePlan, block: string | undefined): CachePlan {
  if (block) {
    const writes = plan.cacheTo.length > 0 || plan.local !== undefined;
    return writes ? { ...plan, cacheTo: [], skipSave: block } : plan;
  }
  if (plan.mode !== 'explicit') return plan;
  const cacheTo = plan.cacheTo.map(withIgnoreError);
  if (cacheTo.every((c, i) => c === plan.cacheTo[i])) return plan;
  const note =
    'cache-to type=gha: ignore-error=true added (a refused cache write, e.g. a read-only cache token, is a warning, not a failed build); set ignore-error=false to fail instead';
  return { ...plan, cacheTo, notes: [...plan.notes, note] };
}

/** One cache export buildx reported as failed (a vertex "exporting … cache" with an ERROR line). */
export interface CacheExportFailure {
  vertex: string;
  error: string;
}

/** Pure: the failed cache exports in buildx's plain progress log (kept going by ignore-error=true). */
export function cacheExportFailures(log: string): CacheExportFailure[] {
  const names = new Map<string, string>();
  const failures: CacheExportFailure[] = [];
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const head = /^#(\d+) (exporting\b.*\bcache\b.*)$/i.exec(line);
    if (head && !names.has(head[1]!)) names.set(head[1]!, head[2]!);
    const err = /^#(\d+) ERROR: (.*)$/.exec(line);
    if (err && names.has(err[1]!)) failures.push({ vertex: names.get(err[1]!)!, error: err[2]! });
  }
  return failures;
}

/** Words of a cache service refusing a write to this run's token. */
const WRITE_DENIED = /write denied|no writable scopes|read-only|\b403\b|forbidden/i;

/** The warning for one failed cache export: the build stands; a read-only token is named as such. */
export function cacheExportWarning(f: CacheExportFailure): string {
  const why = WRITE_DENIED.test(f.error)
    ? " (this run's cache token is read-only: GitHub gives untrusted triggers read-only cache tokens)"
    : '';
  return clipMessage(
    `layer cache: not saved: ${f.vertex} failed${why}: ${f.error}; the build result stands, the next run starts from the previous cache`,
    2000,
  );
}

/** Is a problem reported by the cache service a refused write (read-only token)? */
export function isWriteDenied(problem: string): boolean {
  return WRITE_DENIED.test(problem);
}
