import type { ExecResult } from '../../../../src/ports/exec.js';
import { backoffSeconds, classifyPushFailure, retryingExec } from '../../../../src/stages/build/act-retry.js';
import { fakeExec } from '../../fakes.js';

const push = (tail: string) =>
  `#9 pushing layers\n------\nERROR: failed to solve: failed to push 127.0.0.1:5000/app:v1: ${tail}\n`;

/** [stderr of a failed buildx build --push, transient?, reason] */
const table: [string, boolean, string][] = [
  [
    push(
      'unexpected status from POST request to http://127.0.0.1:42277/v2/app/blobs/uploads/: 503 Service Unavailable',
    ),
    true,
    'registry server error (5xx)',
  ],
  [
    push('unexpected status from PUT request to https://ghcr.io/v2/o/a/manifests/v1: 502 Bad Gateway'),
    true,
    'registry server error (5xx)',
  ],
  [
    push('unexpected status from PATCH request to https://r.io/v2/a/blobs/uploads/x: 504 Gateway Timeout'),
    true,
    'registry server error (5xx)',
  ],
  [push('unexpected status: 500 Internal Server Error'), true, 'registry server error (5xx)'],
  // the docker driver's own push step after the export
  [
    'ERROR: unexpected status from HEAD request to http://127.0.0.1:5000/v2/e2e/base/manifests/v1: 500 Internal Server Error\n',
    true,
    'registry server error (5xx)',
  ],
  [
    push(
      'failed to do request: Put "https://r.io/v2/a/blobs/uploads/x": read tcp 10.0.0.1:443->1.2.3.4:443: read: connection reset by peer',
    ),
    true,
    'connection reset',
  ],
  [push('failed to copy: unexpected EOF'), true, 'connection reset'],
  [
    push('failed to do request: Head "https://r.io/v2/a/blobs/sha256:ab": dial tcp 1.2.3.4:443: i/o timeout'),
    true,
    'timeout',
  ],
  [push('failed to do request: Put "https://r.io/v2/a": net/http: TLS handshake timeout'), true, 'timeout'],
  [push('context deadline exceeded'), true, 'timeout'],
  // a registry (or a proxy in front of it) that closes the connection mid-push;
  // the first line as buildx 0.13.1 prints it through a connection-dropping proxy
  [
    push(
      'failed to do request: Head "https://127.0.0.1:46447/v2/e2e/drop/blobs/sha256:c791f760f04085d44e78466781dd740ce5c80fb3db6655787d0ee29da8a1571b": EOF',
    ),
    true,
    'connection closed by the registry',
  ],
  [
    push('failed to do request: Put "https://r.io/v2/a/blobs/uploads/x?digest=sha256%3Aab": EOF'),
    true,
    'connection closed by the registry',
  ],
  [
    push('failed to copy: read tcp 10.0.0.1:5000->10.0.0.2:443: use of closed network connection'),
    true,
    'connection closed by the registry',
  ],
  [
    push(
      'failed to do request: Put "https://r.io/v2/a/manifests/v1": http2: server sent GOAWAY and closed the connection; LastStreamID=1',
    ),
    true,
    'connection closed by the registry',
  ],
  [
    push(
      'failed to do request: Patch "https://r.io/v2/a/blobs/uploads/x": write tcp 10.0.0.1:1->1.2.3.4:443: write: broken pipe',
    ),
    true,
    'connection reset',
  ],
  [
    push('failed to do request: Head "https://r.io/v2/a/blobs/sha256:ab": net/http: TLS handshake timeout'),
    true,
    'timeout',
  ],
  [
    push('failed to do request: Head "https://r.io/v2/a/blobs/sha256:ab": dial tcp 1.2.3.4:443: i/o timeout'),
    true,
    'timeout',
  ],
  // the docker driver's push after the export
  [
    'ERROR: failed to push 127.0.0.1:5000/app:v1: Head "http://127.0.0.1:5000/v2/app/blobs/sha256:ab": EOF\n',
    true,
    'connection closed by the registry',
  ],
  // EOF inside a word or a build step is not a dropped connection
  [
    'ERROR: failed to solve: process "/bin/sh -c cat <<EOF" did not complete successfully: exit code: 1\n',
    false,
    'not a push failure',
  ],
  [
    push('unexpected status from POST request to http://127.0.0.1:43139/v2/app/blobs/uploads/: 401 Unauthorized'),
    false,
    'authentication error',
  ],
  [push('authorization failed: no basic auth credentials'), false, 'authentication error'],
  [
    push('unexpected status from POST request to https://ghcr.io/v2/o/a/blobs/uploads/: 403 Forbidden'),
    false,
    'access denied',
  ],
  [push('denied: requested access to the resource is denied'), false, 'access denied'],
  [
    push('unexpected status from PUT request to https://r.io/v2/a/manifests/v1: 400 Bad Request'),
    false,
    'client error (4xx)',
  ],
  [
    push('unexpected status from PUT request to https://r.io/v2/a/manifests/v1: 413 Request Entity Too Large'),
    false,
    'client error (4xx)',
  ],
  // port numbers and digests in URLs are not status codes
  [
    push('unexpected status from POST request to http://127.0.0.1:4033/v2/a503/blobs/uploads/: 401 Unauthorized'),
    false,
    'authentication error',
  ],
  [push('name unknown: repository name not known to registry'), false, 'not a known transient error'],
  // a failing build step is never retried, even if its output mentions a 503
  [
    'curl: (22) The requested URL returned error: 503\nERROR: failed to solve: process "/bin/sh -c curl -f http://x" did not complete successfully: exit code: 22\n',
    false,
    'not a push failure',
  ],
  [
    'ERROR: failed to solve: process "/bin/sh -c git push https://x/y" did not complete successfully: exit code: 128 503 Service Unavailable\n',
    false,
    'not a push failure',
  ],
  [
    'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n',
    false,
    'not a push failure',
  ],
];

