/**
 * A loopback registry proxy whose faults hit only the action's own registry client (node's fetch,
 * User-Agent "node"): docker, buildx and BuildKit pulling through it get the registry as it is,
 * so the build runs and only the arch check's reads meet the fault.
 *
 * - `stall`: a blob GET is answered 200, then nothing more.
 * - `trickle`: a blob GET gets one byte every 500 ms, forever.
 * - `huge`: a blob GET gets 400 MB of zeros (no Content-Length), as fast as it is read.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReadFault = 'stall' | 'trickle' | 'huge';

export interface FaultyRegistry {
  host: string;
  /** Blob GETs that met the fault, and bytes sent to them. */
  stats: { faulted: number; bytes: number };
  stop(): Promise<void>;
}

const HUGE = 400 * 1024 * 1024;

export async function startFaultyRegistry(
  upstream: { host: string; port: number },
  fault: ReadFault,
): Promise<FaultyRegistry> {
  const stats = { faulted: 0, bytes: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const fromAction = /^(node|undici)/.test(req.headers['user-agent'] ?? '');
    if (fromAction && req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')) {
      stats.faulted++;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      if (fault === 'trickle') {
        const t = setInterval(() => (res.write('{'), stats.bytes++), 500);
        timers.add(t);
        res.on('close', () => clearInterval(t));
      } else if (fault === 'huge') {
        const chunk = Buffer.alloc(1 << 20);
        const pump = () => {
          while (stats.bytes < HUGE) {
            stats.bytes += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      } else res.flushHeaders();
      return;
    }
    const up = http.request(
      { host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearInterval);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
