import { parse as parseYaml } from 'yaml';
import { checkOperand, readsAsOption } from '../argv.js';
import type { Collector, Getter } from './collect.js';

export interface RegistryLogin {
  /** Registry host ('' = Docker Hub). */
  registry: string;
  username: string;
  password: string;
}

export interface LoginInputs {
  /** Complete credentials to log in with, in the order given (registry, then registry-auth). */
  logins: RegistryLogin[];
  /** A username given without a password (e.g. a pull request from a fork, where secrets are empty). */
  loginsWithoutPassword: string[];
}

interface RawEntry {
  registry?: unknown;
  username?: unknown;
  password?: unknown;
}

function readRegistryAuth(text: string): RawEntry[] {
  if (!text.trim()) return [];
  let doc: unknown;
  try {
    // failsafe: every scalar stays a string (a password 012345 must not become 12345)
    doc = parseYaml(text, { schema: 'failsafe' });
  } catch {
    // never echo the YAML: it holds passwords
    throw new Error('is not valid YAML: use a list of entries with registry, username and password keys');
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new Error('must be a YAML list, e.g. "- registry: ghcr.io" with username and password keys');
  return doc.map((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new Error(`entry ${i + 1} must be a mapping with registry, username and password keys`);
    return e as RawEntry;
  });
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v)).trim();

/**
 * Every raw value that must be masked before anything is logged: passwords of both login forms.
 * Lenient (never throws), so it can run before validation reports anything.
 */
export function loginSecretValues(get: Getter): string[] {
  const out = [get('password')];
  try {
    for (const e of readRegistryAuth(get('registry-auth'))) out.push(str(e.password));
  } catch {
    // an unparsable registry-auth is reported without its content
  }
  return out.filter((v) => v.length > 0);
}

const HOST = /^[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._/-]*)?$/;

export function parseLoginInputs(get: Getter, c: Collector): LoginInputs {
  const logins: RegistryLogin[] = [];
  const loginsWithoutPassword: string[] = [];
  const add = (input: string, where: string, registry: string, username: string, password: string) => {
    if (readsAsOption(registry)) {
      c.field(input === 'password' ? 'registry' : input, () => checkOperand(registry, `${where}a registry host`), undefined);
      return;
    }
    if (registry && !HOST.test(registry)) {
      c.fail(input, `${where}registry "${registry}" is not a registry host, e.g. ghcr.io or 127.0.0.1:5000`);
      return;
    }
    const name = registry || 'docker.io';
    if (password && !username) {
      c.fail(input, `${where}a password is given for ${name} but no username: set both`);
      return;
    }
    if (username && !password) {
      loginsWithoutPassword.push(name);
      return;
    }
    if (username) logins.push({ registry, username, password });
  };

  add('password', '', get('registry').trim(), get('username').trim(), get('password'));

  const entries = c.field('registry-auth', () => readRegistryAuth(get('registry-auth')), []);
  entries.forEach((e, i) => add('registry-auth', `entry ${i + 1}: `, str(e.registry), str(e.username), str(e.password)));

  return { logins, loginsWithoutPassword };
}
