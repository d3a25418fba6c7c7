import Handlebars from 'handlebars';
import moment from 'moment-timezone';
import type { MetaContext } from '../context.js';

/** What global expressions read: the run's meta context plus the two dates. */
export interface ExprContext {
  meta: MetaContext;
  /** "now" for {{date}} (ms since epoch). */
  now: number;
  /** Commit date for {{commit_date}}, falls back to now. */
  commitDate?: string;
}

// An isolated Handlebars environment: no helper registered globally, nothing shared.
const hb = Handlebars.create();

type HelperOptions = { hash: Record<string, unknown> };

function dateHelper(at: () => moment.MomentInput) {
  return (format: unknown, options: HelperOptions) => {
    let tz = 'UTC';
    for (const [k, v] of Object.entries(options?.hash ?? {})) {
      if (k !== 'tz') throw new Error(`unknown date attribute "${k}" (only tz='Area/City' is known)`);
      tz = String(v);
    }
    if (!moment.tz.zone(tz)) throw new Error(`unknown time zone "${tz}"`);
    return moment(at()).tz(tz).format(typeof format === 'string' ? format : undefined);
  };
}

/** Short sha as metadata-action: DOCKER_METADATA_SHORT_SHA_LENGTH characters (default 7). */
export function shortSha(meta: Pick<MetaContext, 'sha' | 'shortShaLength'>): string {
  let n = 7;
  if (meta.shortShaLength) {
    n = Number(meta.shortShaLength);
    if (!Number.isFinite(n)) throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a number: ${meta.shortShaLength}`);
  }
  return n >= meta.sha.length ? meta.sha : meta.sha.slice(0, n);
}

export const branchOf = (ref: string) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '');
export const tagOf = (ref: string) => (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '');

export function isDefaultBranch(meta: MetaContext): boolean {
  const branch = meta.ref.replace(/^refs\/heads\//, '');
  if (!branch) return false;
  if (meta.repo.defaultBranch && meta.repo.defaultBranch === branch) return true;
  // these events always run on the default branch's last commit
  return /create|discussion|issues|schedule/.test(meta.eventName);
}

/** The {{date}}-style helpers, usable alone (schedule pattern) or with the global expressions. */
export function dateHelpers(c: ExprContext) {
  return {
    date: dateHelper(() => c.now),
    commit_date: dateHelper(() => (c.commitDate ? new Date(c.commitDate) : c.now)),
  };
}

/**
 * Render metadata-action's global expressions ({{branch}}, {{tag}}, {{sha}}, {{base_ref}},
 * {{is_default_branch}}, {{is_not_default_branch}}, {{date 'fmt' tz='…'}}, {{commit_date 'fmt'}}) in a value.
 */
export function renderGlobal(template: string, c: ExprContext): string {
  if (!template.includes('{{')) return template;
  const m = c.meta;
  return hb.compile(template)({
    branch: () => branchOf(m.ref),
    tag: () => tagOf(m.ref),
    sha: () => shortSha(m),
    base_ref: () => {
      if (m.ref.startsWith('refs/tags/') && m.pushBaseRef) return m.pushBaseRef.replace(/^refs\/heads\//, '');
      if (m.ref.startsWith('refs/pull/') && m.prBaseRef) return m.prBaseRef;
      return '';
    },
    is_default_branch: () => String(isDefaultBranch(m)),
    is_not_default_branch: () => String(!isDefaultBranch(m)),
    ...dateHelpers(c),
  });
}

/** Render a template against a plain data object (semver/pep440 patterns, schedule pattern). */
export function renderWith(template: string, data: Record<string, unknown>): string {
  return hb.compile(template)(data);
}

/** True when a pattern is exactly `{{raw}}` (pre-releases then keep the raw tag). */
export function isRawPattern(pattern: string): boolean {
  try {
    const ast = hb.parseWithoutProcessing(pattern);
    const [only] = ast.body;
    if (ast.body.length !== 1 || only?.type !== 'MustacheStatement') return false;
    const p = (only as unknown as { path: { parts?: string[] } }).path;
    return p.parts?.length === 1 && p.parts[0] === 'raw';
  } catch {
    return false;
  }
}
