/**
 * Push retries: a push that fails on a transient registry error (5xx, connection reset,
 * timeout) is run again after a backoff. The build is not redone: the same `buildx build`
 * finds every step in BuildKit's cache, so a retry only re-exports and re-pushes.
 */
import type { Exec, ExecRequest, ExecResult } from '../../ports/exec.js';

export type PushFailure = { transient: true; reason: string } | { transient: false; reason: string };

/** An HTTP status as the Go registry client prints it ("503 Service Unavailable", "status code 401"), not a port. */
const status = (codes: string) => new RegExp(`(?:^|\\s)${codes}\\s+[A-Z]|status(?: code)?:? ${codes}\\b`);
const SERVER_ERROR = status('5\\d\\d');

const NOT_TRANSIENT: [RegExp, string][] = [
  [/unauthorized|authentication required|no basic auth credentials/i, 'authentication error'],
  [/forbidden|denied/i, 'access denied'],
  [status('4\\d\\d'), 'client error (4xx)'],
];

const TRANSIENT: [RegExp, string][] = [
  [SERVER_ERROR, 'registry server error (5xx)'],
  [/service unavailable|bad gateway|gateway time-?out|internal server error/i, 'registry server error (5xx)'],
  [/connection reset by peer|broken pipe|unexpected EOF|server closed idle connection/i, 'connection reset'],
  // Go's net/http says a bare "EOF" when the connection closed before any answer
  // (`failed to do request: Head "https://r/v2/a/blobs/sha256:…": EOF`, seen through a proxy that drops connections)
  [
    /(?:^|[\s:"])EOF$|(?:^|[\s:"])EOF[\s,;)]|use of closed network connection|server sent GOAWAY|http2: client connection lost/i,
    'connection closed by the registry',
  ],
  [
    /i\/o timeout|TLS handshake timeout|context deadline exceeded|timeout awaiting response headers|Client\.Timeout/i,
    'timeout',
  ],
];

/**
 * Pure: is a failed `buildx build --push` worth retrying? Only failures of the push itself
 * count (the last ERROR line mentions pushing); a failing RUN step is never retried.
 */
export function classifyPushFailure(stderr: string): PushFailure {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = [...lines].reverse().find((l) => /^(ERROR|error):/.test(l)) ?? lines[lines.length - 1] ?? '';
  if (
    /did not complete successfully/.test(last) ||
    !/failed to push|\bpushing\b|failed to (do request|copy)|blobs\/uploads|manifests\//i.test(last)
  ) {
    return { transient: false, reason: 'not a push failure' };
  }
  // status codes are judged without the URLs (ports and paths hold digits too)
  const text = last.replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>');
  for (const [re, reason] of NOT_TRANSIENT)
    if (re.test(text) && !SERVER_ERROR.test(text)) return { transient: false, reason };
  for (const [re, reason] of TRANSIENT) if (re.test(text)) return { transient: true, reason };
  return { transient: false, reason: 'not a known transient error' };
}

/** Pure: seconds to wait before retry n (1-based): 5, 10, 20, ... capped at 60. */
export function backoffSeconds(n: number, baseSeconds = 5): number {
  return Math.min(60, baseSeconds * 2 ** (n - 1));
}

export interface RetryOptions {
  retries: number;
  log(message: string): void;
  sleep(ms: number): Promise<void>;
  baseSeconds?: number;
}

/**
 * Wrap the exec gateway so a command that fails with a transient push error is run again,
 * up to `retries` more times. Every other result is returned as it is.
 */
export function retryingExec(exec: Exec, opts: RetryOptions): Exec {
  return async (req: ExecRequest): Promise<ExecResult> => {
    let res = await exec(req);
    for (let n = 1; n <= opts.retries && res.code !== 0; n++) {
      const why = classifyPushFailure(res.stderr);
      if (!why.transient) {
        if (why.reason !== 'not a push failure') opts.log(`push failed (${why.reason}); not retrying`);
        return res;
      }
      const wait = backoffSeconds(n, opts.baseSeconds);
      opts.log(
        `push failed (${why.reason}); retrying in ${wait}s (retry ${n} of ${opts.retries}), the build itself is cached`,
      );
      await opts.sleep(wait * 1000);
      res = await exec(req);
    }
    return res;
  };
}
