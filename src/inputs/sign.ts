/**
 * sign and its inputs: which key signs (none: keyless, with the job's OIDC token), how cosign
 * reaches the transparency log, and which cosign release runs. The key and its password are
 * secrets: masked before anything is logged, handed to cosign through a 0600 file and the
 * environment, never argv.
 */
import * as path from 'node:path';

import { InputError } from '../errors.js';
import { downloadUrlSecrets, parseDownloadUrl } from './buildx-url.js';
import type { Collector, Getter, InputEnv } from './collect.js';

export const DEFAULT_COSIGN_VERSION = '2.5.0';
export const DEFAULT_COSIGN_DOWNLOAD_URL = 'https://github.com/sigstore/cosign/releases/download';

export interface SignInputs {
  sign: boolean;
  /** sign-key given as PEM text ('' = none or a file). */
  signKeyPem: string;
  /** sign-key given as a path, absolute (resolved against the workspace); '' = none or PEM. */
  signKeyFile: string;
  signKeyPassword: string;
  /** sign-tlog: upload to (and verify against) the transparency log. */
  signTlog: boolean;
  /** x.y.z, without the v of its release tag. */
  cosignVersion: string;
  cosignDownloadUrl: string;
  /** An Authorization header value from cosign-download-url's user:password ('' = none). */
  cosignDownloadAuth: string;
}

const PEM_START = /^-----BEGIN [A-Z0-9 ]+-----/;

/** Pure: an exact cosign release (x.y.z, a leading v allowed). */
function cosignRelease(raw: string): string {
  const v = raw.trim() || DEFAULT_COSIGN_VERSION;
  const m = /^v?(\d+\.\d+\.\d+)$/.exec(v);
  if (!m) throw new Error(`"${v}" is not a cosign release: give an exact version like v${DEFAULT_COSIGN_VERSION}`);
  return m[1]!;
}

/** sign-key: PEM text, or a file in the workspace (the link rule is checked with the other paths). */
function signKey(raw: string, env: InputEnv): { signKeyPem: string; signKeyFile: string } {
  const v = raw.trim();
  if (!v) return { signKeyPem: '', signKeyFile: '' };
  if (PEM_START.test(v)) {
    if (!/-----END [A-Z0-9 ]+-----$/.test(v))
      throw new Error('holds the start of a PEM key but not its END line: paste the whole key (cosign.key)');
    return { signKeyPem: `${v}\n`, signKeyFile: '' };
  }
  if (v.includes('\n') || v.length > 4096)
    throw new Error('is neither a PEM key (-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----) nor a file path');
  const file = path.resolve(env.workspace, v);
  if (!env.exists(file))
    // the value is not quoted back: a key pasted in another encoding (base64) would be printed
    throw new Error(
      "is not a PEM key and names no file in the workspace: give the key's PEM text (e.g. ${{ secrets.COSIGN_KEY }}) or a path to cosign.key",
    );
  return { signKeyPem: '', signKeyFile: file };
}

export function parseSignInputs(get: Getter, c: Collector, env: InputEnv): SignInputs {
  const sign = c.bool('sign', get('sign'), false, 'true (sign what is pushed, by digest, with cosign) or false');
  const key = c.field('sign-key', () => signKey(get('sign-key'), env), { signKeyPem: '', signKeyFile: '' });
  const signKeyPassword = get('sign-key-password', { raw: true });
  const signTlog = c.bool(
    'sign-tlog',
    get('sign-tlog'),
    true,
    'true (record the signature in the Rekor transparency log) or false (sign and verify without it)',
  );
  const cosignVersion = c.field('cosign-version', () => cosignRelease(get('cosign-version')), DEFAULT_COSIGN_VERSION);
  const { url, auth } = c.field(
    'cosign-download-url',
    () => parseDownloadUrl(get('cosign-download-url'), DEFAULT_COSIGN_DOWNLOAD_URL),
    { url: DEFAULT_COSIGN_DOWNLOAD_URL, auth: '' },
  );
  if (!sign && (key.signKeyPem || key.signKeyFile))
    c.fail('sign-key', 'is set but sign is false: set sign: true to sign with it, or remove sign-key');
  if (signKeyPassword && !key.signKeyPem && !key.signKeyFile && !c.has('sign-key'))
    c.fail('sign-key-password', 'is set without sign-key: keyless signing takes no password; set sign-key too');
  return {
    sign,
    ...key,
    signKeyPassword,
    signTlog,
    cosignVersion,
    cosignDownloadUrl: url,
    cosignDownloadAuth: auth,
  };
}

/** Raw secret values of the sign inputs, found leniently for masking before anything is logged. */
export function signSecretValues(get: Getter): string[] {
  const key = get('sign-key', { raw: true });
  return [
    get('sign-key-password', { raw: true }),
    PEM_START.test(key.trim()) ? key.trim() : '',
    ...downloadUrlSecrets(get, 'cosign-download-url'),
  ].filter(Boolean);
}

/**
 * Keyless signing needs the job's OIDC token; without `id-token: write` the runner gives no
 * request URL. Checked before building, and only when something will be pushed (a fork's pull
 * request signs nothing).
 */
export function keylessTokenError(i: SignInputs, pushes: boolean, env: NodeJS.ProcessEnv): InputError | undefined {
  if (!i.sign || !pushes || i.signKeyPem || i.signKeyFile) return undefined;
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return undefined;
  return new InputError(
    'sign',
    'true without sign-key signs keyless with the job\'s OIDC token, but this job cannot request one: give the job "permissions: id-token: write" (and keep contents: read), or set sign-key to sign with a key',
  );
}
