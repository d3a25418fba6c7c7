/**
 * Where the engine that runs the build really is: the endpoint the docker CLI (and so buildx)
 * talks to, found the way the CLI finds it, and whether that endpoint is this machine's. A unix
 * socket is; anything else (tcp, ssh, npipe, an unknown scheme) cannot be known from here, so the
 * QEMU stage asks the engine itself (a probe container) instead of guessing.
 */
import { commandProblem } from '../../errors.js';
import type { Exec } from '../../ports/exec.js';

/** The docker CLI's own default when neither DOCKER_HOST nor a context names another. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** The engine's endpoint: a host address, or a docker context whose host is still to be read. */
export interface EngineEndpoint {
  /** A docker host address (unix://, tcp://, ssh://, …), when known. */
  host?: string;
  /** A docker context other than `default`, whose host `docker context inspect` gives. */
  context?: string;
  /** Where it came from, for the log: DOCKER_HOST, DOCKER_CONTEXT, config.json, endpoint, default. */
  source: string;
}

/** A docker config's currentContext; undefined when unset or when the text is not a JSON object. */
export function configCurrentContext(configJson: string | undefined): string | undefined {
  if (!configJson) return undefined;
  try {
    const parsed = JSON.parse(configJson) as unknown;
    const current = parsed && typeof parsed === 'object' ? (parsed as { currentContext?: unknown }).currentContext : '';
    return typeof current === 'string' && current ? current : undefined;
  } catch {
    // the docker CLI warns and uses its defaults: the default context (the warning is main's)
    return undefined;
  }
}

/**
 * Pure: the endpoint the docker CLI uses, in its own order: DOCKER_HOST (the default context on
 * that host), then DOCKER_CONTEXT, then config.json's currentContext, else the default socket.
 */
export function activeEndpoint(env: NodeJS.ProcessEnv, configJson: string | undefined): EngineEndpoint {
  if (env.DOCKER_HOST) return { host: env.DOCKER_HOST, source: 'DOCKER_HOST' };
  const named = (context: string, source: string): EngineEndpoint =>
    context === 'default' ? { host: DEFAULT_DOCKER_HOST, source } : { context, source };
  if (env.DOCKER_CONTEXT) return named(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT');
  const current = configCurrentContext(configJson);
  if (current) return named(current, "config.json's currentContext");
  return { host: DEFAULT_DOCKER_HOST, source: 'default' };
}

/**
 * Pure: the endpoint the builder's first node runs on. The `endpoint` input (a docker context
 * name, or a docker host address) moves it for the docker and docker-container drivers.
 */
export function builderEndpoint(active: EngineEndpoint, endpointInput: string): EngineEndpoint {
  if (!endpointInput) return active;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpointInput)) return { host: endpointInput, source: 'endpoint' };
  return endpointInput === 'default'
    ? { ...active, source: `${active.source} (endpoint: default)` }
    : { context: endpointInput, source: 'endpoint' };
}

/** Pure: a unix socket is this machine's engine; no other address can be known to be. */
export function isLocalHost(host: string): boolean {
  return host.startsWith('unix://');
}

/** Act: a docker context's host (`docker context inspect`), or why it could not be read. */
export async function contextHost(exec: Exec, context: string): Promise<{ host?: string; problem?: string }> {
  const argv = ['docker', 'context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', '--', context];
  const res = await exec({ argv, silent: true });
  const host = res.stdout.trim();
  if (res.code !== 0 || !host) return { problem: commandProblem(argv, res) };
  return { host };
}

/** Where the engine is: `local` (this machine's binfmt_misc is its own) with the address, or why not. */
export interface EngineLocation {
  local: boolean;
  /** The address, '' when it could not be read. */
  host: string;
  /** One line for the log. */
  described: string;
}

/** Act: resolve the endpoint (a context's host through `docker context inspect`) and judge it. */
export async function locateEngine(exec: Exec, endpoint: EngineEndpoint): Promise<EngineLocation> {
  let host = endpoint.host ?? '';
  let problem: string | undefined;
  if (!host && endpoint.context) ({ host = '', problem } = await contextHost(exec, endpoint.context));
  const via = endpoint.context ? `context ${endpoint.context} from ${endpoint.source}` : endpoint.source;
  if (!host) return { local: false, host, described: `engine: ${via}, its address unknown (${problem ?? 'none'})` };
  const local = isLocalHost(host);
  return {
    local,
    host,
    described: `engine: ${host} (${via}), ${local ? "this machine's" : 'not known to be this machine'}`,
  };
}
