/**
 * The one reader of image indexes and manifests, as `docker buildx imagetools inspect --raw` prints
 * them, and of an image config's platform; and comparing platforms with the ones a build asks for.
 * Pure (argv and answers, no exec); used by preflight, merge, verify and the arch check.
 */
import { createHash } from 'node:crypto';

import { commandProblem } from '../errors.js';
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
export type ManifestNode =
  { kind: 'image'; config?: string; layers: string[] } | { kind: 'index'; entries: IndexEntry[]; nested: string[] };

export function parseManifestNode(raw: string): ManifestNode {
  const parsed = parseManifest(raw);
  const body = JSON.parse(raw) as {
    layers?: { digest: string }[];
    config?: { digest?: string };
    manifests?: { digest?: string; mediaType?: string; platform?: { os?: string } }[];
  };
  if (Array.isArray(body.layers))
    return { kind: 'image', config: body.config?.digest || undefined, layers: body.layers.map((l) => l.digest) };
  const nested = (body.manifests ?? [])
    .filter((d) => !d.platform?.os && d.digest && /index|list/.test(d.mediaType ?? ''))
    .map((d) => d.digest!);
  return { kind: 'index', entries: parsed.kind === 'index' ? parsed.entries : [], nested };
}

/** The canonical platform an image config blob names; a part it leaves out reads "unknown". */
export function imageConfigPlatform(raw: string): string {
  const cfg = JSON.parse(raw) as { os?: string; architecture?: string; variant?: string };
  return canonicalPlatform(cfg.os ?? 'unknown', cfg.architecture ?? 'unknown', cfg.variant);
}

/**
 * The one way a manifest or index is read from the registry: its bytes as the registry holds them
 * (`--raw`; buildx prints them with no newline added, so their sha256 is the digest, see
 * manifestDigest), parsed by parseManifest. `--` keeps a reference from ever reading as an option.
 */
export function inspectManifestArgv(ref: string): string[] {
  return ['docker', 'buildx', 'imagetools', 'inspect', '--raw', '--', ref];
}

/** The digest of a manifest read with `inspect --raw`: the sha256 of its bytes. */
export function manifestDigest(raw: string): string {
  return `sha256:${createHash('sha256').update(raw, 'utf8').digest('hex')}`;
}

/**
 * A single-platform manifest names its platform only in its config blob, which `--raw` does not
 * reach: imagetools reads it (`{{json .Image}}`).
 */
export function inspectConfigArgv(ref: string): string[] {
  return ['docker', 'buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', '--', ref];
}

/** The platform an image config names, canonical; or why it cannot be told. */
export type ConfigPlatform = { platform: string } | { problem: string };

/**
 * The one reading of an `inspectConfigArgv` answer (preflight's and merge's). The platform is
 * canonical, as imageConfigPlatform reads a config blob (linux/arm64/v8 is linux/arm64; one the
 * platform table does not know stays as given, never a thrown Error); a config that names no os or
 * architecture, and every failed read, is a `problem` in words, for the caller to report.
 */
export function configPlatform(argv: string[], res: { code: number; stdout: string; stderr: string }): ConfigPlatform {
  if (res.code !== 0) return { problem: `cannot read its image config: ${commandProblem(argv, res)}` };
  let cfg: { os?: unknown; architecture?: unknown; variant?: unknown } | null;
  try {
    cfg = JSON.parse(res.stdout) as typeof cfg;
  } catch {
    return { problem: 'its image config is not JSON' };
  }
  const { os, architecture } = cfg ?? {};
  if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture)
    return { problem: 'its image config names none' };
  return { platform: imageConfigPlatform(res.stdout) };
}
