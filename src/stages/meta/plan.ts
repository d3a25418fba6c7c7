import type { MetaContext } from '../../context/run-context.js';
import { expressionTexts, type MetaInputs } from '../../inputs/meta.js';
import type { Flavor, TagRule } from '../../inputs/meta-rules.js';
import { splitReference } from '../../oci/reference.js';
import { type ExprContext, renderGlobal, unquotedDateFormats } from './expressions.js';
import { annotationLevelOf, createdAt, labelObject, mergeLabels, ociPairs } from './labels.js';
import { toDockerTag } from './sanitize.js';
import type { SourceDate } from './source-date.js';
import { type RuleRun, TAG_VALUES } from './tag-values.js';

/**
 * The meta inputs as the input pass gives them (src/inputs/meta.ts): image names enabled, checked
 * and lowercased there, so the plan takes them as they are.
 */
export type MetaInput = Pick<MetaInputs, 'images' | 'tagRules' | 'flavor' | 'labels' | 'annotations'> &
  Partial<Pick<MetaInputs, 'literalRefs' | 'form'>>;

export interface MetaPlan {
  /** Full references image:tag, every tag on every image (what buildx gets). */
  refs: string[];
  /** metadata-action's `tags` output: the refs, or bare tags when no image is set. */
  tags: string[];
  /** metadata-action's `tag-names`: the tags without an image name (version, partials, latest). */
  tagNames: string[];
  /** The version: the highest-priority tag ('' when none). */
  version: string;
  /** KEY=VALUE, sorted by key. */
  labels: string[];
  /** level:KEY=VALUE for each annotation level. */
  annotations: string[];
  json: { tags: string[]; labels: Record<string, string>; annotations: string[] };
  /** Rule values dropped (not a version, no match, nothing valid left), for the log. */
  notes: string[];
  /** reproducible: the build's SOURCE_DATE_EPOCH and where it came from (set by the meta stage). */
  sourceDate?: SourceDate;
}

export interface MetaRun {
  meta: MetaContext;
  /** ms since epoch: {{date}} and (without SOURCE_DATE_EPOCH) the created label. */
  now: number;
}

/** metadata-action's Version: the main tag, the partial ones, and whether latest is added. */
interface Version {
  main?: string;
  partial: string[];
  latest?: boolean;
}

/** The notes every plan starts with: the rules' own warnings, and each unquoted date format. */
function startNotes(input: MetaInput): string[] {
  const notes: string[] = input.tagRules.flatMap((r) => (r.warning ? [r.warning] : []));
  for (const t of unquotedDateFormats(expressionTexts(input))) {
    notes.push(
      `"${t}": the date format is not quoted, so the default format is used (as docker/metadata-action does); quote it: {{date 'YYYYMMDD'}}`,
    );
  }
  return notes;
}

/** A rule's value with its own prefix/suffix, else the flavor's (each rendered). */
function withAffixes(val: string, rule: TagRule, flavor: Flavor, ex: ExprContext): string {
  const g = (s: string) => renderGlobal(s, ex);
  if ('prefix' in rule.attrs) val = g(rule.attrs.prefix!) + val;
  else if (flavor.prefix) val = g(flavor.prefix) + val;
  if ('suffix' in rule.attrs) val += g(rule.attrs.suffix!);
  else if (flavor.suffix) val += g(flavor.suffix);
  return val;
}

/** Every enabled rule's value, highest priority first, made a valid tag: main, partials, latest. */
function versionOf(input: MetaInput, r: RuleRun): Version {
  const { flavor } = input;
  const v: Version = { partial: [] };
  for (const rule of input.tagRules) {
    const enabled = renderGlobal(rule.attrs.enable!, r.ex);
    if (enabled !== 'true' && enabled !== 'false')
      throw new Error(`${rule.source}: enable is "${enabled}", must be true or false`);
    if (enabled === 'false') continue;
    const got = TAG_VALUES[rule.type](rule, r);
    if (!got) continue;
    const val = withAffixes(got.value, rule, flavor, r.ex);
    if (!val) continue;
    const tag = toDockerTag(val);
    if (!tag) {
      r.notes.push(`${rule.source}: "${val}" gives no valid tag, skipped`);
      continue;
    }
    if (v.main === undefined) v.main = tag;
    else if (tag !== v.main && !v.partial.includes(tag)) v.partial.push(tag);
    v.latest ??= flavor.latest === 'auto' ? got.latest : flavor.latest === 'true';
  }
  return v;
}

