import type { DirState } from '../../../../src/ports/actions-cache.js';
import type { CacheService } from '../../../../src/ports/actions-cache.js';
import { type CacheActDeps, restoreLayerCache, saveLayerCache } from '../../../../src/stages/cache/act.js';
import { type CachePlanInput, planCache } from '../../../../src/stages/cache/plan.js';

const input: CachePlanInput = {
  mode: 'local',
  explicitFrom: [],
  explicitTo: [],
  keySuffix: '',
  os: 'Linux',
  platforms: ['linux/amd64'],
  file: 'Dockerfile',
  target: '',
  sha: 'c0ffee',
  runnerTemp: '/rt',
  runTempDir: '/rt/multiarch-run1',
  images: [],
  refs: [],
  push: false,
  buildxVersion: '0.13.1',
  runtime: { ACTIONS_RESULTS_URL: 'http://x/' },
};

/** A fake filesystem of cache folders and a fake service, recording what happened. */
function fakes(opts: {
  restore?: Awaited<ReturnType<CacheService['restore']>>;
  restoredDir?: DirState;
  exportDir?: DirState;
  save?: Awaited<ReturnType<CacheService['save']>>;
}) {
  const dirs = new Map<string, DirState>();
  const log: string[] = [];
  const warnings: string[] = [];
  const plan = planCache(input);
  const { dir, exportDir, servicePath } = plan.local!;
  const locks = new Set<string>();
  const name = (d: string) => (d === dir ? 'OLD' : d === servicePath ? 'SHARED' : 'NEW');
  const deps: CacheActDeps = {
    service: {
      restore: async (paths, key) => {
        log.push(`restore ${paths.join()} ${key}`);
        if (opts.restoredDir) dirs.set(paths[0]!, opts.restoredDir);
        return opts.restore ?? { problems: [] };
      },
      save: async (paths, key) => {
        log.push(`save ${paths.join()} ${key} valid=${dirs.get(paths[0]!)?.valid}`);
        return opts.save ?? { saved: true, problems: [] };
      },
    },
    folders: {
      inspect: (d) => dirs.get(d) ?? { valid: false, bytes: 0 },
      remove: (d) => {
        if (dirs.delete(d)) log.push(`rm ${name(d)}`);
      },
      rename: (a, b) => {
        dirs.set(b, dirs.get(a)!);
        dirs.delete(a);
        log.push(`mv ${name(a)} ${name(b)}`);
      },
      lock: (d) => (locks.has(d) ? false : (locks.add(d), true)),
      unlock: (d) => void locks.delete(d),
      release: () => false,
    },
    log: () => {},
    warn: (m) => warnings.push(m),
  };
  const afterBuild = () => {
    if (opts.exportDir) dirs.set(exportDir, opts.exportDir);
  };
  return { deps, plan, log, warnings, afterBuild, dirs, dir, servicePath, locks };
}

const good = { valid: true, bytes: 2048 };

