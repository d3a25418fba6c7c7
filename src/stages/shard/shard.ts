/**
 * Scale out: `mode: shard` builds one platform and pushes it by digest only; `mode: merge` joins
 * the shards' digests into one tagged index. Pure plan functions first, thin act functions last.
 */
import { InputError, StageError, errorMessage } from '../../errors.js';
import { type Exec, NO_TIMEOUT } from '../../ports/exec.js';
import { formatPlatform, parsePlatform } from '../../oci/platforms.js';
import { isLoopbackHost, registryHost } from '../../oci/reference.js';
import type { ShardRef } from '../../inputs/shard.js';

/** Docker's short names: docker.io/library/x ≡ x, docker.io/o/x ≡ o/x, index.docker.io too. */
export function normaliseImageName(name: string): string {
  let n = name.toLowerCase();
  n = n.replace(/^(?:index\.)?docker\.io\//, '');
  n = n.replace(/^library\/(?=[^/]+$)/, '');
  return n;
}

/** Pure: shards with their image filled in; every named image must be the merge image. */
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
  if (dup.length) throw new InputError('digests', `digest ${dup[0]!.digest} is given more than once: pass each shard once`);
  return refs.map((r) => ({ ...r, image }));
}

// --- shard ---

/** Pure: a cache scope for one platform (the cache stage uses it so shards do not overwrite each other). */
export function shardCacheScope(platform: string, base = 'multiarch'): string {
  return `${base}-${platform.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

/**
 * Pure: the `--output` of a shard build. buildx pushes by digest itself, except with the docker
 * driver, which cannot ("push-by-digest is currently not implemented for docker driver"): there
 * the build goes to an OCI layout that `planShardPush` copies to the registry by digest.
 */
export function planShardOutput(image: string, driver: string, ociDir: string): string {
  if (driver === 'docker') return `type=oci,dest=${ociDir},tar=false`;
  return `type=image,name=${image},push-by-digest=true,name-canonical=true,push=true`;
}

/**
 * Pure: copy an OCI layout (one image or index) to the registry by digest only, no tag
 * (skopeo, preinstalled on GitHub's Ubuntu runners). Loopback registries are plain HTTP,
 * as docker treats them.
 */
export function planShardPush(image: string, digest: string, ociDir: string, authFile?: string): string[] {
  const argv = ['skopeo', 'copy', '--all', '--preserve-digests', '--retry-times', '2'];
  if (authFile) argv.push('--authfile', authFile);
  if (isLoopbackHost(registryHost(image))) argv.push('--dest-tls-verify=false');
  argv.push(`oci:${ociDir}`, `docker://${image}@${digest}`);
  return argv;
}

/** Pure: the `shard` output the merge job passes on. */
export function shardOutput(image: string, platform: string, digest: string): string {
  return JSON.stringify({ image, platform, digest });
}

/** Annotations a shard build carries: all but the index level, which belongs to the merged index. */
export function shardAnnotations(annotations: string[]): string[] {
  return annotations.filter((a) => !/^index(?:\[[^\]]*\])?:/.test(a));
}

export interface ShardPushDeps {
  exec: Exec;
  log(m: string): void;
}

/** Act: push the OCI layout by digest (docker driver only). */
export async function pushShardLayout(argv: string[], deps: ShardPushDeps): Promise<void> {
  deps.log(`the docker driver cannot push by digest: copying the built image to the registry by digest (${argv.join(' ')})`);
  let res;
  try {
    res = await deps.exec({ argv, timeoutMs: NO_TIMEOUT });
  } catch (err) {
    throw new StageError(
      'shard',
      `cannot run skopeo (${errorMessage(err)}): the docker driver needs skopeo to push by digest. Install skopeo (apt-get install skopeo), or use driver: docker-container.`,
    );
  }
  if (res.code !== 0) {
    throw new StageError('shard', `pushing by digest failed: ${res.stderr.trim().split('\n').slice(-1)[0] || `exit ${res.code}`}`);
  }
}