describe('classifyPushFailure: which push failures are transient', () => {
  test.each(table)('%#: %s', (stderr, transient, reason) => {
    expect(classifyPushFailure(stderr)).toEqual({ transient, reason });
  });
});

test('backoff doubles from 5s and is capped', () => {
  expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n))).toEqual([5, 10, 20, 40, 60]);
});

describe('retryingExec', () => {
  const fail503: ExecResult = {
    code: 1,
    stdout: '',
    stderr: push('unexpected status from POST request to http://r/v2/a/blobs/uploads/: 503 Service Unavailable'),
  };
  const fail401: ExecResult = {
    code: 1,
    stdout: '',
    stderr: push('unexpected status from POST request to http://r/v2/a/blobs/uploads/: 401 Unauthorized'),
  };
  const ok: ExecResult = { code: 0, stdout: 'done', stderr: '' };
  const setup = (results: ExecResult[], retries: number) => {
    const sleeps: number[] = [];
    const logs: string[] = [];
    const inner = fakeExec(() => results.shift()!);
    const exec = retryingExec(inner, { retries, log: (m) => logs.push(m), sleep: async (ms) => void sleeps.push(ms) });
    return {
      exec,
      get argvs() {
        return inner.calls.map((c) => c.argv);
      },
      sleeps,
      logs,
    };
  };

  test('re-runs the same command after transient failures, with backoff, and logs each retry', async () => {
    const s = setup([fail503, fail503, ok], 3);
    const res = await s.exec({ argv: ['docker', 'buildx', 'build', '--push', '.'] });
    expect(res).toEqual(ok);
    expect(s.argvs).toEqual([Array(3).fill(['docker', 'buildx', 'build', '--push', '.'])].flat());
    expect(s.sleeps).toEqual([5000, 10000]);
    expect(s.logs).toEqual([
      'push failed (registry server error (5xx)); retrying in 5s (retry 1 of 3), the build itself is cached',
      'push failed (registry server error (5xx)); retrying in 10s (retry 2 of 3), the build itself is cached',
    ]);
  });

  test('gives up after push-retries retries and returns the last failure', async () => {
    const s = setup([fail503, fail503, fail503], 2);
    expect(await s.exec({ argv: ['x'] })).toEqual(fail503);
    expect(s.argvs).toHaveLength(3);
  });

  test('does not retry an auth error', async () => {
    const s = setup([fail401, ok], 3);
    expect(await s.exec({ argv: ['x'] })).toEqual(fail401);
    expect(s.argvs).toHaveLength(1);
    expect(s.sleeps).toEqual([]);
    expect(s.logs).toEqual(['push failed (authentication error); not retrying']);
  });

  test('retries 0 runs once', async () => {
    const s = setup([fail503, ok], 0);
    expect(await s.exec({ argv: ['x'] })).toEqual(fail503);
    expect(s.argvs).toHaveLength(1);
  });
});