describe('cache act (stubbed service and folders)', () => {
  test('partial hit: build from OLD, replace OLD by NEW, save it', async () => {
    const f = fakes({
      restore: { matchedKey: 'multiarch-old', problems: [] },
      restoredDir: good,
      exportDir: { valid: true, bytes: 4096 },
    });
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r.hit).toBe('partial');
    expect(r.cacheFrom).toEqual([`type=local,src=${f.dir}`]);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(true);
    expect(s.savedBytes).toBe(4096);
    expect(f.log).toEqual([
      `restore ${f.servicePath} ${r.key}`,
      'mv SHARED OLD',
      'rm OLD',
      'mv NEW OLD',
      'mv OLD SHARED',
      `save ${f.servicePath} ${r.key} valid=true`,
      'rm SHARED',
    ]);
    expect(f.locks.size).toBe(0);
    expect(f.warnings).toEqual([]);
  });

  // the shared service path is used only under its lock; a run that finds it
  // locked neither deletes nor extracts into it, and says that it did not restore or save
  test('another run holds the shared cache folder: no restore into it, no save, and both said', async () => {
    const f = fakes({ restore: { matchedKey: 'multiarch-old', problems: [] }, restoredDir: good, exportDir: good });
    f.dirs.set(f.servicePath, { valid: true, bytes: 777 });
    f.deps.folders.lock(f.servicePath, 0, 'another-run');
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r.hit).toBe('miss');
    expect(r.lines[0]).toMatch(/another run on this machine is restoring or saving the same cache folder/);
    expect(f.dirs.get(f.servicePath)).toEqual({ valid: true, bytes: 777 });
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.warnings).toEqual([expect.stringMatching(/not saved: another run on this machine/)]);
    expect(f.dirs.get(f.servicePath)).toEqual({ valid: true, bytes: 777 });
    expect(f.log.filter((l) => l.startsWith('restore') || l.startsWith('save'))).toEqual([]);
  });

  test('empty export after a hit: the good cache is kept, not replaced and not saved', async () => {
    const f = fakes({
      restore: { matchedKey: 'multiarch-old', problems: [] },
      restoredDir: good,
      exportDir: { valid: false, bytes: 0 },
    });
    const r = await restoreLayerCache(f.plan, f.deps);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.dirs.get(f.dir)).toEqual(good);
    expect(f.log.some((l) => l.startsWith('save'))).toBe(false);
  });

  test('restore reported a problem (corrupt archive): warning, folder discarded, cold build', async () => {
    const f = fakes({
      restore: { matchedKey: 'multiarch-old', problems: ['Failed to restore: tar failed'] },
      restoredDir: { valid: false, bytes: 10 },
    });
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r.hit).toBe('miss');
    expect(r.cacheFrom).toEqual([]);
    expect(f.dirs.has(f.dir)).toBe(false);
    expect(f.warnings[0]).toMatch(/restore failed, building without a cache: Failed to restore: tar failed/);
    expect(r.serviceDown).toBe(false);
  });

  test('a hit whose folder is not a cache: warning, cold', async () => {
    const f = fakes({
      restore: { matchedKey: 'multiarch-old', problems: [] },
      restoredDir: { valid: false, bytes: 5 },
    });
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r.hit).toBe('miss');
    expect(f.warnings[0]).toMatch(/not a valid cache folder/);
  });

  test('service down at restore: warning, and save is skipped with a warning', async () => {
    const f = fakes({
      restore: { problems: ['Failed to restore: Failed to GetCacheEntryDownloadURL: (500)'] },
      exportDir: good,
    });
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r.serviceDown).toBe(true);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.warnings[1]).toMatch(/not saved: the cache service failed during restore/);
  });

  test('save problems and throwing services are warnings, never exceptions', async () => {
    const f = fakes({ exportDir: good, save: { saved: false, problems: ['cache reservation failed: (500)'] } });
    const r = await restoreLayerCache(f.plan, f.deps);
    f.afterBuild();
    await saveLayerCache(f.plan, r, f.deps);
    expect(f.warnings[0]).toMatch(/save failed.*\(500\)/);

    const g = fakes({ exportDir: good });
    g.deps.service.restore = async () => {
      throw new Error('boom');
    };
    g.deps.service.save = async () => {
      throw new Error('bang');
    };
    const r2 = await restoreLayerCache(g.plan, g.deps);
    expect(r2.hit).toBe('miss');
    g.afterBuild();
    await expect(saveLayerCache(g.plan, r2, g.deps)).resolves.toMatchObject({ saved: false });
    expect(g.warnings.join('\n')).toMatch(/boom[\s\S]*bang/);
  });

  test('restore timed out: local cache left out of this run (no cache-from, no cache-to), nothing saved', async () => {
    const f = fakes({ restore: { problems: ['no answer within 3 s'], timedOut: true }, exportDir: good });
    const r = await restoreLayerCache(f.plan, f.deps);
    expect(r).toMatchObject({ hit: 'miss', cacheFrom: [], cacheTo: [], abandoned: true });
    expect(f.warnings[0]).toMatch(/restore timed out \(no answer within 3 s\)/);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.log.some((l) => l.startsWith('save'))).toBe(false);
  });

  test('another job saved the same key first: not a warning', async () => {
    const f = fakes({ exportDir: good, save: { saved: false, problems: [] } });
    const r = await restoreLayerCache(f.plan, f.deps);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.warnings).toEqual([]);
  });

  test('a save refused by a read-only cache token (403): one warning naming it, the lock released', async () => {
    const denied =
      'cache reservation failed: Received non-retryable error: Failed request: (403) Forbidden: cache write denied: token has no writable scopes';
    const f = fakes({ exportDir: good, save: { saved: false, problems: [denied] } });
    const r = await restoreLayerCache(f.plan, f.deps);
    f.afterBuild();
    const s = await saveLayerCache(f.plan, r, f.deps);
    expect(s.saved).toBe(false);
    expect(f.warnings).toEqual([
      expect.stringMatching(
        /^layer cache: not saved: the cache service refused the write: this run's cache token is read-only .*the build result stands.*\(403\) Forbidden/,
      ),
    ]);
    expect(f.locks.size).toBe(0);
  });

  test('writes blocked by the plan (writes.ts): no export swapped, no save, no warning', async () => {
    const f = fakes({ exportDir: good });
    const plan = { ...f.plan, skipSave: 'layer cache: not saved: because' };
    const r = await restoreLayerCache(plan, f.deps);
    expect(r.cacheTo).toEqual([]);
    f.afterBuild();
    const s = await saveLayerCache(plan, r, f.deps);
    expect(s).toMatchObject({ saved: false, lines: ['saved: nothing (writes are not allowed for this run)'] });
    expect(f.log.filter((l) => l.startsWith('save') || l.startsWith('mv NEW'))).toEqual([]);
    expect(f.warnings).toEqual([]);
  });
});
