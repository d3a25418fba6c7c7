/**
 * Pure: which builder to use or create, with the exact argvs, from the probe (probe.ts) and the
 * inputs; and which BuildKit daemon config file the builder reads (one to write, for an inline config).
 * act.ts runs the plan.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { StageError } from '../../errors.js';
import { type AppendNode, type BuilderInputs, type DriverInput, ownBuilderInputs } from '../../inputs/builder.js';
import {
  BUILDX_MINIMUM,
  buildxAtLeast,
  type BuildxFeature,
  DEFAULT_BUILDX_VERSION,
  parseBuildxVersion,
} from '../../inputs/buildx-version.js';
import { loopbackRegistries, planLoopback } from './network.js';
import { firstNodePins, nodeAssignment } from './nodes.js';
import { type BuilderProbe, usesContainerdStore } from './probe.js';

export type Driver = Exclude<DriverInput, 'auto'>;

/**
 * The builder inputs a plan reads; buildkitdConfig is the file the builder reads (the file input,
 * or the inline config's file: see planBuildkitdConfig), buildkitdConfigInline only names the input
 * in the log.
 */
export interface BuilderRequest
  extends
    Pick<
      BuilderInputs,
      'driver' | 'driverOpts' | 'buildkitdFlags' | 'buildkitdConfig' | 'endpoint' | 'append' | 'builder' | 'cleanup'
    >,
    Partial<Pick<BuilderInputs, 'buildkitdConfigInline' | 'keepState' | 'name'>> {
  /** reproducible: rewrite-timestamp, which only a builder this action creates can do (ownBuilderInputs). */
  reproducible?: boolean;
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
  /** What the user should see in the run's annotations (auto choosing a container builder for reproducible). */
  notices?: string[];
  warnings: string[];
  /** Loopback registries of the build: an existing builder is checked against them once inspected. */
  loopback: string[];
}

/** docker/setup-buildx-action's default daemon flags for a builder it creates in a container. */
export const DEFAULT_BUILDKITD_FLAGS =
  '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';

/**
 * The buildx release to install for this job, undefined when the one found will do: the
 * buildx-version input when it is not the one found, else the default release when none was found.
 */
export function buildxToInstall(probe: Pick<BuilderProbe, 'buildxVersion'>, wanted: string): string | undefined {
  const have = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
  const want = wanted || (have ? '' : DEFAULT_BUILDX_VERSION);
  return want && want !== have ? want : undefined;
}

/** The BuildKit daemon config a created builder reads: `path` ('' = none); `write` its text when it is the inline input's. */
export interface BuildkitdConfig {
  path: string;
  write?: string;
}

/** The config file input as it is, or the inline config as a file in the run's temp folder (act.ts writes it). */
export function planBuildkitdConfig(
  inputs: { buildkitdConfig: string; buildkitdConfigInline: string },
  tempDir: string,
): BuildkitdConfig {
  if (!inputs.buildkitdConfigInline.trim()) return { path: inputs.buildkitdConfig };
  return { path: path.join(tempDir, 'buildkitd.toml'), write: inputs.buildkitdConfigInline };
}

/**
 * A builder name unique per job, so jobs running side by side on one self-hosted runner
 * never share or remove each other's builder.
 */
export function uniqueBuilderName(env: NodeJS.ProcessEnv, random: string = randomBytes(4).toString('hex')): string {
  const part = (s: string | undefined) =>
    (s ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20);
  const bits = [
    'multiarch',
    part(env.GITHUB_RUN_ID),
    part(env.GITHUB_RUN_ATTEMPT),
    part(env.GITHUB_JOB),
    random,
  ].filter(Boolean);
  return bits.join('-');
}

/** A builder-name part buildx accepts ([a-zA-Z0-9_.-]), bounded. */
const namePart = (s: string | undefined, max: number) =>
  (s ?? '')
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '')
    .slice(0, max);

/**
 * The same name every run of this repository's job, for keep-state without a name: the
 * builder (and so its state volume, buildx_buildkit_<name>0_state) is found again next run. Jobs
 * of one repository running side by side on one runner (a matrix) would share it: give each a
 * `name` of its own then.
 */
