import { randomBytes } from 'node:crypto';
import { engineUnreachable, StageError } from '../../errors.js';
import { type Exec, PULL_TIMEOUT_MS } from '../../ports/exec.js';
import { type AppendNode, type DriverInput, ownBuilderInputs } from '../../inputs/builder.js';
import { firstNodePins, nodeAssignment } from './nodes.js';
import { existingBuilderLoopback, inspectedBuilder, loopbackRegistries, planLoopback } from './network.js';
import { once } from '../../ports/once.js';
import { compareVersions } from './buildx-version.js';

export type Driver = Exclude<DriverInput, 'auto'>;

export interface BuilderProbe {
  /** `docker buildx version` output, undefined when buildx is missing. */
  buildxVersion?: string;
  /** The engine's storage driver status pairs (docker info .DriverStatus). */
  driverStatus: [string, string][];
  /** Current docker context: the name of its default `docker`-driver builder. */
  dockerContext: string;
}

/** What the builder stage was asked for (a subset of BuilderInputs). */
export interface BuilderRequest {
  driver: DriverInput;
  driverOpts: string[];
  buildkitdFlags: string;
  /** Path of the BuildKit daemon config (a file input, or the inline config written to disk). */
  buildkitdConfig: string;
  endpoint: string;
  append: AppendNode[];
  /** An existing builder to use. */
  builder: string;
  cleanup: boolean;
  /** The inline config (written to buildkitdConfig): only to name the input in the log. */
  buildkitdConfigInline?: string;
  /** The build's platforms (a multi-node builder pins its first node to those append leaves). */
  platforms?: string[];
  /** Every image reference BuildKit reads or writes (see buildRegistryRefs): loopback ones need care. */
  registries?: string[];
}

export interface BuilderPlan {
  name: string;
  driver: Driver;
  buildxVersion: string;
  /** `docker buildx create` argvs: the builder, then one per appended node. Empty = use an existing builder. */
  create: string[][];
  /** Boots every node and prints its platforms. */
  inspect: string[];
  /** Post removes the builder (created here and cleanup not false). */
  remove: boolean;
  /**
   * The current context's own `docker`-driver builder (named after the context: buildx allows no other
   * builder that name): nothing to create or boot, and the engine has just answered `docker info`, so
   * nothing waits for its inspect: it runs beside the build, for the platform list (an output).
   */
  inspectLater?: boolean;
  /** Why this builder (auto resolution, network=host added): logged before it is created. */
  notes: string[];
  warnings: string[];
  /** Loopback registries of the build: an existing builder is checked against them once inspected. */
  loopback: string[];
}

/** docker/setup-buildx-action's default daemon flags for a builder it creates in a container. */
export const DEFAULT_BUILDKITD_FLAGS = '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';

/** Minimum buildx version per feature, checked before any builder is created. */
export const MIN_BUILDX: Record<string, string> = {
  '--bootstrap': '0.8.0',
  'the remote driver': '0.8.0',
  '--buildkitd-config': '0.13.0',
};

export function usesContainerdStore(driverStatus: [string, string][]): boolean {
  return driverStatus.some(([k, v]) => k === 'driver-type' && v === 'io.containerd.snapshotter.v1');
}

/** Parse `docker buildx version` ("github.com/docker/buildx v0.13.1 abc…" or "… 0.13.1+ds1 …"). */
export function parseBuildxVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+\.\d+)/.exec(text);
  return m?.[1];
}

export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * Pure: a builder name unique per job, so jobs running side by side on one self-hosted runner
 * never share or remove each other's builder.
 */
export function uniqueBuilderName(env: NodeJS.ProcessEnv, random: string = randomBytes(4).toString('hex')): string {
  const part = (s: string | undefined) => (s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 20);
  const bits = ['multiarch', part(env.GITHUB_RUN_ID), part(env.GITHUB_RUN_ATTEMPT), part(env.GITHUB_JOB), random].filter(Boolean);
  return bits.join('-');
}

