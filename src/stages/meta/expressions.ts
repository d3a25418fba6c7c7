import Handlebars from 'handlebars';
import moment from 'moment-timezone';

import type { MetaContext } from '../../context/run-context.js';
import { errorMessage } from '../../errors.js';

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
  // Handlebars passes the options object last: {{date}} has no format, {{date 'fmt'}} one
  return (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    if (args.length > 1) throw new Error("a date takes one quoted format, e.g. {{date 'YYYYMMDD'}}");
    const [format] = args;
    // {{date YYYYMMDD}}: an unquoted word is looked up as a name, which Handlebars gives as
    // undefined: the default format then, as docker/metadata-action renders it (planMeta warns)
    if (format !== undefined && typeof format !== 'string')
      throw new Error(`the date format must be quoted text, e.g. {{date 'YYYYMMDD'}}, not ${String(format)}`);
    let tz = 'UTC';
    for (const [k, v] of Object.entries(options?.hash ?? {})) {
      if (k !== 'tz') throw new Error(`unknown date attribute "${k}" (only tz='Area/City' is known)`);
      tz = String(v);
    }
    if (!moment.tz.zone(tz)) throw new Error(`unknown time zone "${tz}" (use an IANA name, e.g. tz='Europe/Paris')`);
    return moment(at()).tz(tz).format(format);
  };
}

/**
 * Render a template, strictly: an unknown name ({{brnch}}, an unquoted date format) is an error
 * instead of an empty string, so a typo cannot silently drop a tag. The message names the problem,
 * never the template (the caller names the input line).
 */
function render(template: string, data: Record<string, unknown>): string {
  try {
    return hb.compile(template, { strict: true })(data);
  } catch (err) {
    throw new Error(templateProblem(template, errorMessage(err), Object.keys(data)), { cause: err });
  }
}

function templateProblem(template: string, message: string, known: string[]): string {
  const unknown = /^"([^"]+)" not defined/.exec(message);
  if (unknown) {
    const hint = known.includes('date') ? "; a date format is quoted: {{date 'YYYYMMDD'}}" : '';
    return `unknown expression "${unknown[1]}" (known: ${known.join(', ')})${hint}`;
  }
  if (/^Parse error/.test(message)) {
    const open = template.lastIndexOf('{{');
    if (open >= 0 && !template.includes('}}', open)) return 'an expression is not closed: "{{" without "}}"';
    return `not a valid {{…}} expression (${message.split('\n').pop()})`;
  }
  return message;
}

/** Short sha as metadata-action: DOCKER_METADATA_SHORT_SHA_LENGTH characters (default 7). */
export function shortSha(meta: Pick<MetaContext, 'sha' | 'shortShaLength'>): string {
  let n = 7;
  if (meta.shortShaLength) {
    n = Number(meta.shortShaLength);
    if (!Number.isFinite(n))
      throw new Error(`DOCKER_METADATA_SHORT_SHA_LENGTH is not a number: ${meta.shortShaLength}`);
  }
  return n >= meta.sha.length ? meta.sha : meta.sha.slice(0, n);
}

/** The branch of a git ref (refs/heads/…), '' for any other ref. */
export const gitBranchOf = (ref: string) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '');
/** The git tag of a git ref (refs/tags/…), '' for any other ref. An image reference's tag: splitReference (src/oci/reference.ts). */
export const gitTagOf = (ref: string) => (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '');

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

/** Pure: the templates whose date format is an unquoted word ({{date YYYYMMDD}}), rendered in the default format. */
export function unquotedDateFormats(templates: string[]): string[] {
  return templates.filter((t) => /\{\{~?\s*(?:date|commit_date)\s+(?!['"])[^\s}=]+(?:\s|~?\}\})/.test(t));
}

/**
 * Render metadata-action's global expressions ({{branch}}, {{tag}}, {{sha}}, {{base_ref}},
 * {{is_default_branch}}, {{is_not_default_branch}}, {{date 'fmt' tz='…'}}, {{commit_date 'fmt'}}) in a value.
 */
export function renderGlobal(template: string, c: ExprContext): string {
  if (!template.includes('{{')) return template;
  const m = c.meta;
  return render(template, {
    branch: () => gitBranchOf(m.ref),
    tag: () => gitTagOf(m.ref),
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

/** What a semver/pep440 pattern can name ({{version}}, {{major}}, …): one list for the planner and the input check. */
export function versionData(
  raw: string,
  version: string,
  major: number,
  minor: number,
  patch: number,
): Record<string, unknown> {
  return { raw, version, major, minor, patch };
}

/** Render a template against a plain data object (semver/pep440 patterns, schedule pattern). */
export function renderWith(template: string, data: Record<string, unknown>): string {
  return render(template, data);
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