// --- merge ---

export interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface InspectedManifest {
  mediaType?: string;
  digest?: string;
  manifests?: Descriptor[];
}

/** A shard resolved against the registry: its platform and the platform manifest's digest. */
export interface ResolvedShard {
  image: string;
  digest: string;
  platform: string;
  /** The platform manifest: the digest itself, or the image manifest inside the shard's index. */
  manifest: string;
}

const isIndex = (m: InspectedManifest) => Array.isArray(m.manifests);

function descPlatform(d: Descriptor): string | undefined {
  if (!d.platform || d.platform.os === 'unknown') return undefined;
  if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return undefined;
  return formatPlatform(parsePlatform([d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join('/')));
}

/** Pure: images (platform manifests) an index holds, attestations aside. */
export function indexImages(index: InspectedManifest): { platform: string; digest: string }[] {
  return (index.manifests ?? []).flatMap((d) => {
    const platform = descPlatform(d);
    return platform ? [{ platform, digest: d.digest }] : [];
  });
}

/**
 * Pure: a shard's platform and manifest from what the registry returned. An index must hold
 * exactly one platform (a shard builds one); a manifest takes its platform from the shard JSON
 * or its config (`configPlatform`).
 */
export function resolveShard(ref: ShardRef & { image: string }, inspected: InspectedManifest, configPlatform?: string): ResolvedShard {
  const where = `${ref.image}@${ref.digest}`;
  if (isIndex(inspected)) {
    const images = indexImages(inspected);
    if (images.length !== 1) {
      throw new StageError('merge', `${where} is an index of ${images.length} platforms (${images.map((i) => i.platform).join(', ') || 'none'}), not one shard: pass the digest of each shard run`);
    }
    const img = images[0]!;
    if (ref.platform && ref.platform !== img.platform) throw new StageError('merge', `${where} holds ${img.platform}, but its shard output says ${ref.platform}`);
    return { image: ref.image, digest: ref.digest, platform: img.platform, manifest: img.digest };
  }
  const platform = ref.platform ?? configPlatform;
  if (!platform) throw new StageError('merge', `cannot tell the platform of ${where}: its image config names none`);
  if (ref.platform && configPlatform && ref.platform !== configPlatform) {
    throw new StageError('merge', `${where} is a ${configPlatform} image, but its shard output says ${ref.platform}`);
  }
  return { image: ref.image, digest: ref.digest, platform, manifest: ref.digest };
}

/** Pure: no two shards may bring the same platform. */
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

/** Pure: annotations the merged index takes (index and manifest-descriptor levels). */
export function mergeAnnotations(annotations: string[]): string[] {
  return annotations.filter((a) => /^(?:index|manifest-descriptor)(?:\[[^\]]*\])?:/.test(a));
}

/** Pure: the `docker buildx imagetools create` argv. */
export function planMerge(refs: string[], annotations: string[], shards: ResolvedShard[]): string[] {
  const argv = ['docker', 'buildx', 'imagetools', 'create'];
  for (const r of refs) argv.push('--tag', r);
  for (const a of mergeAnnotations(annotations)) argv.push('--annotation', a);
  for (const s of shards) argv.push(`${s.image}@${s.digest}`);
  return argv;
}

/** Pure: what is wrong with the created index ([] = every shard platform is there, with its manifest). */
export function verifyIndex(index: InspectedManifest, shards: ResolvedShard[]): string[] {
  if (!isIndex(index)) return ['the created reference is not an image index'];
  const images = indexImages(index);
  const problems: string[] = [];
  for (const s of shards) {
    const found = images.filter((i) => i.platform === s.platform);
    if (found.length === 0) problems.push(`${s.platform} is missing`);
    else if (!found.some((f) => f.digest === s.manifest)) problems.push(`${s.platform} is ${found.map((f) => f.digest).join(', ')}, not the shard's ${s.manifest}`);
  }
  return problems;
}

