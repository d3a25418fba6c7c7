import * as path from 'node:path';

import { summaryPlain } from '../../../../src/run/summary.js';
import type { Builder } from '../../../../src/stages/builder/wiring.js';
import { cacheKeys } from '../../../../src/stages/cache/plan.js';
import { cacheStage } from '../../../../src/stages/cache/wiring.js';
import type { MetaPlan } from '../../../../src/stages/meta/plan.js';
import { fakeActionsCache, fakeEngine, fakeRun } from '../../fakes.js';

const SERVICE = { ACTIONS_RESULTS_URL: 'https://results/', RUNNER_OS: 'Linux', GITHUB_SHA: 'c0ffee' };

/** A run of the cache stage: the inputs parsed as main parses them, the cache port a fake. */
function runOf(inputs: Record<string, string>, actionsCache = fakeActionsCache()) {
  const run = fakeRun(inputs, { deps: { exec: fakeEngine(), actionsCache }, env: SERVICE });
  return { run, host: run.host, actionsCache };
}
const meta = { refs: [], labels: [], annotations: [] } as unknown as MetaPlan;
const builder = { buildxVersion: 'github.com/docker/buildx v0.13.1 x' } as unknown as Builder;
const keyOf = (file: string) =>
  cacheKeys({ os: 'Linux', platforms: ['linux/amd64'], file, target: '', keySuffix: '', sha: 'c0ffee' }).primaryKey;

describe('cache stage wiring', () => {
  test('a git-URL context: the Dockerfile is keyed by its path inside the context, never a cwd-relative path', async () => {
    const { run, host } = runOf({
      context: 'https://github.com/o/r.git#main',
      file: 'docker/Dockerfile',
      'dry-run': 'true',
    });
    expect(run.inputs.file).toBe('docker/Dockerfile');
    await cacheStage(run, meta, builder);
    expect(host.outputs['cache-key']).toBe(keyOf('docker/Dockerfile'));
    // what path.relative(workspace, file) made of it: a path through the working directory
    expect(host.outputs['cache-key']).not.toBe(keyOf(path.relative('/ws', 'docker/Dockerfile')));
  });

  test('a workspace Dockerfile is keyed relative to the workspace', async () => {
    const { run, host } = runOf({ context: '.', file: 'docker/Dockerfile', 'dry-run': 'true' });
    expect(run.inputs.file).toBe('/ws/docker/Dockerfile');
    await cacheStage(run, meta, builder);
    expect(host.outputs['cache-key']).toBe(keyOf('docker/Dockerfile'));
  });

  test("the cache service is the run's port, opened on the run's temp folder; a dry run restores nothing", async () => {
    const live = runOf({ context: '.' });
    const step = await live.run.timed('x', () => cacheStage(live.run, meta, builder));
    expect(live.actionsCache.opened).toEqual(['/tmp/rt/multiarch-run']);
    expect(step.restored.lines[0]).toMatch(/^restored: nothing/);
    expect(live.host.warnings.join('\n')).toMatch(
      /restore failed, building without a cache: the Actions cache service is not available/,
    );
    await step.save();
    expect(live.run.report.cache?.markdown).toMatch(/#### layer cache/);
    const dry = runOf({ context: '.', 'dry-run': 'true' });
    const planned = await cacheStage(dry.run, meta, builder);
    expect(planned.restored.lines).toEqual(['dry run: nothing restored']);
    expect(dry.host.warnings).toEqual([]);
  });

  test("the layer cache's folders for the arch check's record: the one saved, the one restored only on a hit", async () => {
    const miss = runOf({ context: '.' });
    miss.actionsCache.open = () => ({
      restore: async () => ({ problems: [] }),
      save: async () => ({ saved: false, problems: [] }),
    });
    const cold = await cacheStage(miss.run, meta, builder);
    // buildx 0.13 has no reset=true: it exports into a fresh folder, swapped in and saved
    expect(cold.folders).toEqual({ restored: undefined, saved: '/tmp/rt/multiarch-run/layer-cache-new' });
    const blocked = runOf({ context: '.' });
    blocked.run.ctx = { ...blocked.run.ctx, eventName: 'pull_request_target' };
    expect((await cacheStage(blocked.run, meta, builder)).folders?.saved).toBeUndefined();
    expect((await cacheStage(runOf({ context: '.', 'dry-run': 'true' }).run, meta, builder)).folders).toBeUndefined();
  });

  test('the shared cache folder is in the run state before the restore takes its lock (post releases it)', async () => {
    const live = runOf({ context: '.' });
    let atRestore = '';
    live.actionsCache.open = () => ({
      restore: async () => {
        atRestore = live.host.state.multiarch ?? '';
        return { problems: [] };
      },
      save: async () => ({ saved: false, problems: [] }),
    });
    await cacheStage(live.run, meta, builder);
    expect(JSON.parse(atRestore)).toEqual({
      cacheDirs: [expect.stringMatching(/^\/tmp\/rt\/multiarch-cache\/[0-9a-f]{16}$/)],
    });
  });

  test.each([
    ['pull_request_target', 'local'],
    ['workflow_run', 'gha'],
  ])('%s, cache %s: restored, not written, a notice says why', async (event, cache) => {
    const { run, host } = runOf({ context: '.', cache });
    run.ctx = { ...run.ctx, eventName: event };
    run.env.ACTIONS_RUNTIME_TOKEN = 'tok';
    const step = await cacheStage(run, meta, builder);
    expect(step.restored.cacheTo).toEqual([]);
    expect(host.infos.join('\n')).toContain(`layer cache: not saved: a ${event} run may build code nobody reviewed`);
    await step.save();
    expect(summaryPlain(run.report.cache?.markdown ?? '')).toMatch(/saved: nothing|mode gha/);
  });

  test('a gha export buildx reports refused: a warning after the build, never a failure', async () => {
    const { run, host } = runOf({ context: '.', cache: 'gha' });
    const step = await cacheStage(run, meta, builder);
    await step.save(
      '#6 exporting to GitHub Actions Cache\n#6 ERROR: cache write denied: token has no writable scopes\n',
    );
    expect(host.warnings.at(-1)).toMatch(
      /not saved: exporting to GitHub Actions Cache failed \(this run's cache token is read-only/,
    );
  });
});
