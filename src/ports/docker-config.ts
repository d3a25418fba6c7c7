import * as os from 'node:os';
import * as path from 'node:path';

import type { Files } from './files.js';

/**
 * The run's own DOCKER_CONFIG folder. Every docker call of the run uses it, so credentials from
 * login and a buildx installed for this run land there and nowhere else (never the user's
 * ~/.docker); post logs out and deletes it. It still sees what earlier steps set up: logins
 * (auths), contexts, builders (buildx/ state) and CLI plugins.
 */

export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

/** The key docker uses in config.json for a registry ('' = Docker Hub). */
export function registryKey(registry: string): string {
  return registry === '' || registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/**
 * Pins the per-run config to file storage. docker (and buildx, which loads the config the same way)
 * picks the platform's credential store (docker-credential-secretservice or pass on Linux,
 * osxkeychain on macOS) when that helper is on PATH and the config "contains no auth": no
 * credsStore, no credHelpers and no auths entry (docker/cli config.Load: `if !ContainsAuth() {
 * CredentialsStore = DetectDefaultStore(...) }`). A credsStore value cannot name the file store, so
 * one auths entry, empty, for a host that cannot exist (.invalid, RFC 2606) keeps that detection
 * from ever running: the password lands in this folder's config.json, removed by post, never in a
 * keyring shared by every job on the machine. Checked with a real docker CLI and a recording
 * docker-credential-secretservice on PATH (__tests__/e2e/hostile.test.ts).
 */
export const FILE_STORE_PIN: Record<string, Record<string, never>> = { 'multiarch-action.invalid': {} };

/**
 * Pure: the per-job config.json. Keeps what earlier steps set up: auths (e.g. docker/login-action),
 * credential helpers (e.g. gcloud auth configure-docker), the current context and proxies. A
 * credential store becomes per-registry helpers for the registries it already holds, so those
 * logins stay readable. Registries this run logs in to get neither store nor helper: their
 * credentials are written to the per-job file and nowhere else.
 */
export function seedConfig(userConfig: string | undefined, loginRegistries: string[] = []): string {
  const seed: Record<string, unknown> = { auths: { ...FILE_STORE_PIN } };
  if (!userConfig) return `${JSON.stringify(seed, null, 2)}\n`;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(userConfig) as Record<string, unknown>;
  } catch {
    return `${JSON.stringify(seed, null, 2)}\n`; // unreadable user config: start empty
  }
  // `null`, a list or a string parse, but hold no settings (configParseWarning says so)
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return `${JSON.stringify(seed, null, 2)}\n`;
  const ours = new Set(loginRegistries.map(registryKey));
  const auths =
    parsed.auths && typeof parsed.auths === 'object' ? (parsed.auths as Record<string, Record<string, unknown>>) : {};
  seed.auths = { ...auths, ...FILE_STORE_PIN };
  const helpers: Record<string, string> = {};
  if (parsed.credHelpers && typeof parsed.credHelpers === 'object') {
    for (const [reg, helper] of Object.entries(parsed.credHelpers as Record<string, string>))
      if (!ours.has(reg)) helpers[reg] = helper;
  }
  if (typeof parsed.credsStore === 'string' && parsed.credsStore) {
    for (const [reg, entry] of Object.entries(auths)) {
      const inline = entry && (entry.auth || entry.identitytoken);
      if (!inline && !ours.has(reg) && !(reg in helpers)) helpers[reg] = parsed.credsStore;
    }
  }
  if (Object.keys(helpers).length) seed.credHelpers = helpers;
  for (const key of ['currentContext', 'proxies']) if (parsed[key] !== undefined) seed[key] = parsed[key];
  return `${JSON.stringify(seed, null, 2)}\n`;
}

/**
 * Pure: the warning for a user config.json that is not a JSON object, naming the file (as
 * build-push-action's `Unable to parse config file`), else undefined. It changes no decision: the
 * docker CLI itself warns and goes on with its defaults, and so does every stage here.
 */
export function configParseWarning(text: string | undefined, file: string): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return undefined;
    return `Unable to parse config file ${file}: not a JSON object; the docker defaults are used (default context, no stored logins)`;
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
    return `Unable to parse config file ${file}: ${why}; the docker defaults are used (default context, no stored logins)`;
  }
}

/**
 * Act: fill `dir`: a 0600 config.json seeded from the user's, links to the user's contexts/ and
 * buildx/ state, and a cli-plugins/ folder of its own holding links to the user's plugins (so a
 * buildx installed for this run replaces the link, never the user's file).
 */
export function prepareJobDockerConfig(
  dir: string,
  deps: { files: Files; env: NodeJS.ProcessEnv; loginRegistries?: string[] },
): { warning?: string } {
  const { files } = deps;
  const user = userDockerConfigDir(deps.env);
  const userConfigFile = path.join(user, 'config.json');
  const userConfigText = files.readFile(userConfigFile);
  files.writeFile(path.join(dir, 'config.json'), seedConfig(userConfigText, deps.loginRegistries), 0o600);
  // builders created here are recorded in the user's buildx/ state, so later steps can use the
  // `builder` output (and `cleanup: false` leaves a builder they can find): create it if missing
  files.makeDir(path.join(user, 'buildx'));
  for (const sub of ['contexts', 'buildx']) {
    const from = path.join(user, sub);
    if (files.exists(from)) files.symlink(from, path.join(dir, sub));
  }
  const plugins = path.join(dir, 'cli-plugins');
  files.makeDir(plugins);
  for (const name of files.listDir(path.join(user, 'cli-plugins'))) {
    files.symlink(path.join(user, 'cli-plugins', name), path.join(plugins, name));
  }
  return { warning: configParseWarning(userConfigText, userConfigFile) };
}