/**
 * Pure: the driver `auto` resolves to: the engine's own builder on the containerd image store (it
 * builds and keeps multi-platform images), else docker-container; and docker-container whenever an
 * input only a created builder honours is set (`own`: their names), so no input is ever dropped.
 */
export function resolveDriver(driver: DriverInput, containerdStore: boolean, own: string[] = []): Driver {
  if (driver !== 'auto') return driver;
  return containerdStore && own.length === 0 ? 'docker' : 'docker-container';
}

/** Pure: the log line saying why `auto` chose what it chose. */
export function autoReason(driver: Driver, containerdStore: boolean, own: string[]): string {
  if (driver === 'docker') return 'driver auto: docker, the engine\'s own builder (its containerd image store keeps multi-platform images)';
  if (own.length) {
    return `driver auto: docker-container, a builder this action creates, since ${own.join(', ')} ${own.length > 1 ? 'are' : 'is'} set and the engine's own builder cannot honour ${own.length > 1 ? 'them' : 'it'}`;
  }
  return `driver auto: docker-container, a builder this action creates (the engine uses the ${containerdStore ? 'containerd' : 'classic'} image store${containerdStore ? '' : ', whose docker driver cannot build multi-platform images'})`;
}

function tooOld(version: string, feature: string): StageError {
  const min = MIN_BUILDX[feature]!;
  return new StageError(
    'builder',
    `buildx ${version} is too old for ${feature}: it needs buildx ${min} or newer. Set buildx-version (e.g. 0.29.1) to install a newer release for this job, or upgrade the docker-buildx plugin.`,
  );
}

/** Pure: the `--append` argv for one extra node. */
export function appendArgv(name: string, node: AppendNode): string[] {
  const argv = ['docker', 'buildx', 'create', '--name', name, '--append'];
  if (node.name) argv.push('--node', node.name);
  for (const o of node.driverOpts) argv.push('--driver-opt', o);
  if (node.buildkitdFlags) argv.push('--buildkitd-flags', node.buildkitdFlags);
  if (node.platforms.length) argv.push('--platform', node.platforms.join(','));
  if (node.endpoint) argv.push(node.endpoint);
  return argv;
}

const inspectArgv = (name: string) => ['docker', 'buildx', 'inspect', '--bootstrap', '--builder', name];

/** Pure: which builder to use or create, with the exact argvs. */
export function planBuilder(probe: BuilderProbe, req: BuilderRequest, newName: string): BuilderPlan {
  const version = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
  if (!version) {
    throw new StageError(
      'builder',
      'docker buildx is not installed: set buildx-version (e.g. 0.29.1) to install it for this job, or install the buildx CLI plugin (Debian/Ubuntu: docker-buildx).',
    );
  }
  const loopback = loopbackRegistries(req.registries ?? []);
  const base = { buildxVersion: version, notes: [] as string[], warnings: [] as string[], loopback };
  if (req.builder) {
    return { ...base, name: req.builder, driver: 'docker', create: [], inspect: inspectArgv(req.builder), remove: false };
  }
  const containerd = usesContainerdStore(probe.driverStatus);
  const own = ownBuilderInputs(req);
  const driver = resolveDriver(req.driver, containerd, own);
  if (req.driver === 'auto') base.notes.push(autoReason(driver, containerd, own));
  if (driver === 'docker') {
    if (!containerd) {
      throw new StageError(
        'builder',
        'the Docker engine uses the classic image store, whose docker driver cannot build or push multi-platform images. ' +
          'Use driver: docker-container (or auto), or enable the containerd image store ({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd).',
      );
    }
    const name = req.endpoint || probe.dockerContext || 'default';
    return { ...base, name, driver, create: [], inspect: inspectArgv(name), remove: false, inspectLater: true };
  }
  if (!versionAtLeast(version, MIN_BUILDX['--bootstrap']!)) throw tooOld(version, '--bootstrap');
  if (driver === 'remote' && !versionAtLeast(version, MIN_BUILDX['the remote driver']!)) throw tooOld(version, 'the remote driver');
  const net = planLoopback(driver, req.driverOpts, [req.endpoint, ...req.append.map((n) => n.endpoint ?? '')].filter(Boolean), loopback);
  if (net.info) base.notes.push(net.info);
  if (net.warning) base.warnings.push(net.warning);
  // every node this action creates in a container shares the runner's loopback, unless it chose a network
  const withNet = (opts: string[]) => (net.driverOpt && !opts.some((o) => /^network=/i.test(o.trim())) ? [...opts, net.driverOpt] : opts);
  const argv = ['docker', 'buildx', 'create', '--name', newName, '--driver', driver];
  for (const o of withNet(req.driverOpts)) argv.push('--driver-opt', o);
  const flags = req.buildkitdFlags || (driver === 'remote' ? '' : DEFAULT_BUILDKITD_FLAGS);
  if (flags) argv.push('--buildkitd-flags', flags);
  if (req.buildkitdConfig) {
    // renamed from --config in buildx 0.13.0
    argv.push(versionAtLeast(version, MIN_BUILDX['--buildkitd-config']!) ? '--buildkitd-config' : '--config', req.buildkitdConfig);
  }
  const pins = firstNodePins(req.platforms ?? [], req.append);
  if (pins.length) {
    argv.push('--platform', pins.join(','));
    base.notes.push(`builder ${newName}: ${nodeAssignment(newName, req.platforms ?? [], pins, req.append)} (each node pinned to its platforms)`);
  }
  if (req.endpoint) argv.push(req.endpoint);
  const create = [argv, ...req.append.map((n) => appendArgv(newName, { ...n, driverOpts: withNet(n.driverOpts) }))];
  return { ...base, name: newName, driver, create, inspect: inspectArgv(newName), remove: req.cleanup };
}

