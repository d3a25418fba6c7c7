/**
 * The arch check stage over the Run, after the build: read the image (the registry's copy when
 * pushed, a cached re-export of the build otherwise), judge each platform's ELF files, report.
 */
import { errorMessage } from '../../errors.js';
import { once } from '../../ports/once.js';
import { readLimits } from '../../ports/registry-read.js';
import { actDeps, type Run } from '../../run/run.js';
import { preflightModule } from '../preflight/wiring.js';
import type { ArchCheckDeps } from './act.js';
import type { PlatformVerdict } from './plan.js';

/** The arch check's act: tar-stream, zlib streams and picomatch, used after the build only. */
const archCheckModule = once(() => import('./act.js'));

/** What the build left to check: the pushed index (ref@digest), or the build itself to re-export. */
export interface ArchCheckImage {
  /** The image's name (a pushed tag, else the first image). */
  ref?: string;
  digest: string;
  pushed: boolean;
  /** The build's argv and extra env (an unpushed build is re-exported from its cache). */
  build?: { argv: string[]; env?: Record<string, string> };
}

/** The base images the Dockerfile names (preflight's plan), whose layers the default arch check leaves out. */
async function baseRefs(run: Run): Promise<string[]> {
  const { inputs } = run;
  const text = inputs.file ? run.files.readFile(inputs.file) : undefined;
  if (text === undefined) return [];
  const { planPreflight } = await preflightModule();
  return [...new Set(planPreflight(text, inputs.buildArgs, inputs.platforms).checks.map((c) => c.ref))];
}

/** Read and judge every platform; throws when the image cannot be read. */
async function checkImage(run: Run, img: ArchCheckImage, ad: ArchCheckDeps): Promise<PlatformVerdict[]> {
  const { inputs, host } = run;
  const { baseLayers, checkLocal, checkPushed, ignoreMatcher } = await archCheckModule();
  const bases = inputs.archCheck === 'full' ? [] : await baseRefs(run);
  const skip = await baseLayers(bases, inputs.platforms, ad);
  const target = { platforms: inputs.platforms, skip, ignore: ignoreMatcher(inputs.archCheckIgnore) };
  const found = img.pushed
    ? await checkPushed(img.ref!, img.digest, target, ad)
    : await checkLocal(img.build!.argv, target, ad, img.build!.env);
  for (const v of found)
    host.info(
      `arch-check ${v.platform}: ${v.checked} ELF file(s) in ${v.files} file(s), ${v.layersRead} of ${v.layersTotal} layer(s) read, ${v.wrong.length} for another architecture`,
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
  if (img.pushed ? !img.ref || !img.digest : !img.build) {
    host.info('arch-check: skipped, there is no image to read (nothing pushed by digest, no build to re-export)');
    return;
  }
  const ad: ArchCheckDeps = {
    ...actDeps(run),
    registry: {
      fetch: (...args) => fetch(...args),
      exec: run.exec,
      readFile: (p) => run.files.readFile(p),
      dockerConfig: run.dockerConfig,
      limits: readLimits(run.env),
    },
  };
  // loaded before the try: a bundle that cannot load its chunk is a failure, not "could not read the image"
  const { archCheckFailure, archCheckSummary } = await archCheckModule();
  let verdicts: PlatformVerdict[];
  try {
    verdicts = await run.timed('arch-check', () => checkImage(run, img, ad));
  } catch (err) {
    // a check that cannot read the image says so; it does not fail a build that succeeded
    host.warning(`arch-check: could not read the image, not checked: ${errorMessage(err)}`);
    return;
  }
  for (const v of verdicts) for (const u of v.unreadable) host.warning(`arch-check ${v.platform}: ${u}; not checked`);
  run.report.verification += archCheckSummary(verdicts, mode);
  const failure = archCheckFailure(verdicts);
  if (failure) throw failure;
}
