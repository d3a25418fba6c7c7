/**
 * Reading image indexes as `docker buildx imagetools inspect --raw` prints them, and comparing
 * their platforms with the ones a build asks for. Pure; used by preflight and verify.
 */
import { formatPlatform, parsePlatform } from './platforms.js';

export interface IndexEntry {
  /** Canonical platform (linux/arm64, linux/arm/v7, ...). */
  platform: string;
  digest: string;
}

export type ParsedManifest =
  | { kind: 'index'; entries: IndexEntry[] }
  /** A single-platform manifest: its platform is only in its config blob. */
  | { kind: 'manifest' };

interface RawDescriptor {
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/** Canonical form of a platform, so linux/arm64/v8 and linux/arm64 compare equal. Unknown ones stay as given. */
export function canonicalPlatform(os: string, arch: string, variant?: string): string {
  const raw = [os, arch, variant].filter(Boolean).join('/');
  try {
    return formatPlatform(parsePlatform(raw));
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * Parse an index (OCI image index or Docker manifest list). Attestation manifests
 * (platform unknown/unknown, or a vnd.docker.reference.type annotation) are left out.
 */
export function parseManifest(raw: string): ParsedManifest {
  let body: { manifests?: RawDescriptor[]; mediaType?: string; config?: unknown };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    throw new Error('not a JSON manifest');
  }
  if (!Array.isArray(body.manifests)) return { kind: 'manifest' };
  const entries: IndexEntry[] = [];
  for (const m of body.manifests) {
    const p = m.platform;
    if (!p?.os || !p.architecture) continue;
    if (p.os === 'unknown' || p.architecture === 'unknown') continue;
    if (m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    entries.push({ platform: canonicalPlatform(p.os, p.architecture, p.variant), digest: m.digest ?? '' });
  }
  return { kind: 'index', entries };
}

/** Requested platforms the available ones do not cover, in the order requested. */
export function missingPlatforms(requested: string[], available: string[]): string[] {
  const have = new Set(available.map((p) => canonicalPlatform(...(p.split('/') as [string, string, string?]))));
  return requested.filter((p) => !have.has(canonicalPlatform(...(p.split('/') as [string, string, string?]))));
}

/** A platform as written ("linux/arm64/v8", "linux/arm64") in the canonical form canonicalPlatform gives its parts. */
export function canonicalPlatformOf(platform: string): string {
  return canonicalPlatform(...(platform.split('/') as [string, string, string?]));
}

/** What a registry is asked for when a manifest is read: an index (OCI or Docker list) or an image manifest. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/**
 * One manifest on the way down to an image's layers (the arch check walks a registry's and an OCI
 * layout's alike): an image manifest's config blob and layer digests, bottom to top; or an index's
 * platform entries (as parseManifest reads them: attestations left out) and the indexes it names
 * without a platform (an OCI layout's index.json points at the image index that way).
 */
export type ManifestNode = { kind: 'image'; config?: string; layers: string[] } | { kind: 'index'; entries: IndexEntry[]; nested: string[] };

export function parseManifestNode(raw: string): ManifestNode {
  const parsed = parseManifest(raw);
  const body = JSON.parse(raw) as { layers?: { digest: string }[]; config?: { digest?: string }; manifests?: { digest?: string; mediaType?: string; platform?: { os?: string } }[] };
  if (Array.isArray(body.layers)) return { kind: 'image', config: body.config?.digest || undefined, layers: body.layers.map((l) => l.digest) };
  const nested = (body.manifests ?? []).filter((d) => !d.platform?.os && d.digest && /index|list/.test(d.mediaType ?? '')).map((d) => d.digest!);
  return { kind: 'index', entries: parsed.kind === 'index' ? parsed.entries : [], nested };
}

/** The canonical platform an image config blob names; a part it leaves out reads "unknown". */
export function imageConfigPlatform(raw: string): string {
  const cfg = JSON.parse(raw) as { os?: string; architecture?: string; variant?: string };
  return canonicalPlatform(cfg.os ?? 'unknown', cfg.architecture ?? 'unknown', cfg.variant);
}