/** The version's tags in order: main, partials, then latest (with the flavor's affixes when onlatest). */
function tagListOf(v: Version, flavor: Flavor): string[] {
  if (v.main === undefined) return [];
  const list = [v.main, ...v.partial];
  if (v.latest) {
    const latest = toDockerTag(
      `${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`,
    );
    if (latest && !list.includes(latest)) list.push(latest);
  }
  return list;
}

/**
 * The OCI labels and annotations (generated, then the user's lines rendered over them). In
 * build-push-action's form nothing is generated: only the lines given, as build-push-action passes them.
 */
function labelsOf(input: MetaInput, run: MetaRun, ex: ExprContext, version: string, notes: string[]) {
  const m = run.meta;
  const g = (s: string) => renderGlobal(s, ex);
  const oci =
    input.form === 'build-push-action'
      ? []
      : ociPairs({ repo: m.repo, version, created: createdAt(m.sourceDateEpoch, run.now), revision: m.sha });
  const drop = (name: string) => (line: string) =>
    notes.push(`${name}: "${line}" is not KEY=VALUE, dropped (as docker/metadata-action does)`);
  const labels = mergeLabels(oci, input.labels.map(g), drop('labels'));
  const rendered = input.annotations.map(g);
  // buildx's own default level (manifest) for an unprefixed line in build-push-action's form
  const levels = input.form === 'build-push-action' ? [''] : m.annotationLevels;
  const annotations = leveledAnnotations(oci, rendered, levels, drop('annotations'));
  return { labels, annotations };
}

/** Pure: tags, labels, annotations and version for this run, by docker/metadata-action's rules. */
export function planMeta(input: MetaInput, run: MetaRun): MetaPlan {
  const ex: ExprContext = { meta: run.meta, now: run.now, commitDate: run.meta.commitDate };
  const notes = startNotes(input);
  const v = versionOf(input, { ex, notes });
  const tagList = tagListOf(v, input.flavor);
  const literal = input.literalRefs ?? [];
  const refs = [...new Set([...input.images.flatMap((image) => tagList.map((t) => `${image}:${t}`)), ...literal])];
  const tags = input.images.length || literal.length ? refs : tagList;
  // a full reference given in tags has its tag ('latest' when none, as docker reads it) as a tag name too
  const literalTags = literal.map((ref) => splitReference(ref).reference);
  // with only full references given, the version is the first one's tag
  const version = v.main ?? literalTags[0] ?? '';
  const { labels, annotations } = labelsOf(input, run, ex, version, notes);
  const tagNames = [...new Set([...tagList, ...literalTags])];
  return {
    refs,
    tags,
    tagNames,
    version,
    labels,
    annotations,
    json: { tags, labels: labelObject(labels), annotations },
    notes,
  };
}

/**
 * Pure: annotation lines for buildx. A line with a level prefix (index:, manifest[linux/amd64]:, …)
 * is passed as written and replaces a generated one of the same level and key; an unprefixed line
 * is merged over the generated pairs, and each of those takes every default level ('' = no prefix).
 */
export function leveledAnnotations(
  generated: [string, string][],
  lines: string[],
  levels: string[],
  dropped: (line: string) => void,
): string[] {
  const prefixed: string[] = [];
  const plain: string[] = [];
  for (const line of lines) {
    const level = annotationLevelOf(line);
    if (!level) plain.push(line);
    else if (line.indexOf('=', level.length + 1) <= level.length + 1) dropped(line);
    else prefixed.push(line);
  }
  const given = new Set(prefixed.map((l) => l.slice(0, l.indexOf('=', annotationLevelOf(l)!.length + 1))));
  const merged = mergeLabels(generated, plain, dropped);
  const leveled = levels.flatMap((level) => merged.map((x) => (level ? `${level}:${x}` : x)));
  return [...leveled.filter((x) => !given.has(x.slice(0, x.indexOf('=')))), ...prefixed];
}
