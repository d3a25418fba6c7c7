/**
 * buildx versions as `buildx version` prints them (0.13.1+ds1, v0.29.1-desktop.1): the builder,
 * build, cache and arch-check stages gate features on them, through `buildxAtLeast` and the one
 * table of minimum releases below; the input pass names the default release in its examples.
 */

/** The buildx release installed when buildx is missing and no buildx-version is given. */
export const DEFAULT_BUILDX_VERSION = '0.29.1';

/** The first buildx release with each feature this action gates on. */
export const BUILDX_MINIMUM = {
  '--bootstrap': '0.8.0',
  'the remote driver': '0.8.0',
  // renamed from --config
  '--buildkitd-config': '0.13.0',
  "a second exporter beside the build's own": '0.13.0',
  // type=oci,tar=false: an OCI layout folder
  'an OCI layout folder export': '0.13.0',
  // build checks
  call: '0.15.0',
  'the Actions cache v2 API': '0.21.0',
  // the local cache exporter's reset=true (moby/buildkit #6612)
  'cache reset=true': '0.35.0',
} as const;

export type BuildxFeature = keyof typeof BUILDX_MINIMUM;

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

/**
 * Whether this buildx (a bare version or `buildx version`'s whole line) has `feature`; a version
 * that cannot be read is compared as it is, so an empty one has no feature.
 */
export function buildxAtLeast(version: string, feature: BuildxFeature): boolean {
  return versionAtLeast(parseBuildxVersion(version) ?? version, BUILDX_MINIMUM[feature]);
}

/** Parse `docker buildx version` ("github.com/docker/buildx v0.13.1 abc…" or "… 0.13.1+ds1 …"). */
export function parseBuildxVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+\.\d+)/.exec(text);
  return m?.[1];
}
