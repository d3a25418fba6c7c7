import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { MetaContext } from '../../context/run-context.js';
import { branchOf, type ExprContext, dateHelpers, isRawPattern, renderGlobal, renderWith, shortSha, unquotedDateFormats, versionData } from './expressions.js';
import { createdAt, mergeLabels, ociPairs } from './labels.js';
import { type Flavor, type ImageEntry, matchRegExp, type TagRule } from '../../inputs/meta-rules.js';
import { toDockerTag } from './sanitize.js';
import { isValidName } from '../../oci/reference.js';


/** The meta inputs, parsed (see src/inputs/meta.ts). */
export interface MetaInput {
  images: ImageEntry[];
  /** Sorted by priority, defaults applied. */
  tagRules: TagRule[];
  flavor: Flavor;
  /** User `labels` / `annotations` lines, KEY=VALUE (may hold global expressions). */
  labels: string[];
  annotations: string[];
  /** Full references given in `tags` (build-push-action style), used as they are. */
  literalRefs?: string[];
}

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
}

export interface MetaRun {
  meta: MetaContext;
  /** ms since epoch: {{date}} and (without SOURCE_DATE_EPOCH) the created label. */
  now: number;
}

interface Version {
  main?: string;
  partial: string[];
  latest?: boolean;
}

