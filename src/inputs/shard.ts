import { errorMessage, InputError } from '../errors.js';
import { formatPlatform, parsePlatform } from '../oci/platforms.js';
import { isSha256Digest, isValidName, referenceParts } from '../oci/reference.js';
import type { Collector, Getter } from './collect.js';

export type Mode = 'build' | 'shard' | 'merge';

/** One shard as the merge job receives it: the digest, and what the shard said about it. */
export interface ShardRef {
  /** Image name (no tag, no digest); undefined for a bare sha256:… line (the images input applies). */
  image?: string;
  /** Canonical platform, when the shard JSON carries it. */
  platform?: string;
  digest: string;
}

function badEntry(n: number, entry: string, why: string): InputError {
  const shown = entry.length > 120 ? `${entry.slice(0, 117)}...` : entry;
  return new InputError(
    'digests',
    `entry ${n} (${JSON.stringify(shown)}) ${why}: use one per line image@sha256:<64 hex>, sha256:<64 hex>, or the shard output of a shard run ({"image":…,"platform":…,"digest":…}), or a JSON array of them`,
  );
}

function refFromString(s: string, n: number): ShardRef {
  const text = s.trim();
  const parts = referenceParts(text);
  // the name as written, tag and all: a tag before @ is quoted back as an invalid image
  const image =
    parts.digest === undefined ? undefined : parts.tag === undefined ? parts.name : `${parts.name}:${parts.tag}`;
  const digest = parts.digest ?? text;
  if (!isSha256Digest(digest)) throw badEntry(n, text, 'has no valid sha256 digest');
  if (image !== undefined && !isValidName(image))
    throw badEntry(n, text, `names an invalid image "${image}" (no tag allowed before @)`);
  return image === undefined ? { digest } : { image, digest };
}

function refFromValue(v: unknown, n: number, raw: string): ShardRef {
  if (typeof v === 'string') return refFromString(v, n);
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badEntry(n, raw, 'is neither a string nor a shard object');
  const o = v as Record<string, unknown>;
  if (typeof o.digest !== 'string') throw badEntry(n, raw, 'has no "digest" string');
  const ref = refFromString(typeof o.image === 'string' && o.image ? `${o.image}@${o.digest}` : o.digest, n);
  if (o.platform !== undefined) {
    if (typeof o.platform !== 'string') throw badEntry(n, raw, 'has a "platform" that is not a string');
    try {
      ref.platform = formatPlatform(parsePlatform(o.platform));
    } catch (err) {
      throw badEntry(n, raw, `has an invalid platform: ${errorMessage(err)}`);
    }
  }
  return ref;
}

/**
 * Pure: the `digests` input → shard references. Accepts a JSON array (of strings or shard
 * objects), or lines each holding image@sha256:…, sha256:… or a shard JSON object. Blank lines
 * and # comments are skipped. Throws an InputError naming `digests`.
 */
export function parseDigestList(text: string): ShardRef[] {
  const trimmed = text.trim();
  if (!trimmed)
    throw new InputError(
      'digests',
      'is empty: mode merge needs the digests of the shard runs (their shard or digest outputs), one per line',
    );
  if (trimmed.startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(trimmed);
    } catch (err) {
      throw new InputError(
        'digests',
        `starts with "[" but is not valid JSON (${errorMessage(err)}): give a JSON array of shard outputs, or one entry per line`,
      );
    }
    if (!Array.isArray(arr)) throw new InputError('digests', 'is not a JSON array');
    return arr.map((v, i) => refFromValue(v, i + 1, JSON.stringify(v) ?? String(v)));
  }
  const refs: ShardRef[] = [];
  let n = 0;
  for (const line of trimmed.split(/\r?\n/)) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    n++;
    if (l.startsWith('{')) {
      let v: unknown;
      try {
        v = JSON.parse(l);
      } catch {
        throw badEntry(n, l, 'starts with "{" but is not valid JSON');
      }
      refs.push(refFromValue(v, n, l));
    } else {
      refs.push(refFromString(l, n));
    }
  }
  if (refs.length === 0) throw new InputError('digests', 'holds no entry (only blank lines or comments)');
  return refs;
}

export interface ShardInputs {
  /** build (default): one multi-platform build; shard: one platform pushed by digest; merge: join shards. */
  mode: Mode;
  /** mode merge: the shards' digests, parsed; [] = read the shard results from this run's artifacts. */
  digests: ShardRef[];
  /** Tells apart shard sets of one image in one workflow run (part of the artifact names). */
  shardKey: string;
}

const MODES: Mode[] = ['build', 'shard', 'merge'];

/**
 * The mode input as read, undefined when it is not a mode (parseShardInputs says so). Read first
 * by parseInputs: what the mode does not need is then not checked at all (merge builds nothing).
 */
export function modeOf(get: Getter): Mode | undefined {
  const v = get('mode').trim().toLowerCase() || 'build';
  return (MODES as string[]).includes(v) ? (v as Mode) : undefined;
}

export function parseShardInputs(get: Getter, c: Collector): ShardInputs {
  const mode = c.oneOf('mode', get('mode'), MODES, 'build', { meaning: 'build, shard or merge' });
  let digests: ShardRef[] = [];
  // empty: the merge reads this run's shard artifacts (checked against the environment in the pipeline)
  if (mode === 'merge' && get('digests').trim())
    digests = c.field('digests', () => parseDigestList(get('digests')), []);
  else if (mode !== 'merge' && get('digests').trim())
    c.fail('digests', `is only used with mode: merge (mode is ${mode}); remove it or set mode: merge`);
  const shardKey = c.field(
    'shard-key',
    () => {
      const v = get('shard-key').trim();
      if (v.length > 40 || /[^A-Za-z0-9._-]/.test(v))
        throw new Error(`"${v.slice(0, 60)}" is not valid: use up to 40 letters, digits, ".", "_" or "-" (e.g. debug)`);
      return v;
    },
    '',
  );
  if (shardKey && mode === 'build')
    c.fail('shard-key', 'is only used with mode: shard or merge; remove it or set mode');
  return { mode, digests, shardKey };
}
