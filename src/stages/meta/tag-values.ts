/**
 * What each tag rule type gives on this run, one function per type as docker/metadata-action
 * has them (its procSemver, procPep440, procMatch, procEdge, procRef…, procSchedule, procSha, procRaw).
 * Pure: a rule gives at most one value (before its prefix and suffix), or nothing, with a note
 * saying why when the user would want to know.
 */
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';

import { matchRegExp, type TagRule, type TagType } from '../../inputs/meta-rules.js';
import {
  dateHelpers,
  type ExprContext,
  gitBranchOf,
  gitTagOf,
  isRawPattern,
  renderGlobal,
  renderWith,
  shortSha,
  versionData,
} from './expressions.js';

/** What a rule reads: the run's expression context, and where dropped values are noted (for the log). */
export interface RuleRun {
  ex: ExprContext;
  notes: string[];
}

/** A rule's value before its prefix and suffix; `latest`: whether latest=auto adds the latest tag for it. */
export interface TagValue {
  value: string;
  latest: boolean;
}

type ValueOf = (rule: TagRule, r: RuleRun) => TagValue | undefined;

const isGitTag = (r: RuleRun) => r.ex.meta.ref.startsWith('refs/tags/');

/** semver/pep440/match read the rule's value (rendered) when it has one, else the git tag. */
const sourceText = (rule: TagRule, r: RuleRun): string =>
  rule.attrs.value ? renderGlobal(rule.attrs.value, r.ex) : gitTagOf(r.ex.meta.ref);

/** semver/pep440: the source text narrowed to match='s first group, '/' made '-'. */
function versionText(rule: TagRule, r: RuleRun): string {
  let text = sourceText(rule, r);
  const match = rule.attrs.match;
  if (match) {
    const found = new RegExp(match).exec(text);
    // as metadata-action: no match leaves the whole text (then usually not a version)
    if (!found) r.notes.push(`${rule.source}: ${match} does not match ${text}`);
    else text = found[1] ?? '';
  }
  return text.replace(/\//g, '-');
}

const schedule: ValueOf = (rule, r) => {
  if (!/schedule/.test(r.ex.meta.eventName)) return undefined;
  return { value: renderWith(rule.attrs.pattern!, dateHelpers(r.ex)), latest: false };
};

const semverValue: ValueOf = (rule, r) => {
  if (!isGitTag(r) && !rule.attrs.value) return undefined;
  const raw = versionText(rule, r);
  if (!semver.valid(raw)) {
    r.notes.push(`${rule.source}: ${raw} is not a valid semver, skipped`);
    return undefined;
  }
  const parsed = semver.parse(raw, { loose: true })!;
  const data = versionData(parsed.raw, parsed.version, parsed.major, parsed.minor, parsed.patch);
  const pattern = rule.attrs.pattern!;
  if (semver.prerelease(raw))
    return { value: renderWith(isRawPattern(pattern) ? pattern : '{{version}}', data), latest: false };
  return { value: renderWith(pattern, data), latest: true };
};

const pep440Value: ValueOf = (rule, r) => {
  if (!isGitTag(r) && !rule.attrs.value) return undefined;
  const raw = versionText(rule, r);
  if (!pep440.valid(raw)) {
    r.notes.push(`${rule.source}: ${raw} does not conform to PEP 440, skipped`);
    return undefined;
  }
  const info = pep440.explain(raw)!;
  const clean = pep440.clean(raw) ?? raw;
  if (info.is_prerelease || info.is_postrelease || info.is_devrelease)
    return { value: isRawPattern(rule.attrs.pattern!) ? raw : clean, latest: false };
  const data = versionData(raw, clean, pep440.major(raw), pep440.minor(raw), pep440.patch(raw));
  return { value: renderWith(rule.attrs.pattern!, data), latest: true };
};

const match: ValueOf = (rule, r) => {
  const a = rule.attrs;
  if (!isGitTag(r) && !a.value) return undefined;
  const raw = sourceText(rule, r);
  const found = raw.match(matchRegExp(a.pattern!));
  if (!found) {
    r.notes.push(`${rule.source}: ${a.pattern} does not match ${raw}, skipped`);
    return undefined;
  }
  const group = found[Number(a.group)];
  if (group === undefined) {
    r.notes.push(`${rule.source}: group ${a.group} does not exist in ${a.pattern}, skipped`);
    return undefined;
  }
  return { value: group, latest: true };
};

const edge: ValueOf = (rule, r) => {
  const m = r.ex.meta;
  if (!m.ref.startsWith('refs/heads/')) return undefined;
  const branch = rule.attrs.branch || m.repo.defaultBranch;
  return branch === gitBranchOf(m.ref) ? { value: 'edge', latest: false } : undefined;
};

/** type=ref: event=branch, event=tag or event=pr, each on its own kind of git ref. */
const ref: ValueOf = (rule, r) => {
  const gitRef = r.ex.meta.ref;
  switch (rule.attrs.event) {
    case 'branch':
      return gitRef.startsWith('refs/heads/') ? { value: gitBranchOf(gitRef), latest: false } : undefined;
    case 'tag':
      return isGitTag(r) ? { value: gitTagOf(gitRef), latest: true } : undefined;
    case 'pr':
      return gitRef.startsWith('refs/pull/')
        ? { value: gitRef.replace(/^refs\/pull\//, '').replace(/\/merge$/, ''), latest: false }
        : undefined;
  }
  return undefined;
};

const raw: ValueOf = (rule, r) => ({ value: renderGlobal(rule.attrs.value!, r.ex), latest: false });

const sha: ValueOf = (rule, r) => {
  const m = r.ex.meta;
  if (!m.sha) return undefined;
  return { value: rule.attrs.format === 'long' ? m.sha : shortSha(m), latest: false };
};

/** The value function of each tag rule type. */
export const TAG_VALUES: Record<TagType, ValueOf> = {
  schedule,
  semver: semverValue,
  pep440: pep440Value,
  match,
  edge,
  ref,
  raw,
  sha,
};