/** Pure: tags, labels, annotations and version for this run, by docker/metadata-action's rules. */
export function planMeta(input: MetaInput, run: MetaRun): MetaPlan {
  const m = run.meta;
  const ex: ExprContext = { meta: m, now: run.now, commitDate: m.commitDate };
  const g = (s: string) => renderGlobal(s, ex);
  const flavor = input.flavor;
  const notes: string[] = input.tagRules.flatMap((r) => (r.warning ? [r.warning] : []));
  const templates = [...input.tagRules.flatMap((r) => Object.values(r.attrs)), ...input.labels, ...input.annotations, flavor.prefix, flavor.suffix];
  for (const t of unquotedDateFormats(templates)) {
    notes.push(`"${t}": the date format is not quoted, so the default format is used (as docker/metadata-action does); quote it: {{date 'YYYYMMDD'}}`);
  }
  const v: Version = { partial: [] };

  const withAffixes = (val: string, rule: TagRule): string => {
    if ('prefix' in rule.attrs) val = g(rule.attrs.prefix!) + val;
    else if (flavor.prefix) val = g(flavor.prefix) + val;
    if ('suffix' in rule.attrs) val += g(rule.attrs.suffix!);
    else if (flavor.suffix) val += g(flavor.suffix);
    return val;
  };
  const latestFor = (auto: boolean) => (flavor.latest === 'auto' ? auto : flavor.latest === 'true');
  const add = (val: string, latest: boolean, rule: TagRule) => {
    if (!val) return;
    const tag = toDockerTag(val);
    if (!tag) {
      notes.push(`${rule.source}: "${val}" gives no valid tag, skipped`);
      return;
    }
    if (v.main === undefined) v.main = tag;
    else if (tag !== v.main && !v.partial.includes(tag)) v.partial.push(tag);
    v.latest ??= latest;
  };
  const isTag = m.ref.startsWith('refs/tags/');
  const tagName = m.ref.replace(/^refs\/tags\//, '');
  // semver/pep440: the value (or git tag), narrowed to match='s first group, '/' made '-'
  const versionText = (a: Record<string, string>, rule: TagRule): string => {
    let text = a.value ? g(a.value) : tagName;
    if (a.match) {
      const found = new RegExp(a.match).exec(text);
      // as metadata-action: no match leaves the whole text (then usually not a version)
      if (!found) notes.push(`${rule.source}: ${a.match} does not match ${text}`);
      else text = found[1] ?? '';
    }
    return text.replace(/\//g, '-');
  };

  for (const rule of input.tagRules) {
    const enabled = g(rule.attrs.enable!);
    if (enabled !== 'true' && enabled !== 'false') throw new Error(`${rule.source}: enable is "${enabled}", must be true or false`);
    if (enabled === 'false') continue;
    const a = rule.attrs;
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(m.eventName)) break;
        add(withAffixes(renderWith(a.pattern!, dateHelpers(ex)), rule), latestFor(false), rule);
        break;
      }
      case 'semver': {
        if (!isTag && !a.value) break;
        const raw = versionText(a, rule);
        if (!semver.valid(raw)) {
          notes.push(`${rule.source}: ${raw} is not a valid semver, skipped`);
          break;
        }
        const parsed = semver.parse(raw, { loose: true })!;
        const data = versionData(parsed.raw, parsed.version, parsed.major, parsed.minor, parsed.patch);
        if (semver.prerelease(raw)) {
          add(withAffixes(renderWith(isRawPattern(a.pattern!) ? a.pattern! : '{{version}}', data), rule), latestFor(false), rule);
        } else {
          add(withAffixes(renderWith(a.pattern!, data), rule), latestFor(true), rule);
        }
        break;
      }
      case 'pep440': {
        if (!isTag && !a.value) break;
        const raw = versionText(a, rule);
        if (!pep440.valid(raw)) {
          notes.push(`${rule.source}: ${raw} does not conform to PEP 440, skipped`);
          break;
        }
        const info = pep440.explain(raw)!;
        const clean = pep440.clean(raw) ?? raw;
        if (info.is_prerelease || info.is_postrelease || info.is_devrelease) {
          add(withAffixes(isRawPattern(a.pattern!) ? raw : clean, rule), latestFor(false), rule);
        } else {
          const data = versionData(raw, clean, pep440.major(raw), pep440.minor(raw), pep440.patch(raw));
          add(withAffixes(renderWith(a.pattern!, data), rule), latestFor(true), rule);
        }
        break;
      }
      case 'match': {
        if (!isTag && !a.value) break;
        const raw = a.value ? g(a.value) : tagName;
        const found = raw.match(matchRegExp(a.pattern!));
        if (!found) {
          notes.push(`${rule.source}: ${a.pattern} does not match ${raw}, skipped`);
          break;
        }
        const group = found[Number(a.group)];
        if (group === undefined) {
          notes.push(`${rule.source}: group ${a.group} does not exist in ${a.pattern}, skipped`);
          break;
        }
        add(withAffixes(group, rule), latestFor(true), rule);
        break;
      }
      case 'ref': {
        if (a.event === 'branch' && m.ref.startsWith('refs/heads/')) add(withAffixes(branchOf(m.ref), rule), latestFor(false), rule);
        if (a.event === 'tag' && isTag) add(withAffixes(tagName, rule), latestFor(true), rule);
        if (a.event === 'pr' && m.ref.startsWith('refs/pull/')) {
          add(withAffixes(m.ref.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), rule), latestFor(false), rule);
        }
        break;
      }
      case 'edge': {
        if (!m.ref.startsWith('refs/heads/')) break;
        const branch = a.branch || m.repo.defaultBranch;
        if (branch !== branchOf(m.ref)) break;
        add(withAffixes('edge', rule), latestFor(false), rule);
        break;
      }
      case 'raw':
        add(withAffixes(g(a.value!), rule), latestFor(false), rule);
        break;
      case 'sha': {
        if (!m.sha) break;
        add(withAffixes(a.format === 'long' ? m.sha : shortSha(m), rule), latestFor(false), rule);
        break;
      }
    }
  }

  const images = input.images.filter((i) => i.enable).map((i) => i.name.toLowerCase());
  const tagList: string[] = [];
  if (v.main !== undefined) {
    tagList.push(v.main, ...v.partial);
    if (v.latest) {
      const latest = toDockerTag(`${flavor.prefixLatest ? flavor.prefix : ''}latest${flavor.suffixLatest ? flavor.suffix : ''}`);
      if (latest && !tagList.includes(latest)) tagList.push(latest);
    }
  }
  const generated = images.flatMap((image) => tagList.map((t) => `${image}:${t}`)).filter((r) => {
    const ok = isValidName(r.slice(0, r.lastIndexOf(':')));
    if (!ok) notes.push(`${r}: not a valid reference, skipped`);
    return ok;
  });
  const literal = input.literalRefs ?? [];
  const refs = [...new Set([...generated, ...literal])];
  const tags = images.length || literal.length ? refs : tagList;
  // with only full references given, the version is the first one's tag
  const version = v.main ?? (literal[0] ? tagOf(literal[0]) : '');

  const oci = ociPairs({ repo: m.repo, version, created: createdAt(m.sourceDateEpoch, run.now), revision: m.sha });
  const drop = (input: string) => (line: string) => notes.push(`${input}: "${line}" is not KEY=VALUE, dropped (as docker/metadata-action does)`);
  const labels = mergeLabels(oci, input.labels.map(g), drop('labels'));
  const plainAnnotations = mergeLabels(oci, input.annotations.map(g), drop('annotations'));
  const annotations = m.annotationLevels.flatMap((level) => plainAnnotations.map((x) => `${level}:${x}`));
  const labelObj: Record<string, string> = {};
  for (const l of labels) {
    const eq = l.indexOf('=');
    labelObj[l.slice(0, eq)] = l.slice(eq + 1);
  }
  // full references given in tags have their tag as a name too
  const tagNames = [...new Set([...tagList, ...literal.map(tagOf)])];
  return { refs, tags, tagNames, version, labels, annotations, json: { tags, labels: labelObj, annotations }, notes };
}

/** The tag of a reference name[:tag] ('latest' when it has none, as docker reads it). */
function tagOf(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : 'latest';
}
