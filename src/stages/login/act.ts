/** Act: `docker login` for each registry, the password on stdin, into the docker config folder given. */
import { commandProblem, programNotFound, StageError } from '../../errors.js';
import type { RegistryLogin } from '../../inputs/login.js';
import type { ActDeps, ExecResult } from '../../ports/exec.js';
import { loginArgv } from './plan.js';

export interface LoginDeps extends ActDeps {
  /** Called right after each successful login, so post logs out even if a later one fails. */
  loggedIn(registry: string): void;
}

/** Act: log in to each registry with --password-stdin, DOCKER_CONFIG pointing at the per-job folder `dir`. */
export async function runLogin(logins: RegistryLogin[], dir: string, deps: LoginDeps): Promise<string[]> {
  const done: string[] = [];
  for (const l of logins) {
    const name = l.registry || 'docker.io';
    const argv = loginArgv(l);
    const res = await deps.exec({ argv, stdin: l.password, env: { DOCKER_CONFIG: dir }, silent: true });
    if (res.code !== 0) throw loginFailure(name, l.username, argv, res);
    done.push(l.registry);
    deps.loggedIn(l.registry);
    deps.log(`logged in to ${name} as ${l.username}`);
  }
  return done;
}

function loginFailure(name: string, username: string, argv: string[], res: ExecResult): StageError {
  const problem = commandProblem(argv, res);
  // no docker CLI is not a wrong password: its own words, not "check the username and password"
  if (programNotFound(res)) return new StageError('login', problem);
  // docker login's "WARNING! … stored unencrypted" says nothing about why it failed
  const detail = problem
    .split('\n')
    .filter((s) => !/^WARNING!/.test(s))
    .join(' ');
  return new StageError(
    'login',
    `login to ${name} as ${username} failed: ${detail}. Check the username and password (or token) for ${name}.`,
  );
}
