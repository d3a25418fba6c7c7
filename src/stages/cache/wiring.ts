import { dockerfileName } from '../../inputs/build.js';
import type { Run } from '../../run/run.js';
import type { Builder } from '../builder/wiring.js';
import type { MetaPlan } from '../meta/plan.js';
import {
  type CacheActDeps,
  type CacheRestore,
  cacheSummary,
  dryRunRestore,
  restoreLayerCache,
  saveLayerCache,
} from './act.js';
import { planCache } from './plan.js';
import { applyWritePolicy, cacheExportFailures, cacheExportWarning, cacheWriteBlock } from './writes.js';

export interface PreparedCache {
  /** What the restore gave the build: its --cache-from/--cache-to values and environment. */
  restored: CacheRestore;
  /** After a successful build: save the local cache; warn about cache exports buildx reported failed (its log). */
  save(buildLog?: string): Promise<void>;
  /**
   * The local layer cache's folders: the one restored (read by the build), and the one save()
   * will save (what is written there before the save travels with the cache).
   */
  folders?: { restored?: string; saved?: string };
}

/** Plan the layer cache and restore it (a dry run restores nothing); outputs cache-hit, cache-key. */
export async function cacheStage(run: Run, meta: MetaPlan, builder: Builder): Promise<PreparedCache> {
  const { inputs, host, ctx } = run;
  const planned = planCache({
    mode: inputs.cacheMode,
    explicitFrom: inputs.cacheFrom,
    explicitTo: inputs.cacheTo,
    keySuffix: inputs.cacheKey,
    os: run.env.RUNNER_OS || 'Linux',
    platforms: inputs.platforms,
    file: dockerfileName(inputs.file, ctx.workspace).path,
    target: inputs.target,
    sha: ctx.sha,
    runnerTemp: ctx.runnerTemp,
    runTempDir: run.tempDir,
    images: inputs.images,
    refs: meta.refs,
    push: run.push.enabled,
    buildxVersion: builder.buildxVersion,
    runtime: run.env,
  });
  const block = cacheWriteBlock({
    eventName: ctx.eventName,
    saveUntrusted: inputs.cacheSaveUntrusted,
    cacheMode: run.env.ACTIONS_CACHE_MODE ?? '',
  });
  const plan = applyWritePolicy(planned, block);
  if (plan.skipSave) {
    if (host.notice) host.notice(plan.skipSave);
    else host.info(plan.skipSave);
  }
  for (const w of plan.warnings) host.warning(w);
  if (plan.env.ACTIONS_RUNTIME_TOKEN) host.setSecret(plan.env.ACTIONS_RUNTIME_TOKEN);
  // the run's cache folders live in its temp folder (removed by post); the shared service path is
  // another run's to use while it holds the lock, so post never removes it
  const cacheDeps: CacheActDeps = {
    service: run.actionsCache.open(run.tempDir),
    folders: run.actionsCache.folders,
    log: (m) => host.info(m),
    warn: (m) => host.warning(m),
  };
  // written before the restore takes the shared folder's lock: a run stopped during the restore or
  // the save leaves them, and its post step (or the CLI's cleanup) releases them while it holds the lock
  if (plan.local && !inputs.dryRun) run.state.update({ cacheDirs: [plan.local.servicePath] });
  const restored = inputs.dryRun
    ? dryRunRestore(plan)
    : await run.timed('cache restore', () => restoreLayerCache(plan, cacheDeps));
  host.setOutput('cache-hit', restored.hit);
  host.setOutput('cache-key', restored.key);
  const local = inputs.dryRun ? undefined : plan.local;
  return {
    restored,
    folders: local && {
      restored: restored.hit === 'exact' || restored.hit === 'partial' ? local.dir : undefined,
      saved: plan.skipSave || restored.abandoned ? undefined : local.exportDir,
    },
    save: async (buildLog) => {
      for (const f of cacheExportFailures(buildLog ?? '')) host.warning(cacheExportWarning(f));
      const saved = plan.local
        ? await run.timed('cache save', () => saveLayerCache(plan, restored, cacheDeps))
        : undefined;
      run.report.cache = { hit: restored.hit, markdown: cacheSummary(restored, saved) };
    },
  };
}
