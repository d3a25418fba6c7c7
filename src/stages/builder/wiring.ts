import { clipLongWords } from '../../errors.js';
import type { Exec } from '../../ports/exec.js';
import { toolCacheModule } from '../../ports/lazy.js';
import { actDeps, type Run } from '../../run/run.js';
import { visibleControls } from '../../run/summary.js';
import {
  builderExists,
  type BuilderResult,
  currentBuilder,
  probeBuilder,
  readBuildxVersion,
  runBuilder,
  useBuilder,
  writeBuildkitdConfig,
} from './act.js';
import { installBuildx } from './act-buildx-install.js';
import { buildRegistryRefs, configMirrors } from './network.js';
import { parseInspectNodes } from './nodes.js';
import { builderNameFor, buildxToInstall, currentBuilderToUse, planBuilder, planBuildkitdConfig } from './plan.js';
import { type BuilderProbe, usesContainerdStore } from './probe.js';

/** The builder, and whether the engine's image store is containerd's (it holds multi-platform images). */
export type Builder = BuilderResult & { containerdStore?: boolean };

/**
 * Find (or install) buildx, then use, create or reuse the builder; outputs builder, driver, and
 * builder-platforms when the result's `platforms()` answers (call it once, before the step ends).
 * `whileWaiting` runs once the first probe has answered (all of them are started by then, the
 * slowest still out): CPU work placed there overlaps with the engine's.
 */
export async function builderStage(run: Run, whileWaiting: () => void = () => undefined): Promise<Builder> {
  const exec = afterFirstAnswer(run.exec, whileWaiting);
  const builder = await run.timed('builder', () => setUpBuilder(run, exec));
  run.host.setOutput('builder', builder.name);
  // setup-buildx-action's output name for the same builder
  run.host.setOutput('name', builder.name);
  run.host.setOutput('driver', builder.driver);
  return { ...builder, platforms: () => platformOutputs(run, builder) };
}

/** The run's gateway, calling `then` once, when its first command has answered. */
function afterFirstAnswer(exec: Exec, then: () => void): Exec {
  let waiting: (() => void) | undefined = then;
  return async (req) => {
    const res = await exec(req);
    waiting?.();
    waiting = undefined;
    return res;
  };
}

/** Probe → plan (buildx, the daemon config, the builder) → act (install, write, create and boot). */
async function setUpBuilder(run: Run, exec: Exec): Promise<Builder> {
  const { inputs, host } = run;
  const probe = await ensureBuildx(run, exec, await probeBuilder(exec));
  host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
  const config = planBuildkitdConfig(inputs, run.tempDir);
  // registry mirrors in the daemon config are registries BuildKit talks to as well
  const mirrors = config.path ? configMirrors(config.write ?? run.files.readFile(config.path) ?? '') : [];
  const name = builderNameFor(inputs, run.env);
  const current = await currentToUse(run, exec);
  // a named builder (name, or keep-state's stable name) is reused when it exists, as setup-buildx-action does
  const reuse = !inputs.builder && (inputs.name !== '' || inputs.keepState) && (await builderExists(exec, name));
  const plan = planBuilder(
    probe,
    {
      ...inputs,
      builder: inputs.builder || (current ?? ''),
      buildkitdConfig: config.path,
      registries: [...buildRegistryRefs(inputs), ...mirrors],
    },
    name,
    reuse,
  );
  for (const n of plan.notes) host.info(n);
  for (const n of plan.notices ?? []) (host.notice ?? host.info).call(host, n);
  writeBuildkitdConfig(config, run.files);
  // a dry run only printed `buildx create`: recording the name would make post remove (and warn
  // about) a builder that never existed, or one of the same name that someone else made
  const created = (name: string) =>
    inputs.dryRun
      ? host.info(`dry-run: builder ${name} was not created, post has nothing to remove`)
      : run.state.update({ builder: name, ...(inputs.keepState ? { keepState: true } : {}) });
  const result = await runBuilder(plan, { ...actDeps({ exec, host }), created });
  for (const w of result.warnings) host.warning(w);
  if (inputs.use && !inputs.dryRun) await makeCurrent(run, exec, result);
  return { ...result, containerdStore: usesContainerdStore(probe.driverStatus) };
}

/**
 * build-push-action's form builds on the builder an earlier step (setup-buildx-action) left current,
 * as build-push-action does; asked only when the step sets up no builder of its own.
 */
async function currentToUse(run: Run, exec: Exec): Promise<string | undefined> {
  // the inputs alone rule it out (any builder would be refused): no inspect
  if (currentBuilderToUse(run.inputs, { name: '?' }) === undefined) return undefined;
  const current = await currentBuilder(exec);
  const name = currentBuilderToUse(run.inputs, current);
  // a notice, not a line of the log: the build, its secrets and the push go to a builder this step
  // did not set up (on a self-hosted runner, possibly another job's), so say which and where
  if (name)
    (run.host.notice ?? run.host.info).call(
      run.host,
      `builder ${shown(name)} (driver ${shown(current?.driver ?? 'unknown')}${current?.endpoint ? `, endpoint ${shown(current.endpoint)}` : ''}): the current builder, an earlier step's (e.g. setup-buildx-action), as build-push-action uses it; set builder or driver to choose another`,
    );
  return name;
}

/** A word `docker buildx inspect` printed, as one short line in the notice: controls visible, a long one clipped. */
function shown(word: string): string {
  return clipLongWords(visibleControls(word), 80);
}

/** use: true: the builder is the job's current one; post puts the previous back when it removes this one. */
async function makeCurrent(run: Run, exec: Exec, builder: BuilderResult): Promise<void> {
  const { previous } = await useBuilder(exec, builder.name);
  run.host.info(
    `builder ${builder.name} is now the current builder for the job's later steps (use: true)${previous ? `; it was ${previous}` : ''}`,
  );
  if (previous && builder.remove) run.state.update({ previousBuilder: previous });
}

/** The probe, with buildx installed first when buildx-version (or its absence) asks for a release it lacks. */
async function ensureBuildx(run: Run, exec: Exec, probe: BuilderProbe): Promise<BuilderProbe> {
  const { inputs, host } = run;
  const want = buildxToInstall(probe, inputs.buildxVersion);
  if (!want) return probe;
  if (inputs.dryRun) {
    host.info(`dry-run: would install buildx ${want} from ${inputs.buildxDownloadUrl}`);
    return probe;
  }
  const { createToolCache } = await toolCacheModule();
  await installBuildx(
    {
      version: want,
      baseUrl: inputs.buildxDownloadUrl,
      auth: inputs.buildxDownloadAuth,
      tempDir: run.tempDir,
      dockerConfig: run.dockerConfig,
      cache: inputs.cacheBinary,
    },
    createToolCache(),
    (m) => host.info(m),
  );
  // a new CLI plugin changes neither the engine nor the context: only buildx's answer is new
  return { ...probe, buildxVersion: await readBuildxVersion(exec) };
}

/** builder-platforms and nodes (setup-buildx-action's JSON, two-space indented), once the inspect answers. */
async function platformOutputs(run: Run, builder: BuilderResult): Promise<string[]> {
  const [list, text] = await Promise.all([builder.platforms(), builder.inspected()]);
  run.host.setOutput('builder-platforms', list.join(','));
  run.host.setOutput('nodes', JSON.stringify(parseInspectNodes(text), undefined, 2));
  return list;
}
