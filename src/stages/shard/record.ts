/**
 * Shard results as workflow artifacts: a shard uploads what the merge needs (image, platform,
 * digest); a merge with no `digests` finds this run's shards of its own shard set and checks them
 * against the platforms it was asked for. Pure: naming, the record and the selection;
 * the upload and the search are in act.ts.
 *
 * Artifacts are scoped to the workflow run by the service itself. Inside one run, several shard
 * sets may exist (two calls of the reusable workflow, two images, two configs of one image): the
 * shard set, in every artifact name, keeps them apart. It is derived from the image name, plus the
 * `shard-key` input when one image is sharded twice in one run.
 */
import { createHash } from 'node:crypto';

import { errorMessage, InputError, StageError } from '../../errors.js';
import type { ShardRef } from '../../inputs/shard.js';
import { formatPlatform, parsePlatform } from '../../oci/platforms.js';
import { isSha256Digest, normaliseImageName } from '../../oci/reference.js';
import { isGhes } from '../../ports/services.js';

export const SHARD_ARTIFACT_PREFIX = 'multiarch-shard';
/** The one file each shard artifact holds. */
export const SHARD_RECORD_FILE = 'shard.json';
const SCHEMA = 1;
// `~` separates the name's parts and `+` image from key: neither can appear in a slug, so one
// set's prefix never matches another set's names
const SEP = '~';

/** What a shard artifact holds. */
export interface ShardRecord {
  schema: number;
  set: string;
  image: string;
  platform: string;
  digest: string;
  /** GITHUB_RUN_ATTEMPT of the shard job: a re-run's shard replaces the earlier attempt's. */
  attempt: number;
  /** The shard job (GITHUB_JOB), for messages. */
  job: string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Pure: a long slug shortened, with a hash of the whole so shortened ones stay distinct. */
function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 9)}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

/** Pure: the shard set of an image (and the optional shard-key), as artifact names show it. */
export function shardSet(image: string, key = ''): string {
  const base = capped(slug(normaliseImageName(image)), 90);
  return key.trim() ? `${base}+${capped(slug(key.trim()), 40)}` : base;
}

/** Pure: the names of one shard set start with this. */
export function shardSetPrefix(set: string): string {
  return `${SHARD_ARTIFACT_PREFIX}${SEP}${set}${SEP}`;
}

/**
 * Pure: one shard's artifact name: set, platform, run attempt and job (a hash of the job's run id:
 * two matrix legs of one platform both upload, and the merge reports them as duplicates).
 */
export function shardArtifactName(set: string, platform: string, attempt: number, jobId: string): string {
  const job = createHash('sha256').update(jobId).digest('hex').slice(0, 8);
  return `${shardSetPrefix(set)}${slug(platform)}${SEP}a${attempt}${SEP}${job}`;
}

/**
 * Pure: the job's run id from the runtime token (Actions.Results:<run>:<job> in its scp claim, which
 * @actions/artifact reads too), or undefined. The token's signature is not checked: only the id is used.
 */
export function jobRunId(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      scp?: unknown;
    };
    const scope = String(payload.scp ?? '')
      .split(' ')
      .map((s) => s.split(':'))
      .find((p) => p[0] === 'Actions.Results' && p.length === 3);
    return scope?.[2];
  } catch {
    return undefined;
  }
}

/** Pure: the input error of a merge that has neither digests nor an artifact service. */
export function noArtifactServiceError(env: NodeJS.ProcessEnv): InputError {
  const where = isGhes(env.GITHUB_SERVER_URL)
    ? 'this GitHub Enterprise Server has no Actions artifact service for @actions/artifact'
    : 'this run has no Actions artifact service (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are unset: outside GitHub Actions?)';
  return new InputError(
    'digests',
    `is empty, so the shard results would be read from this run's artifacts, but ${where}: pass the shard runs' shard outputs in digests`,
  );
}

/** Pure: the record a shard uploads. */
export function shardRecord(
  set: string,
  image: string,
  platform: string,
  digest: string,
  env: NodeJS.ProcessEnv,
): ShardRecord {
  return {
    schema: SCHEMA,
    set,
    image,
    platform,
    digest,
    attempt: Number(env.GITHUB_RUN_ATTEMPT) || 1,
    job: env.GITHUB_JOB ?? '',
  };
}

