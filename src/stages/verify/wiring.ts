import type { BuildPlan } from '../build/wiring.js';
import type { CacheStep } from '../cache/wiring.js';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { errorMessage } from '../../errors.js';
import type { Deps } from '../../ports/deps.js';
import type { Exec } from '../../ports/exec.js';
import type { Run } from '../../run/run.js';
import { needsSmokeLoad, planSmokeLoad, smokeLoadTag } from './smoke-load.js';
/**
 * The verification area's hooks into the pipeline: preflight before the build, a retrying
 * exec for the build when it pushes, and verify + smoke test after it. Kept here so
 * pipeline.ts only calls three functions.
 */
import { randomUUID } from 'node:crypto';
import type { VerifyInputs } from '../../inputs/verify.js';
import type { Host } from '../../ports/host.js';
import { once } from '../../ports/once.js';
import { preflightModule } from '../preflight/wiring.js';
import type { ArchCheckDeps } from '../archcheck/act.js';
import type { PlatformVerdict } from '../archcheck/plan.js';
import { emulationNotice, platformTimes, timesSummary } from '../archcheck/times.js';
import { loadForSmoke, removeSmokeImages } from './smoke-load.js';
import { runSmoke, smokeFailure, smokeSummary, smokeTarget, type SmokeTarget } from './smoke.js';
import { runVerify } from './verify.js';

/** The arch check: tar-stream, zlib streams and picomatch, used after the build only. */
const archCheckModule = once(() => import('../archcheck/act.js'));

type Stage = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface AfterBuildArgs {
  inputs: VerifyInputs & { platforms: string[]; file?: string; buildArgs?: string[]; images?: string[] };
  refs: string[];
  digest: string;
  pushed: boolean;
  /** Load each platform into the engine first (a builder that keeps its results, see smoke-load.ts). */
  smokeLoad?: { argvs: Record<string, string[]>; tags: Record<string, string>; env?: Record<string, string> };
  /** The build's argv and extra env (the arch check re-exports an unpushed build from its cache). */
  build?: { argv: string[]; env?: Record<string, string> };
  /** The run's DOCKER_CONFIG (registry credentials for the arch check). */
  dockerConfig?: string;
  /** buildx's progress output and the platforms native to the builder's nodes (the time report). */
  times?: { log: string; nativePlatforms: string[] };
}

/** After the build: verify the pushed tags, then the smoke test. Returns markdown for the summary. */
export async function afterBuildStages(deps: Deps, exec: Exec, stage: Stage, a: AfterBuildArgs): Promise<string> {
  const { host } = deps;
  let summary = a.times ? timesStage(host, a.inputs.platforms, a.times) : '';
  let manifests: Record<string, string> = {};
  if (a.pushed && a.inputs.verify && a.refs.length) {
    manifests = await stage('verify', () => runVerify(a.refs, a.inputs.platforms, { exec, log: (m) => host.info(m) }));
    host.setOutput('manifests', JSON.stringify(manifests));
  }
  summary += await archCheckStage(deps, exec, stage, a);
  if (a.inputs.smokeTest.length) {
    const load = a.smokeLoad;
    const target: SmokeTarget | undefined = load ? { ref: '', pull: false, perPlatform: load.tags } : smokeTarget(a.refs, a.digest, a.pushed, manifests);
    if (!target) {
      host.warning('smoke-test: skipped, the image has no tag to run it by (set "images")');
      return summary;
    }
    const argv = a.inputs.smokeTest;
    const smoke = { exec, log: (m: string) => host.info(m), timeoutSeconds: a.inputs.smokeTestTimeout, namePrefix: `multiarch-smoke-${randomUUID().slice(0, 8)}` };
    const results = await stage('smoke-test', async () => {
      try {
        if (load) await loadForSmoke(load.argvs, load.tags, { exec, log: (m) => host.info(m), env: load.env });
        return await runSmoke(target, a.inputs.platforms, argv, smoke);
      } finally {
        if (load) await removeSmokeImages(Object.values(load.tags), exec, (m) => host.warning(m));
      }
    });
    host.setOutput('smoke-results', JSON.stringify(Object.fromEntries(results.map((r) => [r.platform, r.output]))));
    summary += smokeSummary(results, argv);
    const failure = smokeFailure(results, argv);
    if (failure) throw Object.assign(failure, { summary });
  }
  return summary;
}

