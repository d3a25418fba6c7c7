/**
 * Pieces shared by the loopback stand-ins of the GitHub Actions results services (cache,
 * artifacts), for tests only: Azurite (the Azure Storage emulator) behind signed (SAS) blob URLs,
 * as on GitHub, and a small HTTP server for twirp JSON calls at ACTIONS_RESULTS_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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

export interface Blobs {
  service: BlobServiceClient;
  /** A signed URL of one blob with the given permissions (e.g. 'cw' to upload, 'r' to read). */
  sign(blob: string, permissions: string): string;
  close(): void;
}

async function startAzurite(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const main = path.join(ROOT, 'node_modules/azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
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

/** Azurite with one container, and signed URLs into it. */
export async function startBlobs(container: string): Promise<Blobs> {
  const azurite = await startAzurite();
  const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
  const service = new BlobServiceClient(`${azurite.url}/${ACCOUNT}`, credential);
  await service.getContainerClient(container).createIfNotExists();
  return {
    service,
    sign: (blob, permissions) => {
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          blobName: blob,
          permissions: BlobSASPermissions.parse(permissions),
          expiresOn: new Date(Date.now() + 3600_000),
        },
        credential,
      ).toString();
      return `${azurite.url}/${ACCOUNT}/${container}/${blob}?${sas}`;
    },
    close: () => void azurite.child.kill('SIGTERM'),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The twirp method of a POST to /twirp/<service>/<method>, else undefined. */
export function twirpMethod(req: http.IncomingMessage, service: string): string | undefined {
  const prefix = `/twirp/${service}/`;
  return req.method === 'POST' && req.url?.startsWith(prefix) ? req.url.slice(prefix.length) : undefined;
}

/** The request body as JSON; undefined (and a 400 sent) when it is not. */
export function parseBody(body: Buffer, res: http.ServerResponse): Record<string, unknown> | undefined {
  try {
    return JSON.parse(body.toString() || '{}') as Record<string, unknown>;
  } catch {
    json(res, 400, { code: 'malformed', msg: 'bad json' });
    return undefined;
  }
}

export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

/** A loopback HTTP server handing each request, with its whole body, to `handle` (a throw is a 500). */
export async function startLoopback(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => unknown,
): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handle(req, res, Buffer.concat(chunks)))
        .catch((err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