/** Pure: a downloaded record, checked field by field (its content is untrusted). */
export function parseShardRecord(text: string | undefined, artifact: string): ShardRecord {
  const bad = (why: string) =>
    new StageError(
      'merge',
      `artifact ${artifact} is not a shard result (${why}): was it uploaded by another tool under a multiarch-shard name?`,
    );
  if (text === undefined) throw bad(`no ${SHARD_RECORD_FILE}`);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw bad(`${SHARD_RECORD_FILE} is not JSON`);
  }
  if (!v || typeof v !== 'object' || v.schema !== SCHEMA)
    throw bad(`schema ${JSON.stringify(v?.schema)}, not ${SCHEMA}`);
  for (const f of ['set', 'image', 'platform', 'digest']) if (typeof v[f] !== 'string' || !v[f]) throw bad(`no "${f}"`);
  if (!isSha256Digest(v.digest as string)) throw bad('its digest is not sha256:<64 hex>');
  let platform: string;
  try {
    platform = formatPlatform(parsePlatform(v.platform as string));
  } catch (err) {
    throw bad(`invalid platform: ${errorMessage(err)}`);
  }
  const attempt = Number(v.attempt);
  return {
    schema: SCHEMA,
    set: v.set as string,
    image: v.image as string,
    platform,
    digest: v.digest as string,
    attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    job: typeof v.job === 'string' ? v.job : '',
  };
}

export interface FoundShard {
  artifact: string;
  record: ShardRecord;
}

/** Pure: per platform, the shards of the newest run attempt that has one (earlier attempts were re-run). */
function newestPerPlatform(found: FoundShard[]): Map<string, FoundShard[]> {
  const by = new Map<string, FoundShard[]>();
  for (const f of found) by.set(f.record.platform, [...(by.get(f.record.platform) ?? []), f]);
  for (const [p, list] of by) {
    const newest = Math.max(...list.map((f) => f.record.attempt));
    by.set(
      p,
      list.filter((f) => f.record.attempt === newest),
    );
  }
  return by;
}

/**
 * Pure: the shards to merge. Refuses (nothing is created yet) a shard of another image or set, two
 * shards of one platform in one attempt, a platform without a shard and a shard of a platform not asked for.
 */
export function selectShards(
  found: FoundShard[],
  want: { set: string; image: string; platforms: string[] },
): ShardRef[] {
  if (want.platforms.length === 0)
    throw new StageError(
      'merge',
      'platforms is empty: a merge without digests needs the platforms the shards build, so a missing shard is caught',
    );
  const problems: string[] = [];
  const image = normaliseImageName(want.image);
  const foreign = found.filter((f) => f.record.set !== want.set || normaliseImageName(f.record.image) !== image);
  if (foreign.length) {
    problems.push(
      `${foreign.map((f) => `${f.artifact} holds a shard of ${f.record.image} (set ${f.record.set})`).join('; ')}, not of ${want.image} (set ${want.set}): ` +
        'two shard sets share a name in this run; give each its own shard-key (the same in its shards and its merge)',
    );
  }
  const by = newestPerPlatform(found.filter((f) => !foreign.includes(f)));
  for (const [p, list] of by) {
    if (list.length > 1)
      problems.push(
        `duplicate platform ${p}: ${list.map((f) => `${f.artifact} (${f.record.digest})`).join(' and ')}; each platform must come from exactly one shard job (two shard sets of this image in one run? give each its own shard-key)`,
      );
  }
  const missing = want.platforms.filter((p) => !by.has(p));
  if (missing.length)
    problems.push(
      `no shard for ${missing.join(', ')} in this run (found: ${[...by.keys()].join(', ') || 'none'}); did every shard job succeed and upload, with the same images and shard-key?`,
    );
  const extra = [...by.keys()].filter((p) => !want.platforms.includes(p));
  if (extra.length)
    problems.push(
      `shards for ${extra.join(', ')}, which platforms (${want.platforms.join(', ')}) does not list: set platforms to every platform the shards build`,
    );
  if (problems.length) throw new StageError('merge', `${problems.join('. ')}. Nothing was created`);
  return want.platforms.map((p) => {
    const r = by.get(p)![0]!.record;
    return { image: r.image, platform: r.platform, digest: r.digest };
  });
}
