import { parse } from 'csv-parse/sync';

import { errorMessage } from '../errors.js';

/** Tag rule types of docker/metadata-action's `tags` input. */
export const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type TagType = (typeof TAG_TYPES)[number];

export const DEFAULT_PRIORITY: Record<TagType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

/** Rules used when `tags` is empty (as metadata-action). */
export const DEFAULT_TAG_RULES = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

export interface TagRule {
  type: TagType;
  /** Attributes as written (keys lowercased), with the type's defaults filled in. */
  attrs: Record<string, string>;
  priority: number;
  /** The line it came from, for messages. */
  source: string;
  /** Something the user probably did not mean (e.g. several bare values on one line). */
  warning?: string;
}

function fields(line: string): string[] {
  const records = parse(line, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  return (records[0] ?? []).map(String);
}

const has = (o: Record<string, string>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * semver/pep440 `match=`: a regular expression whose first capture group is the version (as
 * metadata-action reads it). Checked here, so a typo fails the input pass, not the build.
 */
function checkMatch(line: string, match: string): void {
  let groups: number;
  try {
    // `re|` always matches '' (the empty branch) and reports every group of re, matched or not
    groups = new RegExp(`${match}|`).exec('')!.length - 1;
  } catch (err) {
    throw new Error(`"${line}": match "${match}" is not a regular expression (${errorMessage(err)})`, { cause: err });
  }
  if (groups < 1)
    throw new Error(
      `"${line}": match "${match}" has no capture group; the first group is the version, e.g. match=v(\\d+\\.\\d+\\.\\d+)$`,
    );
}

/** One line of `tags`: `type=...,attr=value,...`; a bare field is the `value` (a bare line is a raw tag). */
export function parseTagRule(line: string): TagRule {
  let type: TagType | undefined;
  const attrs: Record<string, string> = {};
  const bare: string[] = [];
  for (const field of fields(line)) {
    const eq = field.indexOf('=');
    if (eq <= 0) {
      attrs.value = field.trim();
      bare.push(attrs.value);
      continue;
    }
    const key = field.slice(0, eq).trim().toLowerCase();
    const value = field.slice(eq + 1).trim();
    if (key === 'type') {
      if (!(TAG_TYPES as readonly string[]).includes(value)) {
        throw new Error(`"${line}": unknown type "${value}"; use one of ${TAG_TYPES.join(', ')}`);
      }
      type = value as TagType;
    } else {
      attrs[key] = value;
    }
  }
  type ??= 'raw';
  const need = (k: string, what: string) => {
    if (!has(attrs, k)) throw new Error(`"${line}": type=${type} needs ${what}`);
  };
  switch (type) {
    case 'schedule':
      if (!has(attrs, 'pattern')) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      need('pattern', 'a pattern attribute, e.g. pattern={{version}}');
      if (!has(attrs, 'value')) attrs.value = '';
      if (!has(attrs, 'match')) attrs.match = '';
      if (attrs.match) checkMatch(line, attrs.match);
      break;
    case 'match':
      need('pattern', 'a pattern attribute, e.g. pattern=v(.*),group=1');
      if (!has(attrs, 'group')) attrs.group = '0';
      if (!/^\d+$/.test(attrs.group!)) throw new Error(`"${line}": group must be a number (0 = whole match)`);
      if (!has(attrs, 'value')) attrs.value = '';
      try {
        matchRegExp(attrs.pattern!);
      } catch (err) {
        throw new Error(`"${line}": pattern is not a valid regular expression (${errorMessage(err)})`, { cause: err });
      }
      break;
    case 'edge':
      if (!has(attrs, 'branch')) attrs.branch = '';
      break;
    case 'ref':
      need('event', 'event=branch, event=tag or event=pr');
      if (!['branch', 'tag', 'pr'].includes(attrs.event!))
        throw new Error(`"${line}": event must be branch, tag or pr`);
      if (attrs.event === 'pr' && !has(attrs, 'prefix')) attrs.prefix = 'pr-';
      break;
    case 'raw':
      need('value', 'a value, e.g. type=raw,value=latest');
      break;
    case 'sha':
      if (!has(attrs, 'prefix')) attrs.prefix = 'sha-';
      if (!has(attrs, 'format')) attrs.format = 'short';
      if (!['short', 'long'].includes(attrs.format!)) throw new Error(`"${line}": format must be short or long`);
      break;
  }
  if (!has(attrs, 'enable')) attrs.enable = 'true';
  let priority = DEFAULT_PRIORITY[type];
  if (has(attrs, 'priority')) {
    priority = Number(attrs.priority);
    if (attrs.priority!.trim() === '' || !Number.isFinite(priority))
      throw new Error(`"${line}": priority must be a number`);
  }
  const rule: TagRule = { type, attrs, priority, source: line };
  if (bare.length > 1) {
    // docker/metadata-action keeps only the last bare value too; say so instead of dropping tags silently
    rule.warning = `"${line}": several bare values on one line, only "${bare[bare.length - 1]}" is used (as docker/metadata-action does); put each tag on its own line`;
  }
  return rule;
}

/** A match rule's pattern: /re/flags or a bare regular expression (as metadata-action). */
export function matchRegExp(pattern: string): RegExp {
  const re = /^\/(.+)\/(.*)$/.exec(pattern);
  return re ? new RegExp(re[1]!, re[2]) : new RegExp(pattern);
}

/** All rules, highest priority first (stable: equal priorities keep their order). Empty → the defaults. */
export function parseTagRules(lines: string[]): TagRule[] {
  const rules = (lines.length ? lines : DEFAULT_TAG_RULES).map(parseTagRule);
  return rules
    .map((r, i) => [r, i] as const)
    .sort((a, b) => b[0].priority - a[0].priority || a[1] - b[1])
    .map(([r]) => r);
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

/** `flavor` lines: latest=auto|true|false, prefix=...[,onlatest=bool], suffix=...[,onlatest=bool]. */
export function parseFlavor(lines: string[]): Flavor {
  const flavor: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };
  for (const line of lines) {
    let onlatestFor: 'prefix' | 'suffix' | '' = '';
    for (const field of fields(line)) {
      const parts = field.split('=').map((s) => s.trim());
      if (parts.length === 1) throw new Error(`"${line}": use key=value (latest=, prefix=, suffix=, onlatest=)`);
      const key = parts[0]!.toLowerCase();
      const value = parts[1]!;
      switch (key) {
        case 'latest':
          if (!['auto', 'true', 'false'].includes(value))
            throw new Error(`"${line}": latest must be auto, true or false`);
          flavor.latest = value as Flavor['latest'];
          break;
        case 'prefix':
          flavor.prefix = value;
          onlatestFor = 'prefix';
          break;
        case 'suffix':
          flavor.suffix = value;
          onlatestFor = 'suffix';
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(value)) throw new Error(`"${line}": onlatest must be true or false`);
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        case 'labelprefix':
          break; // accepted by metadata-action, without effect
        default:
          throw new Error(`"${line}": unknown flavor "${key}"; use latest, prefix, suffix, onlatest`);
      }
    }
  }
  return flavor;
}

export interface ImageEntry {
  name: string;
  enable: boolean;
}

/**
 * `images` lines: bare names (a single line may list several, comma separated) or
 * `name=...,enable=true|false`. Names are lowercased.
 */
export function parseImages(lines: string[]): ImageEntry[] {
  if (lines.length === 1) {
    const f = fields(lines[0]!);
    if (f.every((x) => !x.includes('=')))
      return f
        .map((x) => x.trim())
        .filter(Boolean)
        .map((name) => ({ name: name.toLowerCase(), enable: true }));
  }
  return lines.map((line) => {
    const image: ImageEntry = { name: '', enable: true };
    for (const field of fields(line)) {
      const parts = field.split('=').map((s) => s.trim());
      if (parts.length === 1) {
        image.name = parts[0]!.toLowerCase();
        continue;
      }
      const key = parts[0]!.toLowerCase();
      if (key === 'name') image.name = parts[1]!.toLowerCase();
      else if (key === 'enable') {
        if (!['true', 'false'].includes(parts[1]!)) throw new Error(`"${line}": enable must be true or false`);
        image.enable = parts[1] === 'true';
      } else throw new Error(`"${line}": unknown image attribute "${key}"; use name= and enable=`);
    }
    if (!image.name) throw new Error(`"${line}": the image name is empty`);
    return image;
  });
}