export function stableBuilderName(env: NodeJS.ProcessEnv): string {
  const bits = ['multiarch', namePart(env.GITHUB_REPOSITORY, 60) || 'local', namePart(env.GITHUB_JOB, 30)];
  return bits.filter(Boolean).join('-');
}

/** The builder's name: the name input, else a stable one for keep-state, else one unique per job. */
export function builderNameFor(req: { name?: string; keepState?: boolean }, env: NodeJS.ProcessEnv): string {
  if (req.name) return req.name;
  return req.keepState ? stableBuilderName(env) : uniqueBuilderName(env);
}

/**
 * The builder an earlier step left current, when build-push-action's form would build on it: the
 * step names no builder and sets up none of its own (driver auto, no builder input), and that builder
 * is not a `docker`-driver one (the engine's own, which `auto` finds anyway). undefined otherwise.
 */
export function currentBuilderToUse(
  req: { form: string; builder: string; driver: DriverInput } & Parameters<typeof ownBuilderInputs>[0],
  current: { name: string; driver?: string } | undefined,
): string | undefined {
  if (req.form !== 'build-push-action' || req.builder || req.driver !== 'auto') return undefined;
  if (ownBuilderInputs(req).length > 0 || !current || current.driver === 'docker') return undefined;
  return current.name;
}

/**
 * The driver `auto` resolves to: the engine's own builder on the containerd image store (it
 * builds and keeps multi-platform images), else docker-container; and docker-container whenever an
 * input only a created builder honours is set (`own`: their names), so no input is ever dropped.
 */
export function resolveDriver(driver: DriverInput, containerdStore: boolean, own: string[] = []): Driver {
  if (driver !== 'auto') return driver;
  return containerdStore && own.length === 0 ? 'docker' : 'docker-container';
}

/** The log line saying why `auto` chose what it chose. */
export function autoReason(driver: Driver, containerdStore: boolean, own: string[]): string {
  if (driver === 'docker')
    return "driver auto: docker, the engine's own builder (its containerd image store keeps multi-platform images)";
  if (own.length) {
    return `driver auto: docker-container, a builder this action creates, since ${own.join(', ')} ${own.length > 1 ? 'are' : 'is'} set and the engine's own builder cannot honour ${own.length > 1 ? 'them' : 'it'}`;
  }
  return `driver auto: docker-container, a builder this action creates (the engine uses the ${containerdStore ? 'containerd' : 'classic'} image store${containerdStore ? '' : ', whose docker driver cannot build multi-platform images'})`;
}

function tooOld(version: string, feature: BuildxFeature): StageError {
  const min = BUILDX_MINIMUM[feature];
  return new StageError(
    'builder',
    `buildx ${version} is too old for ${feature}: it needs buildx ${min} or newer. Set buildx-version (e.g. ${DEFAULT_BUILDX_VERSION}) to install a newer release for this job, or upgrade the docker-buildx plugin.`,
  );
}

/** A node's daemon flags: its own, else setup-buildx-action's defaults (the remote driver takes none). */
const nodeFlags = (own: string | undefined, driver: Driver) =>
  own || (driver === 'remote' ? '' : DEFAULT_BUILDKITD_FLAGS);

/** The `--append` argv for one extra node; it gets the same default daemon flags as the first. */
export function appendArgv(name: string, node: AppendNode, driver: Driver = 'docker-container'): string[] {
  const argv = ['docker', 'buildx', 'create', '--name', name, '--append'];
  if (node.name) argv.push('--node', node.name);
  for (const o of node.driverOpts) argv.push('--driver-opt', o);
  const flags = nodeFlags(node.buildkitdFlags, driver);
  if (flags) argv.push('--buildkitd-flags', flags);
  if (node.platforms.length) argv.push('--platform', node.platforms.join(','));
  if (node.endpoint) argv.push(node.endpoint);
  return argv;
}

const inspectArgv = (name: string) => ['docker', 'buildx', 'inspect', '--bootstrap', '--builder', name];

type PlanBase = Pick<BuilderPlan, 'buildxVersion' | 'notes' | 'notices' | 'warnings' | 'loopback'>;