/** The base images the Dockerfile names (preflight's plan), whose layers the default arch check leaves out. */
async function baseRefs(deps: Deps, a: AfterBuildArgs): Promise<string[]> {
  const text = a.inputs.file ? deps.files.readFile(a.inputs.file) : undefined;
  if (text === undefined) return [];
  const { planPreflight } = await preflightModule();
  return [...new Set(planPreflight(text, a.inputs.buildArgs ?? [], a.inputs.platforms).checks.map((c) => c.ref))];
}

/** After the build: the arch check (arch-check). Returns markdown for the summary; throws naming the wrong files. */
async function archCheckStage(deps: Deps, exec: Exec, stage: Stage, a: AfterBuildArgs): Promise<string> {
  const mode = a.inputs.archCheck;
  const { host } = deps;
  const ref = a.refs[0] ?? a.inputs.images?.[0];
  if (mode === 'false') return '';
  if (a.pushed ? !ref || !a.digest : !a.build) {
    host.info('arch-check: skipped, there is no image to read (nothing pushed by digest, no build to re-export)');
    return '';
  }
  const ad: ArchCheckDeps = {
    exec,
    registry: { fetch: (...args) => fetch(...args), exec, readFile: (p) => deps.files.readFile(p), dockerConfig: a.dockerConfig ?? '' },
    log: (m) => host.info(m),
    warn: (m) => host.warning(m),
  };
  const { archCheckFailure, archCheckSummary, baseLayers, checkLocal, checkPushed, ignoreMatcher } = await archCheckModule();
  let verdicts: PlatformVerdict[];
  try {
    verdicts = await stage('arch-check', async () => {
      const bases = mode === 'full' ? [] : await baseRefs(deps, a);
      const skip = await baseLayers(bases, a.inputs.platforms, ad);
      const target = { platforms: a.inputs.platforms, skip, ignore: ignoreMatcher(a.inputs.archCheckIgnore) };
      const found = a.pushed ? await checkPushed(ref!, a.digest, target, ad) : await checkLocal(a.build!.argv, target, ad, a.build!.env);
      for (const v of found) host.info(`arch-check ${v.platform}: ${v.checked} ELF file(s) in ${v.files} file(s), ${v.layersRead} of ${v.layersTotal} layer(s) read, ${v.wrong.length} for another architecture`);
      return found;
    });
  } catch (err) {
    // a check that cannot read the image says so; it does not fail a build that succeeded
    host.warning(`arch-check: could not read the image, not checked: ${errorMessage(err)}`);
    return '';
  }
  for (const v of verdicts) for (const u of v.unreadable) host.warning(`arch-check ${v.platform}: ${u}; not checked`);
  const summary = archCheckSummary(verdicts, mode);
  const failure = archCheckFailure(verdicts);
  if (failure) throw Object.assign(failure, { summary });
  return summary;
}

/** The per-platform time report: the platform-times output, a summary section, a notice when emulation dominates. */
function timesStage(host: Host, platforms: string[], t: { log: string; nativePlatforms: string[] }): string {
  const times = platformTimes(t.log, platforms, t.nativePlatforms);
  host.setOutput('platform-times', JSON.stringify(times));
  const notice = emulationNotice(times);
  if (notice) (host.notice ?? host.info).call(host, notice);
  return timesSummary(times);
}

/**
 * The smoke test's loads when the builder keeps what it built (see smoke-load.ts), undefined when the
 * image is already where `docker run` finds it. The tags go into the state first, for post.
 */
export function smokeLoadStep(run: Run, plan: BuildPlan, cache: CacheStep, driver: string): AfterBuildArgs['smokeLoad'] {
  const { inputs } = run;
  if (!inputs.smokeTest.length || plan.shard || !needsSmokeLoad(driver, run.push.push, inputs.load)) return undefined;
  const id = randomBytes(4).toString('hex');
  const tags = Object.fromEntries(inputs.platforms.map((p) => [p, smokeLoadTag(id, p)]));
  const argvs = Object.fromEntries(inputs.platforms.map((p, i) => [p, planSmokeLoad(plan.input, p, tags[p]!, path.join(run.tempDir, `smoke-metadata-${i}.json`))]));
  run.state.update({ smokeImages: Object.values(tags) });
  const env: Record<string, string> = { ...cache.restored.env };
  for (const s of inputs.secretEnvs) env[s.env] = run.env[s.env] ?? '';
  return { argvs, tags, env };
}
