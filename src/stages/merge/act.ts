/**
 * Scale out, the merge side's act: look every shard up (read only), then create the index under
 * every tag and read it back. Every read is the one manifest read of src/oci/manifests.ts.
 */
import { commandProblem, errorMessage, StageError } from '../../errors.js';
import type { ShardRef } from '../../inputs/shard.js';
import {
  type ConfigPlatform,
  configPlatform,
  inspectConfigArgv,
  inspectManifestArgv,
  manifestDigest,
  type ParsedManifest,
  parseManifest,
} from '../../oci/manifests.js';
import { type ActDeps, NO_TIMEOUT } from '../../ports/exec.js';
import { checkDuplicatePlatforms, type ResolvedShard, resolveShard, verifyIndex } from './plan.js';

type Read = { ok: true; manifest: ParsedManifest; digest: string } | { ok: false; error: string };

/** A manifest or index as the registry holds it, with its digest (the sha256 of its bytes). */
async function readManifest(exec: ActDeps['exec'], ref: string): Promise<Read> {
  const argv = inspectManifestArgv(ref);
  const res = await exec({ argv, silent: true });
  if (res.code !== 0) return { ok: false, error: commandProblem(argv, res) };
  try {
    return { ok: true, manifest: parseManifest(res.stdout), digest: manifestDigest(res.stdout) };
  } catch {
    return { ok: false, error: `unreadable answer: ${res.stdout.slice(0, 200)}` };
  }
}

async function readConfigPlatform(exec: ActDeps['exec'], ref: string): Promise<ConfigPlatform> {
  const argv = inspectConfigArgv(ref);
  return configPlatform(argv, await exec({ argv, silent: true }));
}

/** Look every shard up in the registry (nothing is created); errors name every bad digest. */
export async function resolveShards(refs: (ShardRef & { image: string })[], deps: ActDeps): Promise<ResolvedShard[]> {
  const missing: string[] = [];
  const problems: string[] = [];
  const resolved: ResolvedShard[] = [];
  for (const ref of refs) {
    const where = `${ref.image}@${ref.digest}`;
    const m = await readManifest(deps.exec, where);
    if (!m.ok) {
      missing.push(`${where} (${m.error})`);
      continue;
    }
    // a plain manifest names its platform only in its config: read it when the shard JSON did not say
    const config =
      m.manifest.kind === 'manifest' && !ref.platform ? await readConfigPlatform(deps.exec, where) : undefined;
    let shard: ResolvedShard;
    try {
      shard = resolveShard(ref, m.manifest, config);
    } catch (err) {
      problems.push(errorMessage(err));
      continue;
    }
    deps.log(`${where}: ${shard.platform}${shard.manifest !== shard.digest ? ` (manifest ${shard.manifest})` : ''}`);
    resolved.push(shard);
  }
  if (missing.length)
    problems.unshift(
      `not in the registry: ${missing.join('; ')}; check that every shard run pushed, and that digests passes their outputs`,
    );
  if (problems.length) throw new StageError('merge', `${problems.join('. ')}. Nothing was created`);
  checkDuplicatePlatforms(resolved);
  return resolved;
}

export interface MergeResult {
  digest: string;
  /** platform → manifest digest. */
  manifests: Record<string, string>;
}

/** Create the index under every tag (argv from planMerge), then check each tag holds every shard. */
export async function runMerge(
  argv: string[],
  refs: string[],
  shards: ResolvedShard[],
  deps: ActDeps,
): Promise<MergeResult> {
  const res = await deps.exec({ argv, timeoutMs: NO_TIMEOUT });
  if (res.code !== 0)
    throw new StageError('merge', `docker buildx imagetools create failed: ${commandProblem(argv, res)}`);
  let digest = '';
  for (const ref of refs) {
    const m = await readManifest(deps.exec, ref);
    if (!m.ok) throw new StageError('merge', `cannot read back ${ref}: ${m.error}`);
    const problems = verifyIndex(m.manifest, shards);
    if (problems.length) throw new StageError('merge', `${ref} does not hold every shard: ${problems.join('; ')}`);
    if (digest && m.digest !== digest)
      throw new StageError('merge', `${ref} is ${m.digest}, not the index ${digest} the other tags got`);
    digest = m.digest;
  }
  const manifests: Record<string, string> = {};
  for (const s of shards) manifests[s.platform] = s.manifest;
  deps.log(`index ${digest}: ${shards.map((s) => s.platform).join(', ')}`);
  return { digest, manifests };
}
