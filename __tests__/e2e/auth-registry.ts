/**
 * A throw-away Debian `docker-registry` on a free 127.0.0.1 port that requires basic auth from an
 * htpasswd file of bcrypt hashes (htpasswd -B). Started and stopped by the test that uses it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

import { freePort } from './harness.js';

export interface AuthRegistry {
  host: string;
  user: string;
  password: string;
  /** Fetch a registry path with the right credentials. */
  get(pathname: string, accept?: string): Promise<Response>;
  stop(): Promise<void>;
}

export async function startAuthRegistry(user: string, password: string): Promise<AuthRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'authreg-'));
  const htpasswd = path.join(dir, 'htpasswd');
  // -B: bcrypt, the only hash the registry's htpasswd auth accepts
  execFileSync('htpasswd', ['-B', '-b', '-c', htpasswd, user, password], { stdio: 'ignore' });
  if (!fs.readFileSync(htpasswd, 'utf8').includes(`${user}:$2y$`))
    throw new Error('htpasswd did not write a bcrypt hash');
  const port = await freePort();
  const conf = path.join(dir, 'config.yml');
  fs.writeFileSync(
    conf,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${dir}/data`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      'auth:',
      '  htpasswd:',
      '    realm: multiarch-e2e',
      `    path: ${htpasswd}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', conf], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      if (res.status === 401) break;
    } catch {
      // not up yet
    }
    if (i > 80) {
      child.kill();
      throw new Error('auth registry did not come up');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    user,
    password,
    get: (pathname, accept) =>
      fetch(`http://${host}${pathname}`, { headers: { Authorization: basic, ...(accept ? { Accept: accept } : {}) } }),
    stop: async () => {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Descriptor {
  digest: string;
  mediaType?: string;
}

/**
 * Every byte the registry holds for repo:ref: the index, each manifest, each config and each
 * layer (gunzipped when compressed), attestation manifests included.
 */
export async function allImageBytes(reg: AuthRegistry, repo: string, ref: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const manifest = async (r: string): Promise<void> => {
    const res = await reg.get(`/v2/${repo}/manifests/${r}`, ACCEPT);
    if (!res.ok) throw new Error(`GET manifest ${repo}:${r} → ${res.status}`);
    const raw = Buffer.from(await res.arrayBuffer());
    out.push(raw);
    const body = JSON.parse(raw.toString('utf8')) as {
      manifests?: Descriptor[];
      config?: Descriptor;
      layers?: Descriptor[];
    };
    for (const m of body.manifests ?? []) await manifest(m.digest);
    for (const b of [...(body.config ? [body.config] : []), ...(body.layers ?? [])]) {
      const blob = await reg.get(`/v2/${repo}/blobs/${b.digest}`);
      if (!blob.ok) throw new Error(`GET blob ${b.digest} → ${blob.status}`);
      let data = Buffer.from(await blob.arrayBuffer());
      if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
      out.push(data);
    }
  };
  await manifest(ref);
  return out;
}
