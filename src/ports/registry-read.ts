/**
 * Bounds on every registry read of the registry client: a deadline for silence (no byte) and one
 * for the whole read, a size cap, and the digest of what was read checked against the one asked
 * for. A registry is untrusted input like any other: one that trickles a byte every 30 s, stalls,
 * or answers a "config" of 400 MB must cost a bounded wait and bounded memory, and say which
 * registry and which blob.
 */
import { createHash, type Hash } from 'node:crypto';

/** Silence: a registry that sends no byte for 30 s is not going to (TCP's own retries take about as long). */
export const REGISTRY_IDLE_TIMEOUT_MS = 30_000;
/** A manifest or config (small, size-capped): 60 s is two idle deadlines, room for one slow answer. */
export const REGISTRY_SMALL_READ_TIMEOUT_MS = 60_000;
/** A layer streams through the arch check's reader: 10 min is a 6 GB layer at 10 MB/s. */
export const REGISTRY_LAYER_READ_TIMEOUT_MS = 600_000;
/** The OCI distribution spec: registries SHOULD accept manifests up to 4 MiB, so none larger is valid anywhere. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
/**
 * An image config is kilobytes (its history grows ~200 bytes per layer, 127 layers at most in
 * overlayfs; labels and env add a few kB): 8 MiB is a thousand times a large real one, twice the
 * manifest cap, and still nothing for the runner's memory.
 */
export const CONFIG_MAX_BYTES = 8 * 1024 * 1024;

export interface ReadLimits {
  idleMs: number;
  /** The whole read of a manifest or config. */
  smallMs: number;
  /** The whole read of a layer. */
  layerMs: number;
}

/** The limits, with MULTIARCH_REGISTRY_IDLE_TIMEOUT / MULTIARCH_REGISTRY_TOTAL_TIMEOUT (seconds) over them. */
export function readLimits(env: NodeJS.ProcessEnv): ReadLimits {
  const seconds = (name: string) => {
    const n = Number(env[name]);
    return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
  };
  const total = seconds('MULTIARCH_REGISTRY_TOTAL_TIMEOUT');
  return {
    idleMs: seconds('MULTIARCH_REGISTRY_IDLE_TIMEOUT') ?? REGISTRY_IDLE_TIMEOUT_MS,
    smallMs: total ?? REGISTRY_SMALL_READ_TIMEOUT_MS,
    layerMs: total ?? REGISTRY_LAYER_READ_TIMEOUT_MS,
  };
}

/**
 * One read's two deadlines. `signal` goes to fetch (headers and body): either deadline aborts it.
 * `wait` arms the idle deadline only while waiting for the registry (a slow consumer of a layer is
 * not a silent registry); an abort comes out as an error saying which deadline and what was read.
 */
export class ReadDeadline {
  private readonly controller = new AbortController();
  private readonly total: NodeJS.Timeout;
  private reason: string | undefined;

  constructor(
    private readonly what: string,
    private readonly idleMs: number,
    totalMs: number,
  ) {
    this.total = setTimeout(
      () => this.expire(`not finished within ${totalMs / 1000} s (MULTIARCH_REGISTRY_TOTAL_TIMEOUT)`),
      totalMs,
    );
    this.total.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async wait<T>(p: Promise<T>): Promise<T> {
    const idle = setTimeout(
      () => this.expire(`no byte for ${this.idleMs / 1000} s (MULTIARCH_REGISTRY_IDLE_TIMEOUT)`),
      this.idleMs,
    );
    idle.unref();
    try {
      return await p;
    } catch (err) {
      if (this.reason) throw new Error(`${this.what}: ${this.reason}; read stopped`, { cause: err });
      throw err;
    } finally {
      clearTimeout(idle);
    }
  }

  done(): void {
    clearTimeout(this.total);
  }

  private expire(reason: string): void {
    this.reason ??= reason;
    this.controller.abort(new Error(reason));
  }
}

/** Pure: the hash that checks a `sha256:…` / `sha512:…` digest; undefined for other algorithms. */
function digestHash(digest: string): Hash | undefined {
  const algo = digest.split(':')[0];
  return algo === 'sha256' || algo === 'sha512' ? createHash(algo) : undefined;
}

export interface BodyCheck {
  /** "registry r.example: config blob sha256:… of org/app", for every message. */
  what: string;
  maxBytes?: number;
  /** The digest the content must have (a read by digest); unchecked when undefined. */
  digest?: string;
}

/**
 * A response body as chunks, within the deadline and the size cap, checked against its digest at
 * its end (a mismatch throws after the last chunk: a streamed layer's reader fails then).
 */
export async function* boundedBody(
  res: Response,
  deadline: ReadDeadline,
  check: BodyCheck,
): AsyncGenerator<Buffer, void, undefined> {
  const { what, maxBytes, digest } = check;
  const declared = Number(res.headers.get('content-length'));
  if (maxBytes !== undefined && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${what}: the registry announces ${declared} bytes, more than the ${maxBytes} accepted; not read`);
  }
  if (!res.body) throw new Error(`${what}: the answer has no body`);
  const hash = digest ? digestHash(digest) : undefined;
  if (digest && !hash) throw new Error(`${what}: digest algorithm not supported (sha256, sha512 are)`);
  const reader = res.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await deadline.wait(reader.read());
      if (done) break;
      size += value.byteLength;
      if (maxBytes !== undefined && size > maxBytes)
        throw new Error(`${what}: more than the ${maxBytes} bytes accepted; read stopped`);
      hash?.update(value);
      yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
    const got = hash ? `${digest!.split(':')[0]}:${hash.digest('hex')}` : undefined;
    if (got !== undefined && got !== digest)
      throw new Error(`${what}: the content read (${size} bytes) has digest ${got}, not the one asked for; refused`);
  } finally {
    deadline.done();
    reader.cancel().catch(() => undefined);
  }
}

/** The whole of a small body (size-capped by `check`) as text. */
export async function boundedText(res: Response, deadline: ReadDeadline, check: BodyCheck): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of boundedBody(res, deadline, check)) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}
