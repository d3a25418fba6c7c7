/** Bounded fan-out for lists that come from untrusted input. */

/**
 * How many base images are probed at once (preflight's inspects, the arch check's base reads): an
 * inspect is a docker CLI process (~70 MB resident) plus a registry round trip; 4 keeps a
 * Dockerfile of 120 `FROM`s from starting 240 processes on a 2-core runner, while the usual 1-4
 * bases still all go at once.
 */
export const PROBE_CONCURRENCY = 4;

/**
 * A bounded fan-out: `fn` over every item with at most `limit` calls in flight, results in the
 * items' order. Used wherever one call per item of an untrusted list (a Dockerfile's `FROM`s, an
 * image's layers) would otherwise start them all at once. A call that throws rejects the whole
 * map, as Promise.all does; the calls already started finish on their own.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