/** Pure: the platforms of every node in `docker buildx inspect` output, deduplicated, in order. */
export function parseInspectPlatforms(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const p of m[1]!.split(',')) {
      const v = p.trim().replace(/\*$/, '');
      if (v && !out.includes(v)) out.push(v);
    }
  }
  return out;
}

export interface BuilderDeps {
  exec: Exec;
  log(message: string): void;
  /** Called right after the builder exists, before appending/booting, so post can remove it. */
  created(name: string): void;
}

export interface BuilderResult extends BuilderPlan {
  /**
   * Every node's platforms (an output only: nothing in the run waits for it). With inspectLater the
   * inspect runs on the first call (the pipeline makes it as the build starts). Memoized; never rejects.
   */
  platforms: () => Promise<string[]>;
  /** The same inspect's text ('' when it failed), for the nodes output. Memoized; never rejects. */
  inspected: () => Promise<string>;
}

/**
 * Pure: `docker info --format` output of INFO_FORMAT: the storage driver status, and the buildx
 * version from the CLI's own plugin list (undefined when that list is missing or buildx is not in it).
 */
export function parseInfo(stdout: string): { driverStatus: [string, string][]; buildxVersion?: string } {
  const [statusLine = '', pluginsLine = ''] = stdout.trim().split('\n');
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line.trim() || 'null');
    } catch {
      return null;
    }
  };
  const status = parse(statusLine);
  const plugins = parse(pluginsLine);
  const buildx = Array.isArray(plugins) ? (plugins as { Name?: unknown; Version?: unknown; Err?: unknown }[]).find((p) => p?.Name === 'buildx' && !p.Err) : undefined;
  return {
    driverStatus: Array.isArray(status) ? (status as [string, string][]) : [],
    buildxVersion: typeof buildx?.Version === 'string' && buildx.Version ? `github.com/docker/buildx ${buildx.Version}` : undefined,
  };
}

/** The engine's storage driver status and the CLI's plugins (buildx among them) in one `docker info`. */
export const INFO_FORMAT = '{{json .DriverStatus}}{{"\\n"}}{{json .ClientInfo.Plugins}}';

/** Act: `docker buildx version` output, undefined when buildx is missing. */
export async function readBuildxVersion(exec: Exec): Promise<string | undefined> {
  const res = await exec({ argv: ['docker', 'buildx', 'version'], silent: true });
  return res.code === 0 ? res.stdout : undefined;
}

