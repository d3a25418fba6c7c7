import { parse as parseYaml } from 'yaml';

import { InputError } from '../errors.js';
import { checkOperand, readsAsOption } from '../ports/argv.js';
import type { Collector, Getter } from './collect.js';
import type { PushDecision } from './push.js';

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
  /**
   * login-action's `logout` (default true): false also logs in to the user's docker config, so later
   * steps (docker run, docker push) find the login; post leaves that one in place.
   */
  logout: boolean;
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
  if (!Array.isArray(doc))
    throw new Error('must be a YAML list, e.g. "- registry: ghcr.io" with username and password keys');
  return doc.map((e, i) => {
    if (!e || typeof e !== 'object' || Array.isArray(e))
      throw new Error(`entry ${i + 1} must be a mapping with registry, username and password keys`);
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
      c.field(
        input === 'password' ? 'registry' : input,
        () => checkOperand(registry, `${where}a registry host`),
        undefined,
      );
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

  const logout = c.bool(
    'logout',
    get('logout'),
    true,
    'true (post logs out) or false (the login stays for later steps)',
  );
  const single = ['registry', 'username', 'password'].filter((n) => get(n).trim() !== '');
  const entries = c.field('registry-auth', () => readRegistryAuth(get('registry-auth')), []);
  if (single.length && entries.length) {
    // as docker/login-action: two forms for one login would leave it unclear which one wins
    c.fail(
      'registry-auth',
      `cannot be combined with ${single.join(', ')} (as docker/login-action): put that login in the registry-auth list as one more entry, or use only ${single.join('/')}`,
    );
    return { logins, loginsWithoutPassword, logout };
  }
  add('password', '', get('registry').trim(), get('username').trim(), get('password'));
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const registry = str(e.registry);
    const first = seen.get(registry || 'docker.io');
    if (first !== undefined) {
      c.fail(
        'registry-auth',
        `entry ${i + 1}: ${registry || 'docker.io'} is already logged in to by entry ${first}: one entry per registry`,
      );
      return;
    }
    seen.set(registry || 'docker.io', i + 1);
    add('registry-auth', `entry ${i + 1}: `, registry, str(e.username), str(e.password));
  });

  return { logins, loginsWithoutPassword, logout };
}

/**
 * A username whose password is empty cannot log in. When the run pushes, the push would be refused
 * after the whole build: an input error instead (a secret that is not set, or not passed to this
 * workflow, reads as empty). Without a push it is only noted (a fork's pull request sees empty secrets).
 */
export function pushCredentialErrors(login: LoginInputs, push: PushDecision): InputError[] {
  if (!push.enabled) return [];
  return login.loginsWithoutPassword.map(
    (reg) =>
      new InputError(
        'password',
        `a username is given for ${reg} but its password is empty, and this run pushes (${push.reason}): the push would be refused after the build. ` +
          'Set the password (a secret that is not set, or not available to this workflow, e.g. in a Dependabot run, is empty), or set push: false for such runs',
      ),
  );
}
