/**
 * The smoke test's leftovers: its containers (a stopped `docker run` leaves its container running:
 * a pull request's image, with network) and the images loaded for it. Removed by post, by the CLI's
 * cleanup, and at once by the action's signal path, whatever state main ended in.
 */
import { commandProblem, errorMessage } from '../errors.js';
import { type Exec, withEnv } from '../ports/exec.js';
import type { Host } from '../ports/host.js';
import { type RunState, StateStore } from '../run/state.js';

/** Containers first (an image in use by one stays), then the images; each failure is a warning. */
export async function removeSmokeLeftovers(state: RunState, exec: Exec, warn: (m: string) => void): Promise<void> {
  const remove = async (what: string, argv: string[], gone: RegExp) => {
    try {
      const res = await exec({ argv, silent: true });
      if (res.code !== 0 && !gone.test(res.stderr)) throw new Error(commandProblem(argv, res));
    } catch (err) {
      warn(`cleanup: remove ${what}: ${errorMessage(err)}`);
    }
  };
  const names = state.smokeContainers ?? [];
  // usually gone already (docker run --rm): only what is left matters
  if (names.length)
    await remove('smoke-test containers', ['docker', 'rm', '--force', '--', ...names], /No such container/i);
  const tags = state.smokeImages ?? [];
  if (tags.length) await remove('smoke-test images', ['docker', 'image', 'rm', '--force', ...tags], /No such image/i);
}

/** The action's signal path: what main saved so far, with the run's docker config, as post will. */
export async function stopSmoke(host: Host, exec: Exec): Promise<void> {
  const state = new StateStore(host).load();
  const run = state.dockerConfig ? withEnv(exec, { DOCKER_CONFIG: state.dockerConfig }) : exec;
  await removeSmokeLeftovers(state, run, (m) => host.warning(m));
}