/**
 * Act: probe the engine and buildx, side by side. `docker info` already asks every CLI plugin for its
 * metadata, so buildx's version comes from there: one buildx process fewer on the way to the build.
 * `docker buildx version` runs only when that list lacks it.
 */
export async function probeBuilder(exec: Exec): Promise<BuilderProbe> {
  const [info, ctx] = await Promise.all([
    exec({ argv: ['docker', 'info', '--format', INFO_FORMAT], silent: true }),
    exec({ argv: ['docker', 'context', 'show'], silent: true }),
  ]);
  if (info.code !== 0) {
    throw engineUnreachable('builder', info);
  }
  const { driverStatus, buildxVersion } = parseInfo(info.stdout);
  return {
    buildxVersion: buildxVersion ?? (await readBuildxVersion(exec)),
    driverStatus,
    dockerContext: ctx.code === 0 ? ctx.stdout.trim() : 'default',
  };
}

/** Act: create (and append to) the builder if the plan says so, boot it, read its platforms (see inspectLater). */
export async function runBuilder(plan: BuilderPlan, deps: BuilderDeps): Promise<BuilderResult> {
  for (const [i, argv] of plan.create.entries()) {
    const res = await deps.exec({ argv, timeoutMs: PULL_TIMEOUT_MS });
    if (res.code !== 0) {
      const what = i === 0 ? `creating builder ${plan.name} (driver ${plan.driver})` : `appending node ${i} to builder ${plan.name}`;
      throw new StageError('builder', `${what} failed: ${res.stderr.trim() || `exit ${res.code}`}. Check driver, driver-opts, endpoint and append.`);
    }
    if (i === 0 && plan.remove) deps.created(plan.name);
  }
  const described = (driver: string, list: string[]) =>
    `builder ${plan.name}: driver ${driver}, buildx ${plan.buildxVersion}, platforms ${list.join(', ') || '(unknown)'}`;
  if (plan.inspectLater) {
    const inspected = once(() =>
      deps.exec({ argv: plan.inspect, silent: true }).then((res) => {
        if (res.code === 0) return res.stdout;
        deps.log(`builder ${plan.name}: could not list its platforms (${res.stderr.trim() || `exit ${res.code}`})`);
        return '';
      }),
    );
    const platforms = once(() =>
      inspected().then((text) => {
        const list = parseInspectPlatforms(text);
        if (text) deps.log(described(plan.driver, list));
        return list;
      }),
    );
    deps.log(`builder ${plan.name}: driver ${plan.driver} (the current docker context's own builder), buildx ${plan.buildxVersion}`);
    return { ...plan, platforms, inspected };
  }
  // --bootstrap may pull the BuildKit image
  const res = await deps.exec({ argv: plan.inspect, timeoutMs: PULL_TIMEOUT_MS });
  if (res.code !== 0) {
    const existing = plan.create.length === 0;
    throw new StageError(
      'builder',
      existing
        ? `builder ${plan.name} is not available: ${res.stderr.trim() || `exit ${res.code}`}. Check the builder input (docker buildx ls lists builders).`
        : `booting builder ${plan.name} failed: ${res.stderr.trim() || `exit ${res.code}`}. ` +
            (plan.driver === 'docker-container'
              ? 'The docker-container driver pulls moby/buildkit: allow that pull, or point driver-opts image= at a BuildKit image you have.'
              : 'Check driver-opts and endpoint.'),
    );
  }
  // the docker driver of an existing builder may be something else: report what inspect says
  const driverLine = /^\s*Driver:\s*(\S+)/m.exec(res.stdout);
  const driver = (driverLine?.[1] as Driver | undefined) ?? plan.driver;
  const platforms = parseInspectPlatforms(res.stdout);
  deps.log(described(driver, platforms));
  const warning = plan.create.length === 0 ? existingBuilderLoopback(plan.name, inspectedBuilder(res.stdout), plan.loopback) : undefined;
  return { ...plan, driver, warnings: warning ? [...plan.warnings, warning] : plan.warnings, platforms: () => Promise.resolve(platforms), inspected: () => Promise.resolve(res.stdout) };
}