export interface MergeDeps {
  exec: Exec;
  log(m: string): void;
}

async function inspect<T>(exec: Exec, ref: string, format: string): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  const res = await exec({ argv: ['docker', 'buildx', 'imagetools', 'inspect', ref, '--format', format], silent: true });
  if (res.code !== 0) return { ok: false, error: res.stderr.trim().split('\n').slice(-1)[0] || `exit ${res.code}` };
  try {
    return { ok: true, value: JSON.parse(res.stdout) as T };
  } catch {
    return { ok: false, error: `unreadable answer: ${res.stdout.slice(0, 200)}` };
  }
}

/** Act: look every shard up in the registry (nothing is created); errors name every bad digest. */
export async function resolveShards(refs: (ShardRef & { image: string })[], deps: MergeDeps): Promise<ResolvedShard[]> {
  const missing: string[] = [];
  const problems: string[] = [];
  const resolved: ResolvedShard[] = [];
  for (const ref of refs) {
    const where = `${ref.image}@${ref.digest}`;
    const m = await inspect<InspectedManifest>(deps.exec, where, '{{json .Manifest}}');
    if (!m.ok) {
      missing.push(`${where} (${m.error})`);
      continue;
    }
    let configPlatform: string | undefined;
    if (!isIndex(m.value) && !ref.platform) {
      const cfg = await inspect<{ os?: string; architecture?: string; variant?: string }>(deps.exec, where, '{{json .Image}}');
      if (cfg.ok && cfg.value.os && cfg.value.architecture) {
        configPlatform = formatPlatform(parsePlatform([cfg.value.os, cfg.value.architecture, cfg.value.variant].filter(Boolean).join('/')));
      }
    }
    let shard: ResolvedShard;
    try {
      shard = resolveShard(ref, m.value, configPlatform);
    } catch (err) {
      problems.push(errorMessage(err));
      continue;
    }
    deps.log(`${where}: ${shard.platform}${shard.manifest !== shard.digest ? ` (manifest ${shard.manifest})` : ''}`);
    resolved.push(shard);
  }
  if (missing.length) problems.unshift(`not in the registry: ${missing.join('; ')}; check that every shard run pushed, and that digests passes their outputs`);
  if (problems.length) throw new StageError('merge', `${problems.join('. ')}. Nothing was created`);
  checkDuplicatePlatforms(resolved);
  return resolved;
}

export interface MergeResult {
  digest: string;
  /** platform → manifest digest. */
  manifests: Record<string, string>;
}

/** Act: create the index under every tag, then check it holds every shard. */
export async function runMerge(argv: string[], refs: string[], shards: ResolvedShard[], deps: MergeDeps): Promise<MergeResult> {
  const res = await deps.exec({ argv, timeoutMs: NO_TIMEOUT });
  if (res.code !== 0) throw new StageError('merge', `docker buildx imagetools create failed: ${res.stderr.trim().split('\n').slice(-1)[0] || `exit ${res.code}`}`);
  let digest = '';
  for (const ref of refs) {
    const m = await inspect<InspectedManifest>(deps.exec, ref, '{{json .Manifest}}');
    if (!m.ok) throw new StageError('merge', `cannot read back ${ref}: ${m.error}`);
    const problems = verifyIndex(m.value, shards);
    if (problems.length) throw new StageError('merge', `${ref} does not hold every shard: ${problems.join('; ')}`);
    if (digest && m.value.digest !== digest) throw new StageError('merge', `${ref} is ${m.value.digest}, not the index ${digest} the other tags got`);
    digest = m.value.digest ?? '';
  }
  const manifests: Record<string, string> = {};
  for (const s of shards) manifests[s.platform] = s.manifest;
  deps.log(`index ${digest}: ${shards.map((s) => s.platform).join(', ')}`);
  return { digest, manifests };
}
