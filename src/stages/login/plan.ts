/** Pure: which registries to log in to, and the login and logout argvs (the password never in them). */
import type { RegistryLogin } from '../../inputs/login.js';

export interface LoginDecision {
  logins: RegistryLogin[];
  /** What to tell the user about logins that were not done. */
  notes: { level: 'info' | 'warning'; message: string }[];
}

/**
 * Which registries to log in to. Complete credentials are always used (a private base
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
    const why = eventName.startsWith('pull_request') ? ' (secrets are empty in pull requests from forks)' : '';
    notes.push({
      level: push ? 'warning' : 'info',
      message: `no password for ${reg}: not logging in${why}${push ? '; the push may be refused' : ''}`,
    });
  }
  if (inputs.logins.length === 0 && inputs.loginsWithoutPassword.length === 0) {
    notes.push({
      level: 'info',
      message: push
        ? "no registry credentials given: pushing with the engine's existing credentials"
        : 'no registry credentials and nothing to push: login skipped',
    });
  }
  return { logins: inputs.logins, notes };
}

/** The login argv. The password never appears here: it goes to stdin. */
export function loginArgv(l: Pick<RegistryLogin, 'registry' | 'username'>): string[] {
  return ['docker', 'login', '--username', l.username, '--password-stdin', ...(l.registry ? ['--', l.registry] : [])];
}

export function logoutArgv(registry: string): string[] {
  return ['docker', 'logout', ...(registry ? ['--', registry] : [])];
}
