/**
 * buildx versions as `buildx version` prints them (0.13.1+ds1, v0.29.1-desktop.1): the builder and the
 * cache stage gate features on them.
 */

/** The buildx release installed when buildx is missing and no buildx-version is given. */
export const DEFAULT_BUILDX_VERSION = '0.29.1';

/** Compare dotted versions numerically: <0, 0, >0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/** Parse `docker buildx version` ("github.com/docker/buildx v0.13.1 abc…" or "… 0.13.1+ds1 …"). */
export function parseBuildxVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+\.\d+)/.exec(text);
  return m?.[1];
}
