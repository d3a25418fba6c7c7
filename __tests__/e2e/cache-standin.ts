/**
 * A loopback stand-in for the GitHub Actions cache service v2, for tests only: the twirp JSON API
 * that @actions/cache calls at ACTIONS_RESULTS_URL (CreateCacheEntry, FinalizeCacheEntryUpload,
 * GetCacheEntryDownloadURL), with the archives stored in Azurite (the Azure Storage emulator)
 * behind signed (SAS) blob URLs, as on GitHub. Faults can be switched on: 500s from the API, or a
 * truncated archive on download.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { freePort, ROOT } from './harness.js';

const ACCOUNT = 'devstoreaccount1';
// Azurite's well-known development key (public, documented by Microsoft)
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'actions-cache';
const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';

export type Fault = 'none' | '500' | 'truncate' | 'hang';

export interface CacheEntry {
  key: string;
  version: string;
  blob: string;
  sizeBytes: number;
  finalized: boolean;
  created: number;
}

export interface StandIn {
  /** Environment for a job step that should use this service. */
  env: Record<string, string>;
  fault: Fault;
  /** fault 'hang': how long a request is held before its connection is dropped. */
  hangMs: number;
  /** Answer 500 to CreateCacheEntry only. */
  failSave: boolean;
  entries: CacheEntry[];
  /** Twirp methods called, in order. */
  calls: string[];
  /** Bytes stored in Azurite for an entry. */
  blobSize(entry: CacheEntry): Promise<number>;
  close(): Promise<void>;
}

async function startAzurite(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const main = path.join(ROOT, 'node_modules/azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--disableTelemetry'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`azurite did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/successfully listens/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`azurite exited ${code}: ${out}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startCacheStandIn(): Promise<StandIn> {
  const azurite = await startAzurite();
  const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
  const blobService = new BlobServiceClient(`${azurite.url}/${ACCOUNT}`, credential);
  await blobService.getContainerClient(CONTAINER).createIfNotExists();

  const sign = (blob: string, permissions: string) => {
    const sas = generateBlobSASQueryParameters(
      { containerName: CONTAINER, blobName: blob, permissions: BlobSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3600_000) },
      credential,
    ).toString();
    return `${azurite.url}/${ACCOUNT}/${CONTAINER}/${blob}?${sas}`;
  };

  let port = 0;
  let seq = 0;
  const standIn: StandIn = {
    env: {},
    fault: 'none',
    failSave: false,
    hangMs: 15_000,
    entries: [],
    calls: [],
    blobSize: async (e) => (await blobService.getContainerClient(CONTAINER).getBlobClient(e.blob).getProperties()).contentLength ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      azurite.child.kill('SIGTERM');
    },
  };

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const twirp = (method: string, req: Record<string, unknown>, res: http.ServerResponse) => {
    const key = String(req.key ?? '');
    const version = String(req.version ?? '');
    switch (method) {
      case 'CreateCacheEntry': {
        if (standIn.entries.some((e) => e.key === key && e.version === version)) {
          return json(res, 409, { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' });
        }
        const blob = `entry-${++seq}-${Date.now()}`;
        standIn.entries.push({ key, version, blob, sizeBytes: 0, finalized: false, created: Date.now() + seq });
        return json(res, 200, { ok: true, signed_upload_url: sign(blob, 'cw') });
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = standIn.entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry) return json(res, 404, { code: 'not_found', msg: 'no such upload' });
        entry.finalized = true;
        entry.sizeBytes = Number(req.size_bytes ?? 0);
        return json(res, 200, { ok: true, entry_id: String(standIn.entries.indexOf(entry) + 1) });
      }
      case 'GetCacheEntryDownloadURL': {
        const ready = standIn.entries.filter((e) => e.finalized && e.version === version);
        let match = ready.find((e) => e.key === key);
        for (const prefix of (req.restore_keys as string[] | undefined) ?? []) {
          if (match) break;
          match = ready.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.created - a.created)[0];
        }
        if (!match) return json(res, 200, { ok: false });
        const url = standIn.fault === 'truncate' ? `http://127.0.0.1:${port}/truncated/${match.blob}` : sign(match.blob, 'r');
        return json(res, 200, { ok: true, signed_download_url: url, matched_key: match.key });
      }
      default:
        return json(res, 404, { code: 'bad_route', msg: `no handler for ${method}` });
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '';
        if (url.startsWith(SERVICE) && req.method === 'POST') {
          const method = url.slice(SERVICE.length);
          standIn.calls.push(method);
          if (!/^Bearer .+/.test(req.headers.authorization ?? '')) return json(res, 401, { code: 'unauthenticated', msg: 'no token' });
          if (standIn.failSave && method === 'CreateCacheEntry') return json(res, 500, { code: 'internal', msg: 'injected fault' });
          if (standIn.fault === 'hang') {
            // no answer; the connection is dropped after a while so the client process can end
            setTimeout(() => req.socket.destroy(), standIn.hangMs).unref();
            return;
          }
          if (standIn.fault === '500') return json(res, 500, { code: 'internal', msg: 'injected fault' });
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
          } catch {
            return json(res, 400, { code: 'malformed', msg: 'bad json' });
          }
          return twirp(method, body, res);
        }
        const trunc = /^\/truncated\/([\w.-]+)$/.exec(url);
        if (trunc && req.method === 'GET') {
          // the archive cut in half, announced with a matching length so the download itself "succeeds"
          const buf = await blobService.getContainerClient(CONTAINER).getBlobClient(trunc[1]!).downloadToBuffer();
          const half = buf.subarray(0, Math.floor(buf.length / 2));
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': half.length });
          return res.end(half);
        }
        res.writeHead(404);
        res.end();
      })().catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as net.AddressInfo).port;
  standIn.env = {
    ACTIONS_RESULTS_URL: `http://127.0.0.1:${port}/`,
    ACTIONS_RUNTIME_TOKEN: 'test-runtime-token',
    ACTIONS_CACHE_SERVICE_V2: 'True',
  };
  return standIn;
}
