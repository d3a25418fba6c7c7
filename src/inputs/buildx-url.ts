import { redactUrl } from '../errors.js';
import { DEFAULT_BUILDX_VERSION } from './buildx-version.js';
import type { Collector, Getter } from './collect.js';

export const DEFAULT_BUILDX_DOWNLOAD_URL = 'https://github.com/docker/buildx/releases/download';

export interface BuildxInstallInputs {
  /** Exact buildx release to install (x.y.z), '' = use the installed one. */
  buildxVersion: string;
  /** Where the releases are, without credentials (it is logged). */
  buildxDownloadUrl: string;
  /** An Authorization header value from the URL's user:password ('' = none): never in a URL, masked. */
  buildxDownloadAuth: string;
}

/** Loopback hosts, where plain http never leaves the machine (the tests' release server). */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Pure: the user:password of a URL, as an HTTP Basic Authorization value ('' when none). */
function basicAuth(u: URL): string {
  if (!u.username && !u.password) return '';
  const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/**
 * Pure: a release mirror input (buildx-download-url, cosign-download-url) → the URL without
 * credentials and their Authorization value. Throws.
 */
export function parseDownloadUrl(raw: string, fallback = DEFAULT_BUILDX_DOWNLOAD_URL): { url: string; auth: string } {
  const v = raw.trim() || fallback;
  const shown = redactUrl(v);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`"${shown}" is not a URL; the default is ${fallback}`);
  }
  // the checksums come over the same channel as the binary: plain http would let anyone on the
  // path replace both; loopback (a mirror or test server on this machine) is the one exception
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.test(u.hostname)))
    throw new Error(
      `"${shown}" must be an https URL (http only to 127.0.0.1, localhost or [::1]): the checksums come over the same connection as the binary; e.g. ${fallback}`,
    );
  const auth = basicAuth(u);
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), auth };
}

/** Raw secrets of a release mirror input (its password and the Authorization value), for masking. */
export function downloadUrlSecrets(get: Getter, input = 'buildx-download-url'): string[] {
  const out: string[] = [];
  try {
    const u = new URL(get(input).trim());
    out.push(u.password);
    out.push(decodeURIComponent(u.password), basicAuth(u).slice('Basic '.length));
  } catch {
    // not a URL (nothing to mask), or a password that does not decode (masked as written)
  }
  return out.filter(Boolean);
}

/** An exact buildx release (x.y.z, a leading v allowed), '' for none; `latest` is allowed for setup-buildx-action's `version`. */
function buildxRelease(raw: string, latestOk: boolean): string {
  const v = raw.trim();
  if (!v || (latestOk && v === 'latest')) return '';
  const m = /^v?(\d+\.\d+\.\d+)$/.exec(v);
  if (!m)
    throw new Error(
      `"${v}" is not a buildx release: give an exact version like ${DEFAULT_BUILDX_VERSION} or v${DEFAULT_BUILDX_VERSION}`,
    );
  return m[1]!;
}

/** buildx-version (or setup-buildx-action's `version`) and buildx-download-url: which buildx release to install, and from where. */
export function parseBuildxInputs(get: Getter, c: Collector): BuildxInstallInputs {
  const own = c.field('buildx-version', () => buildxRelease(get('buildx-version'), false), '');
  // setup-buildx-action's name for the same input (its `latest`: the installed buildx)
  const pasted = c.field('version', () => buildxRelease(get('version'), true), '');
  if (own && pasted && own !== pasted) {
    c.fail(
      'version',
      `"${get('version').trim()}" (setup-buildx-action's name for buildx-version) differs from buildx-version "${get('buildx-version').trim()}": set one of them`,
    );
  }
  const { url, auth } = c.field('buildx-download-url', () => parseDownloadUrl(get('buildx-download-url')), {
    url: DEFAULT_BUILDX_DOWNLOAD_URL,
    auth: '',
  });
  return { buildxVersion: own || pasted, buildxDownloadUrl: url, buildxDownloadAuth: auth };
}
