/**
 * A loopback HTTP proxy in front of the test registry that injects faults into writes
 * (POST/PUT/PATCH), for push-retry tests. Reads pass through untouched.
 *
 * - `outage`: every write is answered 503 for `windowMs` from the first write it sees, then
 *   writes pass through again (a registry that is down for a while mid-push).
 * - `unauthorized`: every write is answered 401 (an auth error that must not be retried).
 * - `drop`: for `windowMs` from the first request it sees, every request (reads too) has its
 *   connection closed without an answer (a registry or proxy that drops connections mid-push:
 *   the Go client then says `Head "…": EOF`).
 *
 * The Host header is forwarded as is, so the registry's upload Locations point back at the proxy.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultMode =
  | { kind: 'outage'; windowMs: number }
  | { kind: 'drop'; windowMs: number }
  | { kind: 'unauthorized' }
  | { kind: 'none' };

export interface FaultProxy {
  port: number;
  host: string;
  /** Writes answered with a fault, and writes passed through. */
  stats: { faulted: number; passed: number; firstWriteAt?: number };
  /** Change the fault mode (resets the outage window). */
  setMode(mode: FaultMode): void;
  stop(): Promise<void>;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

export async function startFaultProxy(
  upstream: { host: string; port: number },
  initial: FaultMode,
): Promise<FaultProxy> {
  let mode = initial;
  const stats: FaultProxy['stats'] = { faulted: 0, passed: 0 };

  const server = http.createServer((req, res) => {
    if (mode.kind === 'drop') {
      const now = Date.now();
      stats.firstWriteAt ??= now;
      if (now - stats.firstWriteAt < mode.windowMs) {
        stats.faulted++;
        req.socket.destroy();
        return;
      }
    }
    const isWrite = WRITES.has(req.method ?? '');
    if (isWrite) {
      const now = Date.now();
      stats.firstWriteAt ??= now;
      const fault =
        mode.kind === 'unauthorized' || (mode.kind === 'outage' && now - stats.firstWriteAt < mode.windowMs);
      if (fault) {
        stats.faulted++;
        req.resume();
        if (mode.kind === 'unauthorized') {
          res.writeHead(401, {
            'Content-Type': 'application/json',
            'Www-Authenticate': 'Basic realm="faultproxy"',
          });
          res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
        } else {
          res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '0' });
          res.end('service unavailable (injected by faultproxy)\n');
        }
        return;
      }
      stats.passed++;
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
    port,
    host: `127.0.0.1:${port}`,
    stats,
    setMode(m) {
      mode = m;
      delete stats.firstWriteAt;
      stats.faulted = 0;
      stats.passed = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
