/**
 * The arch check stage over the Run, after the build: read the image (the registry's copy when
 * pushed, else what the build itself exported for it, see export.ts), judge each platform's ELF
 * files, report.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { errorMessage, StageError } from '../../errors.js';
import { once } from '../../ports/once.js';
import { readLimits } from '../../ports/registry-read.js';
import { actDeps, type Run } from '../../run/run.js';
import { parseInspectNodes } from '../builder/nodes.js';
import type { Builder } from '../builder/wiring.js';
import { preflightModule, readDockerfile } from '../preflight/wiring.js';
import type { ArchCheckDeps, LayerMemo } from './act.js';
import { readRecordFile, RECORD_FILE, type RecordPlace, writeRecordFile } from './act-record.js';
import { type CheckExportPlan, planCheckExport } from './export.js';
import type { PlatformVerdict } from './plan.js';
import { type LayerRecord, mergeRecords, recordedScans, updateRecord } from './record.js';

/** The arch check's act: tar-stream, zlib streams and picomatch, used after the build only. */
const archCheckModule = once(() => import('./act.js'));

/**
 * Where the record of checked layers (record.ts) lives: the local layer cache folder (restored
 * before the build, saved after the check), so a fresh runner that restores the cache has it; and
 * the host's tool cache folder, which outlives the run on a machine that keeps the engine's cache.
 * Read from each (union), written to each.
 */
export interface RecordPlaces {
  read: RecordPlace[];
  write: RecordPlace[];
}

/**
 * The host folder's record: one a repository, since every repository and job of a self-hosted
 * runner shares the tool cache and one repository's record must not judge another's layers.
 */
function hostPlace(run: Run): RecordPlace | undefined {
  const tools = run.env.RUNNER_TOOL_CACHE;
  if (!tools) return undefined;
  const repo = run.env.GITHUB_REPOSITORY;
  const scope = repo ? createHash('sha256').update(repo).digest('hex') : 'local';
  const root = path.join(tools, 'multiarch-action');
  return { file: path.join(root, 'arch-check', scope, 'record.json.gz'), privateFrom: root };
}

/** The record's places: the layer cache folders (the cache stage's, when it has them) and the host folder. */
export function recordPlaces(run: Run, layerCache?: { restored?: string; saved?: string }): RecordPlaces {
  const host = hostPlace(run);
  const inCache = (dir?: string): RecordPlace | undefined => (dir ? { file: path.join(dir, RECORD_FILE) } : undefined);
  const only = (places: (RecordPlace | undefined)[]) => places.filter((p): p is RecordPlace => !!p);
  return { read: only([inCache(layerCache?.restored), host]), write: only([inCache(layerCache?.saved), host]) };
}

/** The record from every place it is read from, as one. */
function readRecord(run: Run, places: RecordPlaces | undefined): LayerRecord {
  const log = (m: string) => run.host.info(m);
  return mergeRecords(...(places?.read ?? []).map((f) => readRecordFile(f, log, run.now())));
}

/** What the build left to check: the pushed index (ref@digest), or what it exported for the check. */
export interface ArchCheckImage {
  /** The image's name (a pushed tag, else the first image). */
  ref?: string;
  digest: string;
  pushed: boolean;
  /** Unpushed: the build's export for the check (planCheckExport), or why there is none. */
  local?: CheckExportPlan;
  /** Where the record of checked layers is read from and written to. */
  record?: RecordPlaces;
}

