/**
 * The verify stage over the Run, after the build: the time report, verify (the pushed
 * tags read back), the arch check's report (the check itself runs before the cache save, see
 * buildInOrder) and the smoke test. Each section of the summary goes on the run's
 * report (run.report.verification) as soon as it is known, so a later failure keeps it.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import type { Host } from '../../ports/host.js';
import { actDeps, type Run } from '../../run/run.js';
import type { CheckExportPlan } from '../archcheck/export.js';
import { emulationNotice, platformTimes, timesSummary } from '../archcheck/times.js';
import { type ArchCheckOutcome, reportArchCheck } from '../archcheck/wiring.js';
import type { BuildPlan } from '../build/plan.js';
import { buildxEnv } from '../build/wiring.js';
import type { Builder } from '../builder/wiring.js';
import type { PreparedCache } from '../cache/wiring.js';
import { loadForSmoke, removeSmokeImages, runSmoke, runVerify } from './act.js';
import { smokeContainerNames, smokeFailure, smokeSummary, type SmokeTarget, smokeTarget } from './smoke.js';
import { planSmokeExport, planSmokeLoad, type SmokeExportPlan, smokeLoadTag } from './smoke-load.js';

/** The smoke test's loads (a builder that keeps its results, see smoke-load.ts): argv and local tag per platform. */
export interface SmokeLoad {
  argvs: Record<string, string[]>;
  tags: Record<string, string>;
  env?: Record<string, string>;
}

/** What the build left for verification (the rest comes from the run). */
export interface Built {
  /** The tags to read back and run by (none for a shard: the merge job verifies the index it creates). */
  refs: string[];
  digest: string;
  /** Load each platform into the engine first (planSmokeLoads). */
  smokeLoad?: SmokeLoad;
  /** What the arch check found, right after the build (buildInOrder): reported here, in its place. */
  archCheck?: ArchCheckOutcome;
  /** buildx's progress output and the platforms native to the builder's nodes (the time report). */
  times?: { log: string; nativePlatforms: string[] };
}

/** After the build: the time report, verify the pushed tags, the arch check's report, then the smoke test. */
export async function verifyStage(run: Run, built: Built): Promise<void> {
  const { host, inputs } = run;
  const pushed = run.push.enabled;
  if (built.times) run.report.verification += timesSection(host, inputs.platforms, built.times);
  let manifests: Record<string, string> = {};
  if (pushed && inputs.verify && built.refs.length) {
    manifests = await run.timed('verify', () => runVerify(built.refs, inputs.platforms, actDeps(run)));
    host.setOutput('manifests', JSON.stringify(manifests));
  }
  reportArchCheck(run, built.archCheck);
  if (inputs.smokeTest.length) await smokeStage(run, built, manifests);
}

/** The smoke test: its summary section goes on the report before a failure is thrown. */
async function smokeStage(run: Run, built: Built, manifests: Record<string, string>): Promise<void> {
  const { host, inputs } = run;
  const load = built.smokeLoad;
  const target: SmokeTarget | undefined = load
    ? { ref: '', pull: false, perPlatform: load.tags }
    : smokeTarget(built.refs, built.digest, run.push.enabled, manifests);
  if (!target) {
    host.warning('smoke-test: skipped, the image has no tag to run it by (set "images")');
    return;
  }
  const argv = inputs.smokeTest;
  const deps = actDeps(run);
  // named and in the state before any starts: post and a signal remove what a stopped run leaves
  const names = smokeContainerNames(randomBytes(4).toString('hex'), inputs.platforms);
  run.state.update({ smokeContainers: names });
  const results = await run.timed('smoke-test', async () => {
    try {
      if (load) await loadForSmoke(load.argvs, load.tags, { ...deps, env: load.env });
      return await runSmoke(target, inputs.platforms, argv, {
        ...deps,
        timeoutSeconds: inputs.smokeTestTimeout,
        names,
      });
    } finally {
      if (load) await removeSmokeImages([...new Set(Object.values(load.tags))], deps);
    }
  });
  host.setOutput('smoke-results', JSON.stringify(Object.fromEntries(results.map((r) => [r.platform, r.output]))));
  run.report.verification += smokeSummary(results, argv);
  const failure = smokeFailure(results, argv);
  if (failure) throw failure;
}

/** The per-platform time report: the platform-times output, a summary section, a notice when emulation dominates. */
function timesSection(host: Host, platforms: string[], t: { log: string; nativePlatforms: string[] }): string {
  const times = platformTimes(t.log, platforms, t.nativePlatforms);
  host.setOutput('platform-times', JSON.stringify(times));
  const notice = emulationNotice(times);
  if (notice) (host.notice ?? host.info).call(host, notice);
  return timesSummary(times);
}

/**
 * Before the build: whether it loads the smoke test's image itself (smoke-load.ts planSmokeExport).
 * Its tag goes into the state first, for post; a build that cannot says why each platform is loaded again.
 */
export function planSmokeExportStage(run: Run, builder: Builder, check?: CheckExportPlan): SmokeExportPlan | undefined {
  const { inputs } = run;
  if (!inputs.smokeTest.length) return undefined;
  const plan = planSmokeExport(
    {
      driver: builder.driver,
      pushed: run.push.enabled,
      shard: inputs.mode === 'shard' && run.push.enabled,
      load: inputs.load,
      outputs: inputs.outputs,
      containerdStore: builder.containerdStore,
      buildxVersion: builder.buildxVersion,
      check,
    },
    randomBytes(4).toString('hex'),
  );
  if (plan?.reuse) {
    // a dry run loads nothing: post has nothing to remove
    if (!inputs.dryRun) run.state.update({ smokeImages: [plan.reuse.tag] });
    run.host.info(`smoke-test: the build also loads every platform into the engine as ${plan.reuse.tag}`);
  } else if (plan?.why)
    run.host.info(`smoke-test: each platform is loaded after the build by a build of its own (${plan.why})`);
  return plan;
}

/**
 * The smoke test's loads when the builder keeps what it built (see smoke-load.ts), undefined when the
 * image is already where `docker run` finds it (or the build loaded it: planSmokeExportStage). The
 * tags go into the state first, for post.
 */
export function planSmokeLoads(
  run: Run,
  plan: BuildPlan,
  cache: PreparedCache,
  smoke: SmokeExportPlan | undefined,
): SmokeLoad | undefined {
  const { inputs } = run;
  if (!smoke) return undefined;
  if (smoke.reuse) {
    const tag = smoke.reuse.tag;
    return { argvs: {}, tags: Object.fromEntries(inputs.platforms.map((p) => [p, tag])) };
  }
  const id = randomBytes(4).toString('hex');
  const tags = Object.fromEntries(inputs.platforms.map((p) => [p, smokeLoadTag(id, p)]));
  const argvs = Object.fromEntries(
    inputs.platforms.map((p, i) => [
      p,
      planSmokeLoad(plan.input, p, tags[p]!, path.join(run.tempDir, `smoke-metadata-${i}.json`)),
    ]),
  );
  run.state.update({ smokeImages: Object.values(tags) });
  return { argvs, tags, env: buildxEnv(run, plan.argv, cache.restored.env) };
}
