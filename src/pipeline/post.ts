import { errorMessage } from '../errors.js';
import type { CacheFolders } from '../ports/actions-cache.js';
import { releaseDir } from '../ports/cache-lock.js';
import type { Deps } from '../ports/deps.js';
import { withEnv } from '../ports/exec.js';
import { StateStore } from '../run/state.js';
import { logoutArgv } from '../stages/login/plan.js';
import { removeSmokeLeftovers } from './smoke-cleanup.js';

/**
 * The post step: undo what main created, whatever state main ended in. Each step is
 * independent and never fails the job; problems are warnings. It uses no layer cache.
 */
export async function runPost(
  deps: Omit<Deps, 'actionsCache' | 'artifacts'> & { cacheFolders?: Pick<CacheFolders, 'release'> },
): Promise<void> {
  const { host, files } = deps;
  const state = new StateStore(host).load();
  // every docker call of the run used its per-job config (builders, credentials): so does post
  const exec = state.dockerConfig ? withEnv(deps.exec, { DOCKER_CONFIG: state.dockerConfig }) : deps.exec;
  const attempt = async (what: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (err) {
      host.warning(`cleanup: ${what}: ${errorMessage(err)}`);
    }
  };
  if (state.builder && state.previousBuilder) {
    const previous = state.previousBuilder;
    // use: true made the builder current for the job: the one that was current before comes back
    await attempt(`make builder ${previous} current again`, async () => {
      const res = await exec({ argv: ['docker', 'buildx', 'use', '--', previous], silent: true });
      if (res.code !== 0) throw new Error(res.stderr.trim());
      host.info(`builder ${previous} is the current builder again`);
    });
  }
  if (state.builder) {
    const name = state.builder;
    await attempt(`remove builder ${name}`, async () => {
      const res = await exec({
        argv: ['docker', 'buildx', 'rm', '--force', ...(state.keepState ? ['--keep-state'] : []), '--', name],
        silent: true,
      });
      if (res.code !== 0) throw new Error(res.stderr.trim());
      host.info(`removed builder ${name}${state.keepState ? ' (its state kept: keep-state)' : ''}`);
    });
  }
  await removeSmokeLeftovers(state, exec, (m) => host.warning(m));
  for (const registry of state.logins ?? []) {
    await attempt(`log out of ${registry || 'docker.io'}`, async () => {
      const res = await exec({ argv: logoutArgv(registry), silent: true });
      if (res.code !== 0) throw new Error(res.stderr.trim());
    });
  }
  if (state.dockerConfig) {
    const dir = state.dockerConfig;
    await attempt('remove docker config', () => files.remove(dir));
  }
  // the shared cache folder and its lock, only while this run (its temp folder) still holds the lock
  for (const dir of state.cacheDirs ?? []) {
    const owner = state.tempDir;
    if (!owner) continue;
    await attempt(`remove cache folder ${dir}`, () => {
      // cache-lock.js, not the cache port: post's bundle stays without @actions/cache
      if ((deps.cacheFolders?.release ?? releaseDir)(dir, owner)) host.info(`removed the cache folder ${dir}`);
    });
  }
  if (state.tempDir) {
    const dir = state.tempDir;
    await attempt('remove temp folder', () => files.remove(dir));
  }
  host.info('cleanup done');
}
