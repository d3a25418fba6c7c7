import { userDockerConfigDir } from '../../ports/docker-config.js';
import { actDeps, type Run } from '../../run/run.js';
import { runLogin } from './act.js';
import type { LoginDecision } from './plan.js';

/** Login first: every later docker call (builders included) uses its credentials. */
export async function loginStage(run: Run, login: LoginDecision): Promise<void> {
  if (login.logins.length === 0) return;
  const done: string[] = [];
  await run.timed('login', () =>
    runLogin(login.logins, run.dockerConfig, {
      ...actDeps(run),
      // recorded one by one: post logs out even when a later login fails
      loggedIn: (registry) => {
        done.push(registry);
        run.state.update({ logins: [...done] });
      },
    }),
  );
  if (!run.inputs.logout) await keepLogins(run, login);
}

/**
 * logout: false (login-action): the same logins in the user's docker config too, for later steps
 * of the job; post removes only the run's own config, so these stay (as login-action leaves them).
 */
async function keepLogins(run: Run, login: LoginDecision): Promise<void> {
  const dir = userDockerConfigDir(run.env);
  await run.timed('login (kept for later steps)', () =>
    runLogin(login.logins, dir, {
      ...actDeps(run),
      log: (m) => run.host.info(`${m} (logout: false: in ${dir}, for later steps)`),
      loggedIn: () => undefined,
    }),
  );
}
