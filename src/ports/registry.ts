/**
 * A read-only registry client for the arch check: manifests (as text: oci/manifests.ts parses them,
 * as it parses verify's `imagetools inspect --raw`) and blobs over the distribution API,
 * with the token flow (anonymous, or with the run's docker config credentials, which a login or an
 * earlier step put there). In-process so a layer streams straight into the reader: no `docker
 * pull`, nothing on disk.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';

import { MANIFEST_MEDIA_TYPES } from '../oci/manifests.js';
import { isLoopbackHost, splitReference } from '../oci/reference.js';
import { registryKey } from './docker-config.js';
import type { Exec } from './exec.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryDeps {
  fetch: typeof fetch;
  exec: Exec;
  readFile(p: string): string | undefined;
  /** The run's DOCKER_CONFIG folder. */
  dockerConfig: string;
}

/** Pure: the API base URL; loopback registries speak plain HTTP, as docker assumes for them. */
export function registryBase(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  return `${isLoopbackHost(registry) ? 'http' : 'https'}://${registry}`;
}

/** Pure: the fields of a WWW-Authenticate challenge (scheme lower-cased). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header) ?? [];
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[p[1]!] = p[2]!;
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

/** Pure: credentials for a registry from config.json's auths, or the helper that holds them. */
export function configCredentials(
  configJson: string | undefined,
  registry: string,
): Credentials | { helper: string } | undefined {
  let cfg: { auths?: Record<string, { auth?: string }>; credHelpers?: Record<string, string>; credsStore?: string };
  try {
    cfg = JSON.parse(configJson ?? '{}') as typeof cfg;
  } catch {
    return undefined;
  }
  const key = registryKey(registry);
  const helper = cfg.credHelpers?.[key];
  if (helper) return { helper };
  const entry = cfg.auths?.[key] ?? cfg.auths?.[`https://${key}`] ?? cfg.auths?.[`http://${key}`];
  if (entry?.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  if (cfg.credsStore && entry) return { helper: cfg.credsStore };
  return undefined;
}

/** Credentials for a registry, asking a credential helper through the exec gateway when one holds them. */
async function credentials(registry: string, deps: RegistryDeps): Promise<Credentials | undefined> {
  const found = configCredentials(deps.readFile(path.join(deps.dockerConfig, 'config.json')), registry);
  if (!found || !('helper' in found)) return found;
  const res = await deps.exec({
    argv: [`docker-credential-${found.helper}`, 'get'],
    stdin: registryKey(registry),
    silent: true,
  });
  if (res.code !== 0) return undefined;
  try {
    const j = JSON.parse(res.stdout) as { Username?: string; Secret?: string };
    return j.Username && j.Secret ? { username: j.Username, password: j.Secret } : undefined;
  } catch {
    return undefined;
  }
}

const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/** One repository on one registry: GETs manifests and blobs, answering auth challenges once. */
export class RegistryRepo {
  private auth: string | undefined;
  readonly base: string;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly deps: RegistryDeps,
  ) {
    this.base = registryBase(registry);
  }

  static of(ref: string, deps: RegistryDeps): { repo: RegistryRepo; reference: string } {
    const s = splitReference(ref);
    return { repo: new RegistryRepo(s.registry, s.repository, deps), reference: s.reference };
  }

  /** A manifest or index, as raw JSON text (oci/manifests.ts reads it). */
  async manifest(reference: string): Promise<string> {
    // a manifest is small: a registry that does not answer in 30 s is not going to
    const res = await this.get(`manifests/${reference}`, MANIFEST_MEDIA_TYPES.join(', '), AbortSignal.timeout(30_000));
    return res.text();
  }

  /** A blob as a stream (layers) — never buffered whole. */
  async blob(digest: string): Promise<Readable> {
    const res = await this.get(`blobs/${digest}`, '*/*');
    if (!res.body) throw new Error(`${this.registry}/${this.repository}: blob ${digest} has no body`);
    return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }

  private async get(what: string, accept: string, signal?: AbortSignal): Promise<Response> {
    const url = `${this.base}/v2/${this.repository}/${what}`;
    const headers = (): Record<string, string> => ({
      Accept: accept,
      ...(this.auth ? { Authorization: this.auth } : {}),
    });
    let res = await this.deps.fetch(url, { headers: headers(), signal });
    if (res.status === 401) {
      await res.body?.cancel();
      this.auth = await this.authorize(res.headers.get('www-authenticate') ?? '');
      res = await this.deps.fetch(url, { headers: headers(), signal });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(
        `GET ${this.registry}/${this.repository} ${what.split('/')[0]} answered ${res.status} ${res.statusText}`.trim(),
      );
    }
    return res;
  }

  /** Answer a challenge: Basic with the credentials, or a Bearer token for pull on this repository. */
  private async authorize(challenge: string): Promise<string | undefined> {
    const creds = await credentials(this.registry, this.deps);
    const { scheme, params } = parseChallenge(challenge);
    if (scheme === 'basic') return creds ? basic(creds) : undefined;
    if (scheme !== 'bearer' || !params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull`);
    const res = await this.deps.fetch(url, { headers: creds ? { Authorization: basic(creds) } : {} });
    if (!res.ok)
      throw new Error(`token for ${this.registry}/${this.repository}: ${res.status} ${res.statusText}`.trim());
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }
}
