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
import {
  boundedBody,
  boundedText,
  CONFIG_MAX_BYTES,
  MANIFEST_MAX_BYTES,
  ReadDeadline,
  type ReadLimits,
  readLimits,
} from './registry-read.js';

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
  /** Deadlines of every read (registry-read.ts; its defaults when unset). */
  limits?: ReadLimits;
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

/** A value in a message as it is when it looks like a name or digest; quoted and cut otherwise (a Dockerfile's FROM is untrusted). */
const shown = (s: string) => (/^[\w .:@/-]{0,300}$/.test(s) ? s : JSON.stringify(s.slice(0, 100)));

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

  /** A manifest or index, as raw JSON text (oci/manifests.ts reads it); size-capped, checked when read by digest. */
  async manifest(reference: string): Promise<string> {
    const d = this.deadline(`manifest ${reference}`, 'small');
    const res = await this.get(`manifests/${reference}`, MANIFEST_MEDIA_TYPES.join(', '), d);
    return boundedText(res, d.deadline, {
      what: d.what,
      maxBytes: MANIFEST_MAX_BYTES,
      digest: reference.includes(':') ? reference : undefined,
    });
  }

  /** An image config blob as text: size-capped and checked against its digest. */
  async config(digest: string): Promise<string> {
    const d = this.deadline(`config blob ${digest}`, 'small');
    const res = await this.get(`blobs/${digest}`, '*/*', d);
    return boundedText(res, d.deadline, { what: d.what, maxBytes: CONFIG_MAX_BYTES, digest });
  }

  /** A layer blob as a stream (never buffered whole), within its deadlines, checked against its digest at its end. */
  async blob(digest: string): Promise<Readable> {
    const d = this.deadline(`blob ${digest}`, 'layer');
    const res = await this.get(`blobs/${digest}`, '*/*', d);
    return Readable.from(boundedBody(res, d.deadline, { what: d.what, digest }), { objectMode: false });
  }

  /** A read's deadline and the name its messages give it: the registry host, what is read, the repository. */
  private deadline(thing: string, kind: 'small' | 'layer'): { deadline: ReadDeadline; what: string } {
    const limits = this.deps.limits ?? readLimits({});
    const what = `registry ${shown(this.registry)}: ${shown(thing)} of ${shown(this.repository)}`;
    return {
      what,
      deadline: new ReadDeadline(what, limits.idleMs, kind === 'small' ? limits.smallMs : limits.layerMs),
    };
  }

  /** GET within the read's deadline (which is cleared here when the GET fails). */
  private async get(what: string, accept: string, d: { deadline: ReadDeadline }): Promise<Response> {
    try {
      return await this.request(what, accept, d.deadline);
    } catch (err) {
      d.deadline.done();
      throw err;
    }
  }

  private async request(what: string, accept: string, deadline: ReadDeadline): Promise<Response> {
    const url = `${this.base}/v2/${this.repository}/${what}`;
    const headers = (): Record<string, string> => ({
      Accept: accept,
      ...(this.auth ? { Authorization: this.auth } : {}),
    });
    const signal = deadline.signal;
    let res = await deadline.wait(this.deps.fetch(url, { headers: headers(), signal }));
    if (res.status === 401) {
      await res.body?.cancel();
      this.auth = await deadline.wait(this.authorize(res.headers.get('www-authenticate') ?? '', signal));
      res = await deadline.wait(this.deps.fetch(url, { headers: headers(), signal }));
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
  private async authorize(challenge: string, signal: AbortSignal): Promise<string | undefined> {
    const creds = await credentials(this.registry, this.deps);
    const { scheme, params } = parseChallenge(challenge);
    if (scheme === 'basic') return creds ? basic(creds) : undefined;
    if (scheme !== 'bearer' || !params.realm) return undefined;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull`);
    const res = await this.deps.fetch(url, { headers: creds ? { Authorization: basic(creds) } : {}, signal });
    if (!res.ok)
      throw new Error(`token for ${this.registry}/${this.repository}: ${res.status} ${res.statusText}`.trim());
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    return token ? `Bearer ${token}` : undefined;
  }
}
