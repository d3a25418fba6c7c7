/**
 * Act: probe the engine and buildx, write the inline BuildKit config, then create (and append to),
 * boot and inspect the builder the plan (plan.ts) names, all through the gateway.
 */
import { commandProblem, engineUnreachable, StageError } from '../../errors.js';
import { type ActDeps, type Exec, type ExecResult, PULL_TIMEOUT_MS } from '../../ports/exec.js';
import type { Files } from '../../ports/files.js';
import { once } from '../../ports/once.js';
import { existingBuilderLoopback, inspectedBuilder } from './network.js';
import type { BuilderPlan, BuildkitdConfig, Driver } from './plan.js';
import { type BuilderProbe, INFO_FORMAT, inspectedDriver, parseInfo, parseInspectPlatforms } from './probe.js';

export interface BuilderDeps extends ActDeps {
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

/** Act: whether a builder of that name exists (`docker buildx inspect` without --bootstrap starts nothing). */
export async function builderExists(exec: Exec, name: string): Promise<boolean> {
  const res = await exec({ argv: ['docker', 'buildx', 'inspect', '--builder', name], silent: true });
  return res.code === 0;
}

/**
 * Act: make `name` the current builder of the job's later steps (`docker buildx use`, as
 * setup-buildx-action's use: true), returning the builder that was current before (its name from
 * `docker buildx inspect`), undefined when it could not be read or is the same.
 */
export async function useBuilder(exec: Exec, name: string): Promise<{ previous?: string }> {
  const before = await exec({ argv: ['docker', 'buildx', 'inspect'], silent: true });
  const previous =
    before.code === 0 ? /^Name:\s*([a-zA-Z0-9][a-zA-Z0-9._-]*)\s*$/m.exec(before.stdout)?.[1] : undefined;
  const argv = ['docker', 'buildx', 'use', '--', name];
  const res = await exec({ argv, silent: true });
  if (res.code !== 0) {
    throw new StageError(
      'builder',
      `making builder ${name} the current one (use: true) failed: ${commandProblem(argv, res)}`,
    );
  }
  return { previous: previous === name ? undefined : previous };
}

/**
 * Act: buildx's current builder (an earlier setup-buildx-action step's, `use: true` there by default):
 * its name and driver from `docker buildx inspect`, undefined when that fails or names none.
 */
export async function currentBuilder(
  exec: Exec,
): Promise<{ name: string; driver?: string; endpoint?: string } | undefined> {
  const res = await exec({ argv: ['docker', 'buildx', 'inspect'], silent: true });
  const name = res.code === 0 ? /^Name:\s*([a-zA-Z0-9][a-zA-Z0-9._-]*)\s*$/m.exec(res.stdout)?.[1] : undefined;
  // the first node's endpoint, only to name where the build goes; read on its own line (an empty
  // one is none, not the next line), shown through the notice's own escaping (see currentToUse)
  const endpoint = /^Endpoint:[ \t]*(\S+)[ \t]*$/m.exec(res.stdout)?.[1];
  return name ? { name, driver: inspectedDriver(res.stdout), endpoint } : undefined;
}

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

/**
 * Act: write the inline BuildKit config where the plan put it. A dry run writes it too (as it always
 * has): it is the run's own temp file, and its mirrors were read for the plan.
 */
export function writeBuildkitdConfig(config: BuildkitdConfig, files: Pick<Files, 'writeFile'>): void {
  if (config.write !== undefined) files.writeFile(config.path, config.write, 0o644);
}

/** Act: create (and append to) the builder if the plan says so, boot it, read its platforms (see inspectLater). */
export async function runBuilder(plan: BuilderPlan, deps: BuilderDeps): Promise<BuilderResult> {
  await createNodes(plan, deps);
  if (plan.inspectLater) return inspectLater(plan, deps);
  // --bootstrap may pull the BuildKit image
  const res = await deps.exec({ argv: plan.inspect, timeoutMs: PULL_TIMEOUT_MS });
  if (res.code !== 0) throw bootFailure(plan, res);
  // the docker driver of an existing builder may be something else: report what inspect says
  const driver = (inspectedDriver(res.stdout) as Driver | undefined) ?? plan.driver;
  const platforms = parseInspectPlatforms(res.stdout);
  deps.log(described(plan, driver, platforms));
  const warning =
    plan.create.length === 0
      ? existingBuilderLoopback(plan.name, inspectedBuilder(res.stdout), plan.loopback)
      : undefined;
  return {
    ...plan,
    driver,
    warnings: warning ? [...plan.warnings, warning] : plan.warnings,
    platforms: () => Promise.resolve(platforms),
    inspected: () => Promise.resolve(res.stdout),
  };
}

/** The builder, then each appended node; the builder is recorded for post as soon as it exists. */
async function createNodes(plan: BuilderPlan, deps: BuilderDeps): Promise<void> {
  // a named builder found (reused): post removes it as one created here, unless cleanup is false
  if (plan.create.length === 0 && plan.remove) deps.created(plan.name);
  for (const [i, argv] of plan.create.entries()) {
    const res = await deps.exec({ argv, timeoutMs: PULL_TIMEOUT_MS });
    if (res.code !== 0) {
      const what =
        i === 0
          ? `creating builder ${plan.name} (driver ${plan.driver})`
          : `appending node ${i} to builder ${plan.name}`;
      throw new StageError(
        'builder',
        `${what} failed: ${commandProblem(argv, res)}. Check driver, driver-opts, endpoint and append.`,
      );
    }
    if (i === 0 && plan.remove) deps.created(plan.name);
  }
}

const described = (plan: BuilderPlan, driver: string, list: string[]) =>
  `builder ${plan.name}: driver ${driver}, buildx ${plan.buildxVersion}, platforms ${list.join(', ') || '(unknown)'}`;

/** The context's own builder: the stage ends now; its inspect runs on the first platforms() or inspected() call. */
function inspectLater(plan: BuilderPlan, deps: BuilderDeps): BuilderResult {
  const inspected = once(() =>
    deps.exec({ argv: plan.inspect, silent: true }).then((res) => {
      if (res.code === 0) return res.stdout;
      deps.log(`builder ${plan.name}: could not list its platforms (${commandProblem(plan.inspect, res)})`);
      return '';
    }),
  );
  const platforms = once(() =>
    inspected().then((text) => {
      const list = parseInspectPlatforms(text);
      if (text) deps.log(described(plan, plan.driver, list));
      return list;
    }),
  );
  deps.log(
    `builder ${plan.name}: driver ${plan.driver} (the current docker context's own builder), buildx ${plan.buildxVersion}`,
  );
  return { ...plan, platforms, inspected };
}

/** The inspect --bootstrap failed: an existing builder is not there, a created one did not boot. */
function bootFailure(plan: BuilderPlan, res: ExecResult): StageError {
  const problem = commandProblem(plan.inspect, res);
  if (plan.create.length === 0) {
    return new StageError(
      'builder',
      `builder ${plan.name} is not available: ${problem}. Check the builder input (docker buildx ls lists builders).`,
    );
  }
  return new StageError(
    'builder',
    `booting builder ${plan.name} failed: ${problem}. ` +
      (plan.driver === 'docker-container'
        ? 'The docker-container driver pulls moby/buildkit: allow that pull, or point driver-opts image= at a BuildKit image you have.'
        : 'Check driver-opts and endpoint.'),
  );
}
