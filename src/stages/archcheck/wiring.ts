/**
 * The arch check stage over the Run, after the build: read the image (the registry's copy when
 * pushed, else what the build itself exported for it, see export.ts), judge each platform's ELF
 * files, report.
 */
import { errorMessage } from '../../errors.js';
import { once } from '../../ports/once.js';
import { readLimits } from '../../ports/registry-read.js';
import { actDeps, type Run } from '../../run/run.js';
import { parseInspectNodes } from '../builder/nodes.js';
import type { Builder } from '../builder/wiring.js';
import { preflightModule, readDockerfile } from '../preflight/wiring.js';
import type { ArchCheckDeps } from './act.js';
import { type CheckExportPlan, planCheckExport } from './export.js';
import type { PlatformVerdict } from './plan.js';

/** The arch check's act: tar-stream, zlib streams and picomatch, used after the build only. */
const archCheckModule = once(() => import('./act.js'));

/** What the build left to check: the pushed index (ref@digest), or what it exported for the check. */
export interface ArchCheckImage {
  /** The image's name (a pushed tag, else the first image). */
  ref?: string;
  digest: string;
  pushed: boolean;
  /** Unpushed: the build's export for the check (planCheckExport), or why there is none. */
  local?: CheckExportPlan;
}

/**
 * What the build adds for the arch check of an unpushed build (export.ts). A builder with several
 * nodes (append, or an existing one) may build each platform elsewhere: it exports folders.
 */
export async function planArchCheckExport(run: Run, builder: Builder): Promise<CheckExportPlan> {
  const { inputs } = run;
  const multiNode =
    builder.driver !== 'docker' &&
    (inputs.append.length > 0 || parseInspectNodes(await builder.inspected()).length > 1);
  return planCheckExport({
    archCheck: inputs.archCheck,
    pushed: run.push.enabled,
    call: inputs.call,
    driver: builder.driver,
    multiNode,
    buildxVersion: builder.buildxVersion,
    classicStore: builder.containerdStore === false,
    platforms: inputs.platforms,
    load: inputs.load,
    outputs: inputs.outputs,
    tempDir: run.tempDir,
  });
}

/** The base images the Dockerfile names (preflight's plan), whose layers the default arch check leaves out. */
async function baseRefs(run: Run): Promise<string[]> {
  const { inputs } = run;
  // preflight's rule: a Dockerfile linked out of the workspace is not read
  const text = inputs.file ? readDockerfile(run).text : undefined;
  if (text === undefined) return [];
  const { planPreflight } = await preflightModule();
  return [...new Set(planPreflight(text, inputs.buildArgs, inputs.platforms).checks.map((c) => c.ref))];
}

function archCheckDeps(run: Run): ArchCheckDeps {
  return {
    ...actDeps(run),
    registry: {
      fetch: (...args) => fetch(...args),
      exec: run.exec,
      readFile: (p) => run.files.readFile(p),
      dockerConfig: run.dockerConfig,
      limits: readLimits(run.env),
    },
  };
}

/**
 * Before an unpushed build that writes an OCI layout folder for the check: read the base images'
 * layer digests and seed each as an empty blob there, so the build does not send the base image
 * to the runner (export.ts). A base that cannot be read is only sent and left out as before.
 */
export async function seedArchCheckExport(run: Run, check: CheckExportPlan | undefined): Promise<void> {
  const exp = check?.export;
  if (exp?.kind !== 'layout' || run.inputs.archCheck !== 'true') return;
  await run.timed('arch-check bases', async () => {
    const { baseLayers, seedBaseBlobs } = await archCheckModule();
    const layers = await baseLayers(await baseRefs(run), run.inputs.platforms, archCheckDeps(run));
    const seeded = seedBaseBlobs(exp.path, layers);
    exp.bases = layers;
    run.host.info(`arch-check: ${seeded.size} base image layer(s) the build need not export`);
  });
}

/** Read and judge every platform; throws when the image cannot be read. */
async function checkImage(run: Run, img: ArchCheckImage, ad: ArchCheckDeps): Promise<PlatformVerdict[]> {
  const { inputs, host } = run;
  const { baseLayers, checkExported, checkPushed, ignoreMatcher, unwrittenBases } = await archCheckModule();
  const bases = inputs.archCheck === 'full' ? [] : await baseRefs(run);
  const exported = img.local?.export;
  // a folder export has no layers: its base files are told apart by path instead (checkExported);
  // a seeded layout's bases were read before the build, and are exactly what it leaves out
  const skip =
    exported?.kind === 'files'
      ? new Set<string>()
      : (exported?.bases ?? (await baseLayers(bases, inputs.platforms, ad)));
  if (exported?.kind === 'layout' && exported.bases?.size)
    host.info(
      `arch-check: ${unwrittenBases(exported.path, exported.bases)} of ${exported.bases.size} base image layer(s) left unwritten by the build`,
    );
  const target = { platforms: inputs.platforms, skip, bases, ignore: ignoreMatcher(inputs.archCheckIgnore) };
  const found = exported
    ? await checkExported(exported, target, ad)
    : await checkPushed(img.ref!, img.digest, target, ad);
  for (const v of found)
    host.info(
      `arch-check ${v.platform}: ${v.checked} ELF file(s) in ${v.files} file(s), ${v.layersTotal ? `${v.layersRead} of ${v.layersTotal} layer(s)` : "the build's files"} read, ${v.wrong.length} for another architecture`,
    );
  return found;
}

/**
 * The arch check (arch-check). Its summary section goes on the run's report before a failure
 * naming the wrong files is thrown; an image that cannot be read is a warning, not a failure.
 */
export async function archCheckStage(run: Run, img: ArchCheckImage): Promise<void> {
  const { host, inputs } = run;
  const mode = inputs.archCheck;
  if (mode === 'false') return;
  if (img.pushed ? !img.ref || !img.digest : !img.local?.export) {
    const why = img.local?.skipped ?? 'nothing pushed by digest, nothing exported by the build';
    host.info(`arch-check: skipped, there is no image to read (${why})`);
    return;
  }
  const ad = archCheckDeps(run);
  // loaded before the try: a bundle that cannot load its chunk is a failure, not "could not read the image"
  const { archCheckFailure, archCheckSummary } = await archCheckModule();
  let verdicts: PlatformVerdict[];
  try {
    verdicts = await run.timed('arch-check', () => checkImage(run, img, ad));
  } catch (err) {
    // a check that cannot read the image says so; it does not fail a build that succeeded
    host.warning(`arch-check: could not read the image, not checked: ${errorMessage(err)}`);
    return;
  } finally {
    // the export is only for the check (post removes the run's temp folder anyway)
    if (img.local?.export) run.files.remove(img.local.export.path);
  }
  for (const v of verdicts) for (const u of v.unreadable) host.warning(`arch-check ${v.platform}: ${u}; not checked`);
  run.report.verification += archCheckSummary(verdicts, mode);
  const failure = archCheckFailure(verdicts);
  if (failure && inputs.archCheckWarnOnly) {
    host.warning(
      `${errorMessage(failure)} (a warning: arch-check is unset in build-push-action's form; set it to true to fail)`,
    );
  } else if (failure) throw failure;
}
