/**
 * A loopback stand-in for the GitHub Actions cache service v2, for tests only: the twirp JSON API
 * that @actions/cache calls at ACTIONS_RESULTS_URL (CreateCacheEntry, FinalizeCacheEntryUpload,
 * GetCacheEntryDownloadURL), with the archives stored in Azurite (the Azure Storage emulator)
 * behind signed (SAS) blob URLs, as on GitHub. Faults can be switched on: 500s from the API, or a
 * truncated archive on download.
 */
import type { ServerResponse } from 'node:http';

import { json, parseBody, startBlobs, startLoopback, twirpMethod } from './twirp-standin.js';

const CONTAINER = 'actions-cache';
const SERVICE = 'github.actions.results.api.v1.CacheService';

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
  /**
   * A read-only cache token (GitHub's untrusted triggers since 2026): every write is refused with
   * 403 "cache write denied", through twirp (CreateCacheEntry) and the v1 API buildx < 0.21 speaks
   * for type=gha (POST _apis/artifactcache/caches); reads answer as usual (v1: always a miss).
   */
  readOnly: boolean;
  /** Hold CreateCacheEntry unanswered (a save under way), its connection dropped after hangMs. */
  holdSave: boolean;
  entries: CacheEntry[];
  /** Twirp methods called, in order. */
  calls: string[];
  /** Bytes stored in Azurite for an entry. */
  blobSize(entry: CacheEntry): Promise<number>;
  close(): Promise<void>;
}

export async function startCacheStandIn(): Promise<StandIn> {
  const blobs = await startBlobs(CONTAINER);
  const blobService = blobs.service;
  const sign = blobs.sign;

  let port = 0;
  let seq = 0;
  const standIn: StandIn = {
    env: {},
    fault: 'none',
    failSave: false,
    readOnly: false,
    holdSave: false,
    hangMs: 15_000,
    entries: [],
    calls: [],
    blobSize: async (e) =>
      (await blobService.getContainerClient(CONTAINER).getBlobClient(e.blob).getProperties()).contentLength ?? 0,
    close: async () => {
      await server.close();
      blobs.close();
    },
  };

  const twirp = (method: string, req: Record<string, unknown>, res: ServerResponse) => {
    const key = String(req.key ?? '');
    const version = String(req.version ?? '');
    switch (method) {
      case 'CreateCacheEntry': {
        if (standIn.entries.some((e) => e.key === key && e.version === version)) {
          return json(res, 409, {
            code: 'already_exists',
            msg: 'cache entry with the same key, version, and scope already exists',
          });
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
        const url =
          standIn.fault === 'truncate' ? `http://127.0.0.1:${port}/truncated/${match.blob}` : sign(match.blob, 'r');
        return json(res, 200, { ok: true, signed_download_url: url, matched_key: match.key });
      }
      default:
        return json(res, 404, { code: 'bad_route', msg: `no handler for ${method}` });
    }
  };

  const denied = { code: 'permission_denied', msg: 'cache write denied: token has no writable scopes' };
  const server = await startLoopback(async (req, res, body) => {
    const url = req.url ?? '';
    // the v1 cache API of buildkit's type=gha client (buildx < 0.21): reads miss, writes need a writable token
    if (url.startsWith('/_apis/artifactcache/')) {
      standIn.calls.push(`v1 ${req.method} ${url.split('?')[0]}`);
      if (req.method === 'GET') {
        res.writeHead(204);
        return res.end();
      }
      return json(res, standIn.readOnly ? 403 : 503, standIn.readOnly ? { message: denied.msg } : {});
    }
    const method = twirpMethod(req, SERVICE);
    if (method) {
      standIn.calls.push(method);
      if (!/^Bearer .+/.test(req.headers.authorization ?? ''))
        return json(res, 401, { code: 'unauthenticated', msg: 'no token' });
      if (standIn.failSave && method === 'CreateCacheEntry')
        return json(res, 500, { code: 'internal', msg: 'injected fault' });
      if (standIn.readOnly && method === 'CreateCacheEntry') return json(res, 403, denied);
      if (standIn.holdSave && method === 'CreateCacheEntry') {
        setTimeout(() => req.socket.destroy(), standIn.hangMs).unref();
        return;
      }
      if (standIn.fault === 'hang') {
        // no answer; the connection is dropped after a while so the client process can end
        setTimeout(() => req.socket.destroy(), standIn.hangMs).unref();
        return;
      }
      if (standIn.fault === '500') return json(res, 500, { code: 'internal', msg: 'injected fault' });
      const parsed = parseBody(body, res);
      return parsed && twirp(method, parsed, res);
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
  });
  port = server.port;
  standIn.env = {
    ACTIONS_RESULTS_URL: `http://127.0.0.1:${port}/`,
    ACTIONS_RUNTIME_TOKEN: 'test-runtime-token',
    ACTIONS_CACHE_SERVICE_V2: 'True',
  };
  return standIn;
}
