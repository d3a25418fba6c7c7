/**
 * Scale out, the merge side: `mode: merge` joins the shards' digests (src/stages/shard) into one
 * tagged index. Pure: the checks of what the registry answered, and the argv.
 */
import { InputError, StageError } from '../../errors.js';
import type { ShardRef } from '../../inputs/shard.js';
import type { ConfigPlatform, ParsedManifest } from '../../oci/manifests.js';
import { normaliseImageName } from '../../oci/reference.js';

/** A shard resolved against the registry: its platform and the platform manifest's digest. */
export interface ResolvedShard {
  image: string;
  digest: string;
  platform: string;
  /** The platform manifest: the digest itself, or the image manifest inside the shard's index. */
  manifest: string;
}

/** Shards with their image filled in; every named image must be the merge image. */
export function checkShardImages(refs: ShardRef[], image: string): (ShardRef & { image: string })[] {
  const want = normaliseImageName(image);
  const wrong = refs.filter((r) => r.image !== undefined && normaliseImageName(r.image) !== want);
  if (wrong.length) {
    throw new InputError(
      'digests',
      `${wrong.map((r) => `${r.image}@${r.digest}`).join(', ')} ${wrong.length > 1 ? 'belong' : 'belongs'} to another image than "${image}" (the images input): ` +
        'shards and merge must use the same image name; a manifest can only be put in an index of its own repository',
    );
  }
  const seen = new Set<string>();
  const dup = refs.filter((r) => (seen.has(r.digest) ? true : (seen.add(r.digest), false)));
  if (dup.length)
    throw new InputError('digests', `digest ${dup[0]!.digest} is given more than once: pass each shard once`);
  return refs.map((r) => ({ ...r, image }));
}

/**
 * A shard's platform and manifest from what the registry returned (parseManifest). An index must
 * hold exactly one platform (a shard builds one); a manifest takes its platform from the shard JSON
 * or its config (configPlatform, read only when the shard JSON names none).
 */
export function resolveShard(
  ref: ShardRef & { image: string },
  inspected: ParsedManifest,
  config?: ConfigPlatform,
): ResolvedShard {
  const where = `${ref.image}@${ref.digest}`;
  if (inspected.kind === 'index') {
    const images = inspected.entries;
    if (images.length !== 1) {
      throw new StageError(
        'merge',
        `${where} is an index of ${images.length} platforms (${images.map((i) => i.platform).join(', ') || 'none'}), not one shard: pass the digest of each shard run`,
      );
    }
    const img = images[0]!;
    if (ref.platform && ref.platform !== img.platform)
      throw new StageError('merge', `${where} holds ${img.platform}, but its shard output says ${ref.platform}`);
    return { image: ref.image, digest: ref.digest, platform: img.platform, manifest: img.digest };
  }
  const configured = config && 'platform' in config ? config.platform : undefined;
  const platform = ref.platform ?? configured;
  if (!platform)
    throw new StageError(
      'merge',
      `cannot tell the platform of ${where}: ${config && 'problem' in config ? config.problem : 'its image config names none'}`,
    );
  if (ref.platform && configured && ref.platform !== configured) {
    throw new StageError('merge', `${where} is a ${configured} image, but its shard output says ${ref.platform}`);
  }
  return { image: ref.image, digest: ref.digest, platform, manifest: ref.digest };
}

/** No two shards may bring the same platform. */
export function checkDuplicatePlatforms(shards: ResolvedShard[]): void {
  const by = new Map<string, ResolvedShard[]>();
  for (const s of shards) by.set(s.platform, [...(by.get(s.platform) ?? []), s]);
  const dups = [...by.entries()].filter(([, list]) => list.length > 1);
  if (dups.length) {
    throw new StageError(
      'merge',
      `duplicate platforms: ${dups.map(([p, list]) => `${p} from ${list.map((s) => s.digest).join(' and ')}`).join('; ')}. Each platform must come from exactly one shard: check the matrix and the digests input`,
    );
  }
}

/** Annotations the merged index takes (index and manifest-descriptor levels). */
export function mergeAnnotations(annotations: string[]): string[] {
  return annotations.filter((a) => /^(?:index|manifest-descriptor)(?:\[[^\]]*\])?:/.test(a));
}

/** The `docker buildx imagetools create` argv. */
export function planMerge(refs: string[], annotations: string[], shards: ResolvedShard[]): string[] {
  const argv = ['docker', 'buildx', 'imagetools', 'create'];
  for (const r of refs) argv.push('--tag', r);
  for (const a of mergeAnnotations(annotations)) argv.push('--annotation', a);
  for (const s of shards) argv.push(`${s.image}@${s.digest}`);
  return argv;
}

/** What is wrong with the created index ([] = every shard platform is there, with its manifest). */
export function verifyIndex(index: ParsedManifest, shards: ResolvedShard[]): string[] {
  if (index.kind !== 'index') return ['the created reference is not an image index'];
  const problems: string[] = [];
  for (const s of shards) {
    const found = index.entries.filter((i) => i.platform === s.platform);
    if (found.length === 0) problems.push(`${s.platform} is missing`);
    else if (!found.some((f) => f.digest === s.manifest))
      problems.push(`${s.platform} is ${found.map((f) => f.digest).join(', ')}, not the shard's ${s.manifest}`);
  }
  return problems;
}
