import * as path from 'node:path';
import type { Files } from './deps.js';

/**
 * The run's own DOCKER_CONFIG folder. Every docker call of the run uses it, so credentials from
 * login and a buildx installed for this run land there and nowhere else (never the user's
 * ~/.docker); post logs out and deletes it. It still sees what earlier steps set up: logins
 * (auths), contexts, builders (buildx/ state) and CLI plugins.
 */

export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || '/root', '.docker');
}

/**
 * Pure: the per-job config.json. Keeps the user's auths (logins done by earlier steps, e.g.
 * docker/login-action), current context and proxies; leaves out credential stores and helpers so
 * this run's credentials are written to the per-job file only.
 */
export function seedConfig(userConfig: string | undefined): string {
  const seed: Record<string, unknown> = { auths: {} };
  if (userConfig) {
    try {
      const parsed = JSON.parse(userConfig) as Record<string, unknown>;
      if (parsed.auths && typeof parsed.auths === 'object') seed.auths = parsed.auths;
      for (const key of ['currentContext', 'proxies']) if (parsed[key] !== undefined) seed[key] = parsed[key];
    } catch {
      // unreadable user config: start empty
    }
  }
  return `${JSON.stringify(seed, null, 2)}\n`;
}

/**
 * Act: fill `dir`: a 0600 config.json seeded from the user's, links to the user's contexts/ and
 * buildx/ state, and a cli-plugins/ folder of its own holding links to the user's plugins (so a
 * buildx installed for this run replaces the link, never the user's file).
 */
export function prepareJobDockerConfig(dir: string, deps: { files: Files; env: NodeJS.ProcessEnv }): void {
  const { files } = deps;
  const user = userDockerConfigDir(deps.env);
  files.writeFile(path.join(dir, 'config.json'), seedConfig(files.readFile(path.join(user, 'config.json'))), 0o600);
  for (const sub of ['contexts', 'buildx']) {
    const from = path.join(user, sub);
    if (files.exists(from)) files.symlink(from, path.join(dir, sub));
  }
  const plugins = path.join(dir, 'cli-plugins');
  files.makeDir(plugins);
  for (const name of files.listDir(path.join(user, 'cli-plugins'))) {
    files.symlink(path.join(user, 'cli-plugins', name), path.join(plugins, name));
  }
}
