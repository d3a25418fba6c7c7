import { isValidTag } from '../../oci/reference.js';

/** Longest tag the docker reference grammar allows. */
export const MAX_TAG = 128;

/**
 * metadata-action's tag sanitising: every run of characters outside [A-Za-z0-9._-] becomes one '-'.
 * Applied to each generated value after its prefix and suffix.
 */
export function sanitizeLikeMetadataAction(value: string): string {
  return value.replace(/[^a-zA-Z0-9._-]+/g, '-');
}

/**
 * A value made into a tag that is always valid: metadata-action's sanitising, then (where that still
 * gives an invalid tag) leading '.' and '-' removed and the length cut to 128. Returns '' when
 * nothing usable is left (the caller then drops the tag).
 */
export function toDockerTag(value: string): string {
  let t = sanitizeLikeMetadataAction(value);
  if (isValidTag(t)) return t;
  t = t.replace(/^[.-]+/, '').slice(0, MAX_TAG);
  return isValidTag(t) ? t : '';
}
