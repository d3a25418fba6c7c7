import { createHash } from 'node:crypto';

import { type RegistryDeps, RegistryRepo } from '../../../src/ports/registry.js';
import { CONFIG_MAX_BYTES, readLimits } from '../../../src/ports/registry-read.js';
import { runnerCommands } from '../runner-log.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A registry answering every GET with `body` (a stream made by `chunks`), honouring the abort signal. */
function repoServing(chunks: (signal: AbortSignal) => AsyncIterable<Uint8Array>, headers: Record<string, string> = {}) {
  const deps: RegistryDeps = {
    fetch: (async (_url: string, init: { signal: AbortSignal }) => {
      const it = chunks(init.signal)[Symbol.asyncIterator]();
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          const r = await it.next();
          if (r.done) c.close();
          else c.enqueue(r.value);
        },
      });
      init.signal.addEventListener('abort', () => void body.cancel().catch(() => undefined));
      return new Response(body, { headers });
    }) as unknown as typeof fetch,
    exec: async () => ({ code: 1, stdout: '', stderr: '' }),
    readFile: () => undefined,
    dockerConfig: '/nonexistent',
    limits: { idleMs: 200, smallMs: 1000, layerMs: 1000 },
  };
  return new RegistryRepo('reg.example:5000', 'o/app', deps);
}
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)));
  });

describe('registry reads: deadlines, size caps, digests', () => {
  test('a config whose content matches its digest is read', async () => {
    const body = Buffer.from('{"architecture":"arm64"}');
    const repo = repoServing(async function* () {
      yield body;
    });
    expect(await repo.config(sha(body))).toBe('{"architecture":"arm64"}');
  });

  test('a stalled registry: stopped after the idle deadline, naming the registry and the blob', async () => {
    const repo = repoServing(async function* (signal) {
      yield Buffer.from('{');
      await sleep(60_000, signal);
    });
    await expect(repo.config('sha256:abc')).rejects.toThrow(
      /^registry reg.example:5000: config blob sha256:abc of o\/app: no byte for 0.2 s \(MULTIARCH_REGISTRY_IDLE_TIMEOUT\); read stopped$/,
    );
  });

  test('a trickling registry (a byte within every idle deadline): stopped at the total deadline', async () => {
    const repo = repoServing(async function* (signal) {
      for (;;) {
        yield Buffer.from(' ');
        await sleep(100, signal);
      }
    });
    await expect(repo.manifest('sha256:abc')).rejects.toThrow(
      /registry reg.example:5000: manifest sha256:abc of o\/app: not finished within 1 s \(MULTIARCH_REGISTRY_TOTAL_TIMEOUT\)/,
    );
  });

  test('an oversized config is refused while streaming, at the cap; a declared one before reading', async () => {
    let sent = 0;
    const repo = repoServing(async function* () {
      for (;;) {
        sent += 1 << 20;
        yield new Uint8Array(1 << 20);
      }
    });
    await expect(repo.config('sha256:abc')).rejects.toThrow(
      /config blob sha256:abc of o\/app: more than the 8388608 bytes/,
    );
    expect(sent).toBeLessThanOrEqual(CONFIG_MAX_BYTES + (2 << 20));
    const declared = repoServing(
      async function* () {
        yield Buffer.from('x');
      },
      { 'content-length': String(400 << 20) },
    );
    await expect(declared.config('sha256:abc')).rejects.toThrow(
      /announces 419430400 bytes, more than the 8388608 accepted/,
    );
  });

  test('content that does not match the digest asked for is refused, for configs, manifests and layers', async () => {
    const repo = repoServing(async function* () {
      yield Buffer.from('{"evil":true}');
    });
    await expect(repo.config(sha('other'))).rejects.toThrow(
      /config blob sha256:[0-9a-f]{64} of o\/app: the content read \(13 bytes\) has digest sha256:/,
    );
    await expect(repo.manifest(sha('other'))).rejects.toThrow(/not the one asked for; refused/);
    const layer = await repo.blob(sha('other'));
    await expect(
      (async () => {
        for await (const _ of layer) void _;
      })(),
    ).rejects.toThrow(/blob sha256:.* refused/);
    // a tag has no digest to check
    expect(await repo.manifest('v1')).toBe('{"evil":true}');
  });

  test('hostile repository and digest values stay inside the one message', async () => {
    const repo = repoServing(async function* (signal) {
      await sleep(60_000, signal);
      yield Buffer.from('');
    });
    const err = (await repo.config('sha256:x\n::error::x').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/no byte for/);
    expect(runnerCommands(err.message)).toEqual([]);
  });

  test('readLimits: defaults, and the environment overrides in seconds', () => {
    expect(readLimits({})).toEqual({ idleMs: 30_000, smallMs: 60_000, layerMs: 600_000 });
    expect(readLimits({ MULTIARCH_REGISTRY_IDLE_TIMEOUT: '2', MULTIARCH_REGISTRY_TOTAL_TIMEOUT: '5' })).toEqual({
      idleMs: 2000,
      smallMs: 5000,
      layerMs: 5000,
    });
    expect(readLimits({ MULTIARCH_REGISTRY_IDLE_TIMEOUT: '-1' }).idleMs).toBe(30_000);
  });
});
