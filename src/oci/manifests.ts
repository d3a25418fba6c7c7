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
