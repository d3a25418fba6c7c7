/**
 * Which Actions services this run has, read from the environment alone: pure, so a stage's plan can
 * ask without loading a service's client (src/ports/actions-cache.ts, src/ports/artifacts.ts).
 */

/** The Actions cache service's address is in the environment (what @actions/cache looks at). */
export function cacheServiceAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL);
}

/** GitHub Enterprise Server, where @actions/artifact (v2+) has no service. */
export function isGhes(serverUrl: string | undefined): boolean {
  let host: string;
  try {
    host = new URL(serverUrl || 'https://github.com').hostname.toLowerCase();
  } catch {
    return false;
  }
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/** Whether this run has an Actions artifact service to keep shard results in. */
export function artifactServiceAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL) && !isGhes(env.GITHUB_SERVER_URL);
}
