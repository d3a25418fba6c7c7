/**
 * Loopback registries and where BuildKit runs. A registry on the runner's loopback (localhost,
 * 127.0.0.0/8, [::1]) is reachable by the engine's own builder (dockerd pushes from the host's
 * network), but not from a BuildKit container on its own network, nor from a BuildKit daemon on
 * another machine: there "127.0.0.1:5000" is that container's or machine's own loopback and the
 * push fails with "connection refused" (docker/build-push-action #1176). Pure rules only.
 */
import { parse as parseToml } from 'smol-toml';

import { parseList } from '../../lists.js';
import { isLoopbackHost, registryHost } from '../../oci/reference.js';
import { parseInspectNodes } from './nodes.js';
import { inspectedDriver } from './probe.js';

/** The inputs that name registries BuildKit itself talks to (pushes, cache, build contexts). */
export interface RegistryUses {
  images: string[];
  literalRefs: string[];
  cacheFrom: string[];
  cacheTo: string[];
  buildContexts: string[];
  outputs: string[];
}

/** `k=v` fields of one CSV spec ("type=registry,ref=…"); quoted values keep their commas. */
function fields(spec: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of parseList(spec)) {
    const eq = item.indexOf('=');
    if (eq > 0) out.set(item.slice(0, eq).trim().toLowerCase(), item.slice(eq + 1).trim());
  }
  return out;
}

/** Every image reference of the build that BuildKit's registry client reads or writes. */
export function buildRegistryRefs(u: RegistryUses): string[] {
  const refs = [...u.images, ...u.literalRefs];
  for (const spec of [...u.cacheFrom, ...u.cacheTo]) {
    // a bare value is buildx's shorthand for type=registry,ref=<value>
    if (!spec.includes('=')) refs.push(spec.trim());
    const f = fields(spec);
    if (f.get('type') === 'registry' && f.get('ref')) refs.push(f.get('ref')!);
  }
  for (const ctx of u.buildContexts) {
    const value = ctx.slice(ctx.indexOf('=') + 1).trim();
    if (value.startsWith('docker-image://')) refs.push(value.slice('docker-image://'.length));
  }
  for (const out of u.outputs) {
    const f = fields(out);
    if (f.get('type') === 'registry' || f.get('type') === 'image')
      refs.push(...(f.get('name') ?? '').split(',').map((n) => n.trim()));
  }
  return refs.filter(Boolean);
}

/**
 * The registry mirrors a BuildKit daemon config names (`[registry."docker.io"] mirrors = […]`),
 * each as a reference-like "host/…" so the loopback rule reads it like any image. An unreadable
 * config gives none: buildkitd reports its own parse error when it boots.
 */
export function configMirrors(toml: string): string[] {
  let doc: unknown;
  try {
    doc = parseToml(toml);
  } catch {
    return [];
  }
  const registries = (doc as { registry?: unknown }).registry;
  if (!registries || typeof registries !== 'object') return [];
  const out: string[] = [];
  for (const cfg of Object.values(registries as Record<string, unknown>)) {
    const mirrors = (cfg as { mirrors?: unknown } | null)?.mirrors;
    if (!Array.isArray(mirrors)) continue;
    for (const m of mirrors)
      if (typeof m === 'string' && m.trim())
        out.push(
          `${
            m
              .trim()
              .replace(/^[a-z]+:\/\//i, '')
              .split('/')[0]
          }/mirror`,
        );
  }
  return out;
}

/** The loopback registries among the refs (each host once, in order). */
export function loopbackRegistries(refs: string[]): string[] {
  return [...new Set(refs.map(registryHost).filter(isLoopbackHost))];
}

/** The value of the `network=` driver option, undefined when not set. */
export function networkOpt(driverOpts: string[]): string | undefined {
  const opt = driverOpts.find((o) => /^network=/i.test(o.trim()));
  return opt?.trim().slice('network='.length);
}