/** What the check found, reported at verify's place (reportArchCheck): its summary section and failure. */
export interface ArchCheckOutcome {
  section: string;
  failure?: Error;
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
    mark: randomBytes(8).toString('hex'),
    reproducible: inputs.reproducible,
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
 * Before an unpushed build that writes an OCI layout folder for the check: seed each base image
 * layer (read from the registry) and each layer of the record of checked layers as an empty blob
 * there, so the build sends neither to the runner (export.ts). A base that cannot be read is only
 * sent and left out as before.
 */
export async function seedArchCheckExport(
  run: Run,
  check: CheckExportPlan | undefined,
  places?: RecordPlaces,
): Promise<void> {
  const exp = check?.export;
  if (exp?.kind !== 'layout' || run.inputs.archCheck === 'false') return;
  await run.timed('arch-check bases', async () => {
    const { baseLayers, seedPlaceholders } = await archCheckModule();
    if (run.inputs.archCheck === 'true') {
      const layers = await baseLayers(await baseRefs(run), run.inputs.platforms, archCheckDeps(run));
      const seeded = seedPlaceholders(exp.path, layers);
      exp.bases = layers;
      run.host.info(`arch-check: ${seeded.size} base image layer(s) the build need not export`);
    }
    exp.record = readRecord(run, places);
    exp.recordFiles = places?.read.map((p) => p.file);
    exp.recordSeeded = seedPlaceholders(
      exp.path,
      [...exp.record.keys()].filter((d) => !exp.bases?.has(d)),
    );
    if (exp.record.size)
      run.host.info(
        `arch-check: ${exp.recordSeeded.size} layer(s) of the record of checked layers the build need not export`,
      );
  });
}

/** Read and judge every platform; throws when the image cannot be read. */
async function checkImage(run: Run, img: ArchCheckImage, ad: ArchCheckDeps): Promise<PlatformVerdict[]> {
  const { inputs, host } = run;
  const { baseLayers, checkExported, checkPushed, ignoreMatcher, unwrittenPlaceholders } = await archCheckModule();
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
      `arch-check: ${unwrittenPlaceholders(exported.path, exported.bases)} of ${exported.bases.size} base image layer(s) left unwritten by the build`,
    );
  if (exported?.kind === 'layout' && exported.recordSeeded?.size)
    host.info(
      `arch-check: ${unwrittenPlaceholders(exported.path, exported.recordSeeded)} of ${exported.recordSeeded.size} recorded layer(s) left unwritten by the build`,
    );
  // a folder export has no layers to record
  const record = exported?.kind === 'files' ? undefined : (exported?.record ?? readRecord(run, img.record));
  const memo: LayerMemo | undefined = record && {
    recorded: recordedScans(record),
    read: new Map(),
    used: new Set(),
  };
  const target = { platforms: inputs.platforms, skip, bases, ignore: ignoreMatcher(inputs.archCheckIgnore), memo };
  const found = exported
    ? await checkExported(exported, target, ad)
    : await checkPushed(img.ref!, img.digest, target, ad);
  for (const v of found) host.info(`arch-check ${v.platform}: ${verdictLine(v)}`);
  if (record && memo && (memo.read.size || memo.used.size)) {
    const updated = updateRecord(record, memo.read, memo.used, run.now());
    for (const f of img.record?.write ?? []) writeRecordFile(f, updated, (m) => host.info(m));
  }
  return found;
}

function verdictLine(v: PlatformVerdict): string {
  const recorded = v.layersRecorded ? `, ${v.layersRecorded} from the record of checked layers` : '';
  const layers = v.layersTotal
    ? `${v.layersRead} of ${v.layersTotal} layer(s) read${recorded}`
    : "the build's files read";
  return `${v.checked} ELF file(s) in ${v.files} file(s), ${layers}, ${v.wrong.length} for another architecture`;
}

/**
 * The arch check (arch-check), right after the build and before the layer cache is saved (the
 * record of checked layers travels with the cache). Its summary section and failure are returned
 * for reportArchCheck; an image that cannot be read is a warning, not a failure, but a placeholder
 * seeded in place of the image's own JSON (a StageError from the act) is one.
 */
export async function archCheckStage(run: Run, img: ArchCheckImage): Promise<ArchCheckOutcome | undefined> {
  const { host, inputs } = run;
  const mode = inputs.archCheck;
  if (mode === 'false') return undefined;
  if (img.pushed ? !img.ref || !img.digest : !img.local?.export) {
    const why = img.local?.skipped ?? 'nothing pushed by digest, nothing exported by the build';
    host.info(`arch-check: skipped, there is no image to read (${why})`);
    return undefined;
  }
  const ad = archCheckDeps(run);
  // loaded before the try: a bundle that cannot load its chunk is a failure, not "could not read the image"
  const { archCheckFailure, archCheckSummary } = await archCheckModule();
  let verdicts: PlatformVerdict[];
  try {
    verdicts = await run.timed('arch-check', () => checkImage(run, img, ad));
  } catch (err) {
    // a StageError is the check's own finding (a placeholder took the place of the image's JSON), a failure
    if (err instanceof StageError) return { section: '', failure: err };
    // a check that cannot read the image says so; it does not fail a build that succeeded
    host.warning(`arch-check: could not read the image, not checked: ${errorMessage(err)}`);
    return undefined;
  } finally {
    // the export is only for the check (post removes the run's temp folder anyway)
    if (img.local?.export) run.files.remove(img.local.export.path);
  }
  for (const v of verdicts) for (const u of v.unreadable) host.warning(`arch-check ${v.platform}: ${u}; not checked`);
  return { section: archCheckSummary(verdicts, mode), failure: archCheckFailure(verdicts) };
}

/** The check's summary section on the run's report, then its failure (a warning in build-push-action's form). */
export function reportArchCheck(run: Run, outcome: ArchCheckOutcome | undefined): void {
  if (!outcome) return;
  run.report.verification += outcome.section;
  const { failure } = outcome;
  if (failure && run.inputs.archCheckWarnOnly) {
    run.host.warning(
      `${errorMessage(failure)} (a warning: arch-check is unset in build-push-action's form; set it to true to fail)`,
    );
  } else if (failure) throw failure;
}
