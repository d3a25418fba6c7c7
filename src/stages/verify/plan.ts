/**
 * Verify: after a push, what the registry holds under every tag is read back (act.ts) and judged
 * here: an index with exactly the requested platforms (attestation manifests aside).
 */
import { commandProblem } from '../../errors.js';
import { canonicalPlatformOf, inspectManifestArgv, parseManifest } from '../../oci/manifests.js';

// verify reads a tag back with the buildx CLI (inspectManifestArgv, the one manifest read), which
// resolves the registry, its credentials and TLS as the push did; the arch check reads over HTTP
// instead (it streams layers, which imagetools cannot). Both answers are parsed by oci/manifests.ts.

export interface TagVerdict {
  ref: string;
  /** platform → manifest digest, as the registry holds it. */
  manifests: Record<string, string>;
  missing: string[];
  extra: string[];
  /** Set when the registry did not answer with an index. */
  problem?: string;
}

/** Pure: compare one tag's index (raw JSON from imagetools, see inspectManifestArgv) with the requested platforms. */
export function judgeTag(
  ref: string,
  requested: string[],
  res: { code: number; stdout: string; stderr: string },
): TagVerdict {
  const base = { ref, manifests: {}, missing: [], extra: [] };
  if (res.code !== 0) {
    return { ...base, problem: `cannot read it back: ${commandProblem(inspectManifestArgv(ref), res)}` };
  }
  let parsed;
  try {
    parsed = parseManifest(res.stdout);
  } catch {
    return { ...base, problem: 'the registry did not answer with a manifest' };
  }
  const want = requested.map(canonicalPlatformOf);
  if (parsed.kind === 'manifest') {
    // a single-platform build may legitimately push a plain manifest
    if (want.length === 1) return { ...base, manifests: { [requested[0]!]: '' } };
    return { ...base, missing: want, problem: 'it is a single-platform manifest, not an index' };
  }
  const manifests: Record<string, string> = {};
  for (const e of parsed.entries) manifests[e.platform] = e.digest;
  const have = Object.keys(manifests);
  return {
    ref,
    manifests,
    missing: want.filter((p) => !have.includes(p)),
    extra: have.filter((p) => !want.includes(p)),
  };
}

export function verdictOk(v: TagVerdict): boolean {
  return !v.problem && v.missing.length === 0 && v.extra.length === 0;
}

export function describeVerdict(v: TagVerdict): string {
  const parts: string[] = [];
  if (v.problem) parts.push(v.problem);
  if (v.missing.length) parts.push(`missing ${v.missing.join(', ')}`);
  if (v.extra.length) parts.push(`unexpected ${v.extra.join(', ')}`);
  const has = Object.keys(v.manifests);
  return `${v.ref}: ${parts.join('; ')} (it has ${has.length ? has.join(', ') : 'no platform'})`;
}