/** Whether a remote endpoint's daemon runs on this machine (a unix socket, or tcp to loopback). */
export function isLocalEndpoint(endpoint: string): boolean {
  if (/^unix:\/\//.test(endpoint)) return true;
  const m = /^(?:tcp|https?):\/\/(\[[^\]]+\]|[^:/]+)/i.exec(endpoint);
  return m ? isLoopbackHost(m[1]!) : false;
}

export interface LoopbackAdvice {
  /** A driver option to add to every docker-container node this action creates. */
  driverOpt?: string;
  info?: string;
  warning?: string;
}

const list = (hosts: string[]) => hosts.join(', ');
/** "127.0.0.1:5000 is on this runner's loopback": the start of every loopback note and warning. */
const onLoopback = (hosts: string[]) => `${list(hosts)} ${hosts.length > 1 ? 'are' : 'is'} on this runner's loopback`;

/**
 * What a builder this action creates needs for loopback registries. docker-container: add
 * network=host (the container then shares the runner's loopback) unless the user chose a network;
 * remote/kubernetes: a warning unless every daemon is on this machine.
 */
export function planLoopback(
  driver: string,
  driverOpts: string[],
  endpoints: string[],
  hosts: string[],
): LoopbackAdvice {
  if (!hosts.length || driver === 'docker') return {};
  const why = onLoopback(hosts);
  if (driver === 'docker-container') {
    const chosen = networkOpt(driverOpts);
    if (chosen === undefined) {
      return {
        driverOpt: 'network=host',
        info: `builder: driver-opts network=host added: ${why}, which a BuildKit container on its own network cannot reach (set a network= driver option to choose otherwise)`,
      };
    }
    if (chosen === 'host') return {};
    return {
      warning: `${why}, but driver-opts sets network=${chosen}: BuildKit's container cannot reach it there. Use network=host, or a registry address that network reaches.`,
    };
  }
  if (driver === 'remote' && endpoints.length && endpoints.every(isLocalEndpoint)) return {};
  const where =
    driver === 'remote' ? `the remote builder (${list(endpoints) || 'no endpoint'})` : `the ${driver} builder`;
  return {
    warning: `${why}, but ${where} runs BuildKit on another machine, whose loopback is not this runner's: the push or cache export there will fail. Use a registry address that machine reaches, or run buildkitd on this runner (endpoint tcp://127.0.0.1:PORT or unix://…).`,
  };
}

/** What `docker buildx inspect` says about an existing builder's nodes. */
export interface InspectedBuilder {
  driver: string;
  nodes: { endpoint: string; network?: string }[];
}

/** An existing builder's driver and nodes (with their network= driver option) from `docker buildx inspect`. */
export function inspectedBuilder(text: string): InspectedBuilder {
  const driver = inspectedDriver(text) ?? '';
  const nodes = parseInspectNodes(text).map((n) => {
    const network = networkOpt(n['driver-opts'] ?? []);
    return network === undefined ? { endpoint: n.endpoint } : { endpoint: n.endpoint, network };
  });
  return { driver, nodes };
}

/** The warning for an existing `builder:` that cannot reach a loopback registry, if any. */
export function existingBuilderLoopback(name: string, b: InspectedBuilder, hosts: string[]): string | undefined {
  if (!hosts.length || b.driver === 'docker' || b.driver === '') return undefined;
  const why = onLoopback(hosts);
  if (b.driver === 'docker-container') {
    if (b.nodes.length && b.nodes.every((n) => n.network === 'host')) return undefined;
    return `${why}, but builder ${name} runs BuildKit in a container on its own network, which cannot reach it. Fix: recreate the builder with --driver-opt network=host, or drop the builder input so this action creates one (it adds network=host itself).`;
  }
  if (b.driver === 'remote' && b.nodes.length && b.nodes.every((n) => isLocalEndpoint(n.endpoint))) return undefined;
  return `${why}, but builder ${name} (driver ${b.driver}) runs BuildKit away from this runner, whose loopback it cannot reach. Fix: use a registry address the builder reaches, or a builder on this runner (driver docker, or docker-container with network=host).`;
}
