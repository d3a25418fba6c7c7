import type { RepoInfo } from '../../context/run-context.js';
import { isEpochSeconds } from '../../inputs/reproducible.js';

export interface OciInput {
  repo: RepoInfo;
  version: string;
  /** ISO 8601 creation time. */
  created: string;
  revision: string;
}

/** The generated OCI keys, in metadata-action's order (before sorting). */
export function ociPairs(o: OciInput): [string, string][] {
  return [
    ['org.opencontainers.image.title', o.repo.name],
    ['org.opencontainers.image.description', o.repo.description],
    ['org.opencontainers.image.url', o.repo.htmlUrl],
    ['org.opencontainers.image.source', o.repo.htmlUrl],
    ['org.opencontainers.image.version', o.version],
    ['org.opencontainers.image.created', o.created],
    ['org.opencontainers.image.revision', o.revision],
    ['org.opencontainers.image.licenses', o.repo.license],
  ];
}

/**
 * Generated pairs, then user `KEY=VALUE` lines (already rendered) overriding them. As metadata-action,
 * a line without '=' is dropped (and `foo=` kept as an empty value); so is one with an empty key,
 * which buildx would refuse. Each dropped line goes to `dropped`, for a warning naming it.
 * Sorted by key, as metadata-action outputs them.
 */
export function mergeLabels(
  generated: [string, string][],
  user: string[],
  dropped: (line: string) => void = () => undefined,
): string[] {
  const map = new Map<string, string>(generated);
  for (const line of user) {
    const eq = line.indexOf('=');
    if (eq <= 0) {
      dropped(line);
      continue;
    }
    map.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return [...map.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, v]) => `${k}=${v}`);
}

/** `created` from SOURCE_DATE_EPOCH (seconds) when set, else now (a value past the rule too: no Date holds it). */
export function createdAt(sourceDateEpoch: string, now: number): string {
  const epoch = sourceDateEpoch.trim();
  return new Date(isEpochSeconds(epoch) ? Number(epoch) * 1000 : now).toISOString();
}

/**
 * KEY=VALUE lines as an object, for the json output and the bake files: one helper, so both hold
 * every label (a "__proto__" key too: an own property, where assigning it would drop it).
 */
export function labelObject(labels: string[]): Record<string, string> {
  return Object.fromEntries(labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** buildx's annotation levels: a line may start with one, with an optional [platform] part. */
const ANNOTATION_LEVEL = /^(?:index|manifest|index-descriptor|manifest-descriptor)(?:\[[^\]=]*\])?(?=:)/;

/** Pure: the level prefix of an annotation line (`manifest[linux/amd64]`), without its colon; undefined when it has none. */
export function annotationLevelOf(line: string): string | undefined {
  return ANNOTATION_LEVEL.exec(line)?.[0];
}