/**
 * Which builder to use or create, with the exact argvs. `reuse`: a builder named `newName`
 * exists (the name input, or keep-state's stable name): it is used as it is, as setup-buildx-action
 * does, and removed by post unless cleanup is false.
 */
export function planBuilder(probe: BuilderProbe, req: BuilderRequest, newName: string, reuse = false): BuilderPlan {
  const version = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
  if (!version) {
    throw new StageError(
      'builder',
      `docker buildx is not installed: set buildx-version (e.g. ${DEFAULT_BUILDX_VERSION}) to install it for this job, or install the buildx CLI plugin (Debian/Ubuntu: docker-buildx).`,
    );
  }
  const base: PlanBase = {
    buildxVersion: version,
    notes: [],
    warnings: [],
    loopback: loopbackRegistries(req.registries ?? []),
  };
  if (req.builder) {
    return {
      ...base,
      name: req.builder,
      driver: 'docker',
      create: [],
      inspect: inspectArgv(req.builder),
      remove: false,
    };
  }
  const containerd = usesContainerdStore(probe.driverStatus);
  const own = ownBuilderInputs(req);
  const driver = resolveDriver(req.driver, containerd, own);
  if (req.driver === 'auto') {
    // reproducible changes what auto picks on a containerd engine: said where the user sees it
    const notice = driver !== 'docker' && containerd && own.includes('reproducible');
    const reason = autoReason(driver, containerd, own);
    if (notice) base.notices = [reason];
    else base.notes.push(reason);
  }
  if (reuse && driver !== 'docker') {
    base.notes.push(
      `builder ${newName} exists: used as it is (its nodes, driver options and daemon flags are the ones it was created with)${req.keepState ? ', with its BuildKit state' : ''}`,
    );
    return { ...base, name: newName, driver, create: [], inspect: inspectArgv(newName), remove: req.cleanup };
  }
  if (driver !== 'docker') return planCreated(base, driver, req, newName);
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

/** A builder this action creates (every driver but docker): its create and append argvs. */
function planCreated(base: PlanBase, driver: Driver, req: BuilderRequest, newName: string): BuilderPlan {
  const version = base.buildxVersion;
  if (!buildxAtLeast(version, '--bootstrap')) throw tooOld(version, '--bootstrap');
  if (driver === 'remote' && !buildxAtLeast(version, 'the remote driver')) throw tooOld(version, 'the remote driver');
  const net = planLoopback(
    driver,
    req.driverOpts,
    [req.endpoint, ...req.append.map((n) => n.endpoint ?? '')].filter(Boolean),
    base.loopback,
  );
  if (net.info) base.notes.push(net.info);
  if (net.warning) base.warnings.push(net.warning);
  // every node this action creates in a container shares the runner's loopback, unless it chose a network
  const withNet = (opts: string[]) =>
    net.driverOpt && !opts.some((o) => /^network=/i.test(o.trim())) ? [...opts, net.driverOpt] : opts;
  const argv = ['docker', 'buildx', 'create', '--name', newName, '--driver', driver];
  for (const o of withNet(req.driverOpts)) argv.push('--driver-opt', o);
  const flags = nodeFlags(req.buildkitdFlags, driver);
  if (flags) argv.push('--buildkitd-flags', flags);
  if (req.buildkitdConfig) {
    argv.push(buildxAtLeast(version, '--buildkitd-config') ? '--buildkitd-config' : '--config', req.buildkitdConfig);
  }
  const pins = firstNodePins(req.platforms ?? [], req.append);
  if (pins.length) {
    argv.push('--platform', pins.join(','));
    base.notes.push(
      `builder ${newName}: ${nodeAssignment(newName, req.platforms ?? [], pins, req.append)} (each node pinned to its platforms)`,
    );
  }
  if (req.endpoint) argv.push(req.endpoint);
  const create = [
    argv,
    ...req.append.map((n) => appendArgv(newName, { ...n, driverOpts: withNet(n.driverOpts) }, driver)),
  ];
  return { ...base, name: newName, driver, create, inspect: inspectArgv(newName), remove: req.cleanup };
}
