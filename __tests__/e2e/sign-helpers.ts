/**
 * What the sign e2e tests share: the real cosign (Debian's, scripts/cosign-trixie.sh) served from a
 * loopback stand-in for cosign's release page, a key pair, and a small two-platform workspace.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeWorkspace } from './harness.js';

export const COSIGN = '/usr/bin/cosign';
export const COSIGN_VERSION = '2.5.0';
export const COSIGN_ASSET = `/v${COSIGN_VERSION}/cosign-linux-amd64`;

/** A loopback release page: serves files by path, 404 for anything else. */
export async function releaseServer(
  files: Record<string, Buffer | string>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** cosign's release page holding Debian's cosign as the pinned release, with its checksums file. */
export async function cosignReleaseServer(): Promise<{ url: string; close(): Promise<void> }> {
  const bin = fs.readFileSync(COSIGN);
  const sha = createHash('sha256').update(bin).digest('hex');
  return releaseServer({
    [COSIGN_ASSET]: bin,
    [`/v${COSIGN_VERSION}/cosign_checksums.txt`]: `${sha}  cosign-linux-amd64\n${'0'.repeat(64)}  cosign-darwin-arm64\n`,
  });
}

export interface KeyPair {
  dir: string;
  privatePem: string;
  publicFile: string;
  password: string;
}

/** A cosign key pair made by cosign itself, its password random. */
export function makeKeyPair(): KeyPair {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosign-keys-'));
  const password = `pw-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 24)}`;
  execFileSync(COSIGN, ['generate-key-pair'], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: password },
    stdio: 'pipe',
  });
  return {
    dir,
    privatePem: fs.readFileSync(path.join(dir, 'cosign.key'), 'utf8'),
    publicFile: path.join(dir, 'cosign.pub'),
    password,
  };
}

/** Two platforms, no RUN step: nothing runs under QEMU. `marker` makes a different image. */
export function signWorkspace(marker = 'one'): string {
  return makeWorkspace(`FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY marker /marker\n`, {
    marker: `${marker}\n`,
  });
}

/** A separate `cosign verify` with the public key, as a consumer runs it. */
export function consumerVerify(publicFile: string, ref: string): { code: number; stderr: string } {
  // cosign's TUF cache in a folder of its own, removed after: nothing in the test user's home
  const tuf = fs.mkdtempSync(path.join(os.tmpdir(), 'tuf-'));
  try {
    const argv = ['verify', '--key', publicFile, '--insecure-ignore-tlog', '--allow-http-registry', ref];
    const res = spawnSync(COSIGN, argv, { encoding: 'utf8', env: { ...process.env, TUF_ROOT: tuf } });
    return { code: res.status ?? -1, stderr: res.stderr };
  } finally {
    fs.rmSync(tuf, { recursive: true, force: true });
  }
}

/** Every file under `dir` (relative paths). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/**
 * Sample every process's argv while `until` is pending: each sampled command line holding `needle`,
 * and the cosign command lines seen (proof the sampling caught the signing).
 */
export async function argvSamples<T>(
  needle: string,
  until: Promise<T>,
): Promise<{ result: T; hits: string[]; cosign: string[] }> {
  const hits: string[] = [];
  const cosign = new Set<string>();
  let done = false;
  const loop = (async () => {
    while (!done) {
      for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          const line = cmd.replace(/\0/g, ' ');
          if (cmd.includes(needle)) hits.push(line);
          if (/cosign\S* (sign|verify|public-key)/.test(line)) cosign.add(line.split(' ').slice(1, 2).join(' '));
        } catch {
          // the process ended between the listing and the read
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const result = await until.finally(() => {
    done = true;
  });
  await loop;
  return { result, hits, cosign: [...cosign] };
}
