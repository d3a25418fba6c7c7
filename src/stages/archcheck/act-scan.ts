/**
 * Streaming reads for the arch check: a layer (tar, gzip or zstd), an OCI layout tar (what
 * `buildx build --output type=oci` writes) and a platform's folder (`type=local`). Every file passes
 * through once; only each regular file's first bytes are kept, so memory stays flat on any size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';

import * as tar from 'tar-stream';

import { ELF_HEADER_BYTES, readElfHeader } from '../../oci/elf.js';
import { emptyScan, type LayerScan, normalisePath } from './plan.js';

/** The first `n` bytes of a stream (fewer if it ends first), and a stream of all of it. */
export async function peek(src: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; all: Readable }> {
  const it = src[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: head.subarray(0, n), all: Readable.from(rest(), { objectMode: false }) };
}

type TarHeader = { name: string; type?: string | null; size?: number | null };
/** A tar entry: its bytes (tar-stream's entry stream yields Buffers). */
const bytes = (e: unknown) => e as AsyncIterable<Buffer>;

const isGzip = (h: Buffer) => h[0] === 0x1f && h[1] === 0x8b;
const isZstd = (h: Buffer) => h.readUInt32LE(0) === 0xfd2fb528;
/** Node 22.15+ / 24 has zstd; older ones do not (layers compressed with it are then reported, not read). */
const zstdDecompress = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream })
  .createZstdDecompress;

/** Drain a stream, keeping its first `n` bytes. */
async function firstBytes(entry: AsyncIterable<Buffer>, n: number): Promise<Buffer> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    if (size < n) {
      kept.push(chunk);
      size += chunk.length;
    }
  }
  return Buffer.concat(kept).subarray(0, n);
}

/** Record one tar entry of a layer. */
async function record(scan: LayerScan, header: TarHeader, entry: AsyncIterable<Buffer>): Promise<void> {
  const p = normalisePath(header.name);
  const slash = p.lastIndexOf('/');
  const dir = slash < 0 ? '' : p.slice(0, slash);
  const base = p.slice(slash + 1);
  if (base === '.wh..wh..opq') scan.opaque.push(dir);
  else if (base.startsWith('.wh.')) scan.whiteouts.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
  else if (p) scan.paths.add(p);
  if (header.type === 'file' || header.type === 'contiguous-file') {
    if (base.startsWith('.wh.')) return void (await firstBytes(entry, 0));
    scan.files++;
    const h = readElfHeader(await firstBytes(entry, ELF_HEADER_BYTES));
    if (h) scan.elves.push({ path: p, header: h });
    return;
  }
  await firstBytes(entry, 0);
}

/** Read one layer blob (plain, gzip or zstd tar). A stream that is none of those reads as empty. */
export async function scanLayer(src: AsyncIterable<Buffer>, label = 'layer'): Promise<LayerScan> {
  const scan = emptyScan();
  const { head, all } = await peek(src, 512);
  let decoders: NodeJS.ReadWriteStream[] = [];
  if (isGzip(head)) decoders = [zlib.createGunzip()];
  else if (head.length >= 4 && isZstd(head)) {
    if (!zstdDecompress) {
      await firstBytes(all, 0);
      return { ...scan, unreadable: `${label} is zstd-compressed and this Node has no zstd` };
    }
    decoders = [zstdDecompress()];
  } else if (head.length < 262 || head.subarray(257, 262).toString('latin1') !== 'ustar') {
    await firstBytes(all, 0);
    return scan;
  }
  const extract = tar.extract();
  const feeding = pipeline([all, ...decoders, extract] as unknown as Parameters<typeof pipeline>[0][]);
  feeding.catch(() => undefined); // surfaces below (the entry loop ends with the same error)
  for await (const entry of extract) await record(scan, entry.header, bytes(entry));
  await feeding;
  return scan;
}

/** What an OCI layout tar holds: small JSON blobs (index, manifests, configs) and each layer's scan. */
export interface OciScan {
  index: string;
  json: Map<string, string>;
  layers: Map<string, LayerScan>;
}

const MAX_JSON = 4 * 1024 * 1024;

/**
 * Read an OCI layout tar as it streams: blobs come in digest order, before index.json, so every
 * blob is judged by its first bytes (JSON is kept, a tar layer is scanned) and matched to its
 * platform afterwards. Blobs in `skip` (base image layers) pass through unread.
 */
export async function scanOciLayout(src: AsyncIterable<Buffer>, skip: Set<string>): Promise<OciScan> {
  const out: OciScan = { index: '', json: new Map(), layers: new Map() };
  const extract = tar.extract();
  const feeding = pipeline(Readable.from(src, { objectMode: false }), extract);
  feeding.catch(() => undefined);
  for await (const entry of extract) {
    const name = normalisePath(entry.header.name);
    const blob = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(name);
    if (name === 'index.json') out.index = (await firstBytes(bytes(entry), MAX_JSON)).toString('utf8');
    else if (!blob || entry.header.type !== 'file' || skip.has(`${blob[1]}:${blob[2]}`))
      await firstBytes(bytes(entry), 0);
    else await readBlob(`${blob[1]}:${blob[2]}`, bytes(entry), entry.header.size ?? 0, out);
  }
  await feeding;
  return out;
}

async function readBlob(digest: string, entry: AsyncIterable<Buffer>, size: number, out: OciScan): Promise<void> {
  const { head, all } = await peek(entry, 1);
  if (head[0] === 0x7b && size <= MAX_JSON) out.json.set(digest, (await firstBytes(all, MAX_JSON)).toString('utf8'));
  else out.layers.set(digest, await scanLayer(all, digest));
}

/** The first bytes of a file (fewer when it is shorter). */
async function fileHead(file: string, n: number): Promise<Buffer> {
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fd.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

/**
 * Read a platform's folder as written by the local exporter: every regular file's ELF header, as
 * one layer (a folder has no layers or whiteouts). Links are not followed: the folder is the image's
 * filesystem, its links point into the image, not into this machine.
 */
export async function scanTree(root: string): Promise<LayerScan> {
  const scan = emptyScan();
  const walk = async (rel: string): Promise<void> => {
    const dir = await fs.promises.opendir(path.join(root, rel));
    for await (const e of dir) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      scan.paths.add(p);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        scan.files++;
        const h = readElfHeader(await fileHead(path.join(root, p), ELF_HEADER_BYTES));
        if (h) scan.elves.push({ path: p, header: h });
      }
    }
  };
  await walk('');
  return scan;
}
