import * as path from 'node:path';
import { readRunContext } from './context.js';
import type { Deps } from './deps.js';
import { errorMessage, InputErrors, StageError } from './errors.js';
import { parseInputs } from './inputs/index.js';
import { StateStore } from './state.js';
import { decidePush, planBuild, runBuild } from './stages/build.js';
import { runBuilder } from './stages/builder.js';
import { planMeta } from './stages/meta.js';
import { runQemu } from './stages/qemu.js';
import { planCache } from './stages/cache.js';
import { cacheSummary, restoreLayerCache, saveLayerCache } from './stages/cache-act.js';
import { createActionsCacheService, realCacheFolders } from './cache-service.js';

interface Timing {
  stage: string;
  seconds: number;
}

/** The main step: inputs → qemu → builder → meta → build, outputs and summary. */
export async function runMain(deps: Deps): Promise<void> {
  const { host, exec, files } = deps;
  const ctx = readRunContext(deps.env, deps.cwd);

  let inputs;
  try {
    inputs = parseInputs((n) => host.getInput(n), { workspace: ctx.workspace, exists: (p) => files.exists(p) });
  } catch (err) {
    if (err instanceof InputErrors) {
      for (const e of err.errors) host.error(e.message, { title: `Invalid input: ${e.input}` });
      host.fail();
      return;
    }
    throw err;
  }

  const state = new StateStore(host);
  const timings: Timing[] = [];
  const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = deps.now();
    try {
      return await host.group(name, fn);
    } finally {
      timings.push({ stage: name, seconds: (deps.now() - start) / 1000 });
    }
  };

  try {
    const tempDir = files.makeTempDir(ctx.runnerTemp, 'multiarch-');
    state.update({ tempDir });

    await stage('qemu', () =>
      runQemu(inputs.platforms, {
        exec,
        readFile: (p) => files.readFile(p),
        log: (m) => host.info(m),
        warn: (m) => host.warning(m),
      }),
    );
    const builder = await stage('builder', () => runBuilder(exec));
    host.info(`builder: ${builder.name} (driver ${builder.driver}, buildx ${builder.buildxVersion})`);

    const meta = planMeta({ images: inputs.images, tags: inputs.tags }, ctx);
    host.setOutput('tags', meta.refs.join('\n'));
    const push = decidePush(inputs.push, ctx.eventName, inputs.images);
    if (push.push && meta.refs.length === 0) {
      throw new StageError('meta', 'nothing to push: no tag could be derived from the git ref; set "tags"');
    }
    host.info(`tags: ${meta.refs.join(', ') || '(none)'}; ${push.reason}`);

    const cachePlan = planCache({
      mode: inputs.cacheMode,
      explicitFrom: inputs.cacheFrom,
      explicitTo: inputs.cacheTo,
      keySuffix: inputs.cacheKey,
      os: deps.env.RUNNER_OS || 'Linux',
      platforms: inputs.platforms,
      file: inputs.file ? path.relative(ctx.workspace, inputs.file) : '',
      target: '',
      sha: ctx.sha,
      runnerTemp: ctx.runnerTemp,
      images: inputs.images,
      refs: meta.refs,
      push: push.push,
      buildxVersion: builder.buildxVersion,
      runtime: deps.env,
    });
    for (const w of cachePlan.warnings) host.warning(w);
    if (cachePlan.env.ACTIONS_RUNTIME_TOKEN) host.setSecret(cachePlan.env.ACTIONS_RUNTIME_TOKEN);
    if (cachePlan.local) state.update({ cacheDirs: [...new Set([cachePlan.local.dir, cachePlan.local.exportDir, path.dirname(cachePlan.local.dir)])] });
    const cacheDeps = {
      // MULTIARCH_CACHE_TIMEOUT_SECONDS: how long one restore or save may take (default 20 min)
      service: deps.cacheService ?? createActionsCacheService(tempDir, 1000 * (Number(deps.env.MULTIARCH_CACHE_TIMEOUT_SECONDS) || 1200)),
      folders: deps.cacheFolders ?? realCacheFolders,
      info: (m: string) => host.info(m),
      warn: (m: string) => host.warning(m),
    };
    const restored = await stage('cache restore', () => restoreLayerCache(cachePlan, cacheDeps));
    host.setOutput('cache-hit', restored.hit);
    host.setOutput('cache-key', restored.key);

    const metadataFile = path.join(tempDir, 'metadata.json');
    const argv = planBuild({
      builder: builder.name,
      platforms: inputs.platforms,
      context: inputs.context,
      file: inputs.file,
      buildArgs: inputs.buildArgs,
      refs: meta.refs,
      push: push.push,
      metadataFile,
      cacheFrom: restored.cacheFrom,
      cacheTo: restored.cacheTo,
    });
    const result = await stage('build', () => runBuild(argv, metadataFile, { exec, readFile: (p) => files.readFile(p) }, restored.env));
    const saved = cachePlan.local ? await stage('cache save', () => saveLayerCache(cachePlan, restored, true, cacheDeps)) : undefined;

    host.setOutput('digest', result.digest);
    host.setOutput('metadata', result.metadata);
    host.setOutput('pushed', String(push.push));
    host.setOutput('platforms', inputs.platforms.join(','));
    await host.summary(summaryTable(meta.refs, result.digest, inputs.platforms, push.push, timings));
    await host.summary(cacheSummary(restored, saved));
  } catch (err) {
    if (err instanceof StageError) {
      host.error(err.message, {
        title: `multiarch-action: ${err.stage} failed`,
        file: err.annotation?.file,
        startLine: err.annotation?.line,
      });
    } else {
      host.error(errorMessage(err), { title: 'multiarch-action failed' });
    }
    host.fail();
  }
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function summaryTable(refs: string[], digest: string, platforms: string[], pushed: boolean, timings: Timing[]): string {
  const rows = [
    '### multiarch-action',
    '',
    '| | |',
    '|---|---|',
    `| images | ${escapeCell(refs.map((r) => `\`${r}\``).join('<br>') || '(untagged)')} |`,
    `| digest | \`${escapeCell(digest || '-')}\` |`,
    `| platforms | ${escapeCell(platforms.join(', '))} |`,
    `| pushed | ${pushed ? 'yes' : 'no'} |`,
    `| stage times | ${timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)}s`).join(', ')} |`,
    '',
  ];
  return rows.join('\n');
}
