import { commandProblem, programNotFound, StageError } from '../../errors.js';
import type { Exec } from '../../ports/exec.js';
import type { RegistryLogin } from '../../inputs/login.js';

export interface LoginDecision {
  logins: RegistryLogin[];
  /** What to tell the user about logins that were not done. */
  notes: { level: 'info' | 'warning'; message: string }[];
}

/**
 * Pure: which registries to log in to. Complete credentials are always used (a private base
 * image may need them even when nothing is pushed). A username without a password is what a pull
 * request from a fork sees (secrets are empty there): no login, and only a warning when a push
 * would need it.
 */
export function planLogin(
  inputs: { logins: RegistryLogin[]; loginsWithoutPassword: string[] },
  push: boolean,
  eventName: string,
): LoginDecision {
  const notes: LoginDecision['notes'] = [];
  for (const reg of inputs.loginsWithoutPassword) {
    const why = eventName.startsWith('pull_request')
      ? ' (secrets are empty in pull requests from forks)'
      : '';
    notes.push({
      level: push ? 'warning' : 'info',
      message: `no password for ${reg}: not logging in${why}${push ? '; the push may be refused' : ''}`,
    });
  }
  if (inputs.logins.length === 0 && inputs.loginsWithoutPassword.length === 0) {
    notes.push({ level: 'info', message: push ? 'no registry credentials given: pushing with the engine\'s existing credentials' : 'no registry credentials and nothing to push: login skipped' });
  }
  return { logins: inputs.logins, notes };
}

/** Pure: the login argv. The password never appears here: it goes to stdin. */
export function loginArgv(l: Pick<RegistryLogin, 'registry' | 'username'>): string[] {
  return ['docker', 'login', '--username', l.username, '--password-stdin', ...(l.registry ? ['--', l.registry] : [])];
}

export function logoutArgv(registry: string): string[] {
  return ['docker', 'logout', ...(registry ? ['--', registry] : [])];
}

export interface LoginDeps {
  exec: Exec;
  log(message: string): void;
  /** Called right after each successful login, so post logs out even if a later one fails. */
  loggedIn(registry: string): void;
}

/** Act: log in to each registry with --password-stdin, DOCKER_CONFIG pointing at the per-job folder `dir`. */
export async function runLogin(logins: RegistryLogin[], dir: string, deps: LoginDeps): Promise<string[]> {
  const done: string[] = [];
  for (const l of logins) {
    const name = l.registry || 'docker.io';
    const res = await deps.exec({ argv: loginArgv(l), stdin: l.password, env: { DOCKER_CONFIG: dir }, silent: true });
    if (programNotFound(res)) throw new StageError('login', commandProblem(loginArgv(l), res));
    if (res.code !== 0) {
      const detail = (res.stderr.trim() || res.stdout.trim() || `exit ${res.code}`).split('\n').filter((s) => !/^WARNING!/.test(s)).join(' ');
      throw new StageError('login', `login to ${name} as ${l.username} failed: ${detail}. Check the username and password (or token) for ${name}.`);
    }
    done.push(l.registry);
    deps.loggedIn(l.registry);
    deps.log(`logged in to ${name} as ${l.username}`);
  }
  return done;
}
