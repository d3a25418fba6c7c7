import { compareVersions } from '../../../../src/inputs/buildx-version.js';
import { planBuild } from '../../../../src/stages/build/plan.js';
import {
  cacheArgs,
  cacheKeys,
  type CachePlanInput,
  classifyHit,
  decideAfterBuild,
  ghaScope,
  planCache,
  supportsReset,
  usesActionsCache,
} from '../../../../src/stages/cache/plan.js';

const base: CachePlanInput = {
  mode: 'local',
  explicitFrom: [],
  explicitTo: [],
  keySuffix: '',
  os: 'Linux',
  platforms: ['linux/amd64', 'linux/arm64'],
  file: 'Dockerfile',
  target: '',
  sha: 'abc123',
  runnerTemp: '/rt',
  runTempDir: '/rt/multiarch-run1',
  images: ['ghcr.io/org/app'],
  refs: ['ghcr.io/org/app:main'],
  push: true,
  buildxVersion: '0.13.1',
  runtime: { ACTIONS_RESULTS_URL: 'https://results/', ACTIONS_RUNTIME_TOKEN: 'tok', ACTIONS_CACHE_SERVICE_V2: 'True' },
};

describe('cache keys', () => {
  test('primary key = restore-key prefix + commit; restore-key finds older commits of the same build', () => {
    const k = cacheKeys(base);
    expect(k.primaryKey).toMatch(/^multiarch-buildx-Linux-[0-9a-f]{16}-abc123$/);
    expect(k.restoreKeys).toEqual([k.primaryKey.slice(0, -'abc123'.length)]);
    expect(cacheKeys({ ...base, sha: 'def456' }).restoreKeys).toEqual(k.restoreKeys);
  });

  test.each<[string, Partial<CachePlanInput>]>([
    ['OS', { os: 'Windows' }],
    ['platforms', { platforms: ['linux/amd64'] }],
    ['Dockerfile path', { file: 'docker/Dockerfile.prod' }],
    ['target', { target: 'release' }],
    ['cache-key suffix', { keySuffix: 'nightly' }],
  ])('a different %s is a different build: its restore-key does not match', (_what, change) => {
    const a = cacheKeys(base);
    const b = cacheKeys({ ...base, ...change });
    expect(b.restoreKeys[0]).not.toBe(a.restoreKeys[0]);
    // neither prefix matches the other's keys (prefix matching on the service)
    expect(a.primaryKey.startsWith(b.restoreKeys[0]!)).toBe(false);
    expect(b.primaryKey.startsWith(a.restoreKeys[0]!)).toBe(false);
  });

  test('platform order does not matter; the suffix is readable in the key', () => {
    expect(cacheKeys({ ...base, platforms: ['linux/arm64', 'linux/amd64'] })).toEqual(cacheKeys(base));
    expect(cacheKeys({ ...base, keySuffix: 'nightly' }).primaryKey).toMatch(/-nightly-abc123$/);
  });

  test('hit classification', () => {
    expect(classifyHit('k-1', 'k-1')).toBe('exact');
    expect(classifyHit('k-1', 'k-0')).toBe('partial');
    expect(classifyHit('k-1', undefined)).toBe('miss');
  });
});

describe('buildx version gates', () => {
  test.each([
    ['0.13.1', false],
    ['0.34.9', false],
    ['0.35.0', true],
    ['0.36.1', true],
    ['1.0.0', true],
    ['', false],
  ])('buildx %s → reset=true supported: %s', (v, ok) => {
    expect(supportsReset(v)).toBe(ok);
  });
  test('numeric comparison', () => {
    expect(compareVersions('0.9.0', '0.10.0')).toBeLessThan(0);
    expect(compareVersions('0.35.0', '0.35')).toBe(0);
  });
});

describe('--cache-from / --cache-to per mode', () => {
  const args = (p: Partial<CachePlanInput>, restored = false) => {
    const plan = planCache({ ...base, ...p });
    return { plan, ...cacheArgs(plan, restored) };
  };

  test.each<[string, Partial<CachePlanInput>, boolean, string[], string[]]>([
    ['local, cold, swap', {}, false, [], ['type=local,dest=DIR-new,mode=max,ignore-error=true']],
    ['local, restored, swap', {}, true, ['type=local,src=DIR'], ['type=local,dest=DIR-new,mode=max,ignore-error=true']],
    [
      'local, restored, buildx 0.35 reset',
      { buildxVersion: '0.35.0' },
      true,
      ['type=local,src=DIR'],
      ['type=local,dest=DIR,mode=max,reset=true,ignore-error=true'],
    ],
    [
      'local, cold, reset',
      { buildxVersion: '0.36.0' },
      false,
      [],
      ['type=local,dest=DIR,mode=max,reset=true,ignore-error=true'],
    ],
    [
      'registry, pushing',
      { mode: 'registry' },
      false,
      ['type=registry,ref=ghcr.io/org/app:buildcache'],
      ['type=registry,ref=ghcr.io/org/app:buildcache,mode=max,ignore-error=true'],
    ],
    [
      'registry, not pushing (PR): read only',
      { mode: 'registry', push: false },
      false,
      ['type=registry,ref=ghcr.io/org/app:buildcache'],
      [],
    ],
    ['inline', { mode: 'inline' }, false, ['type=registry,ref=ghcr.io/org/app:main'], ['type=inline']],
    ['inline without tags', { mode: 'inline', refs: [] }, false, [], ['type=inline']],
    [
      'gha',
      { mode: 'gha' },
      false,
      ['type=gha,scope=org-app-linux-amd64-linux-arm64'],
      ['type=gha,scope=org-app-linux-amd64-linux-arm64,mode=max,ignore-error=true'],
    ],
    ['none', { mode: 'none' }, false, [], []],
    [
      'explicit win over local',
      { explicitFrom: ['type=registry,ref=u/a:c'], explicitTo: ['type=registry,ref=u/a:c,mode=max'] },
      false,
      ['type=registry,ref=u/a:c'],
      ['type=registry,ref=u/a:c,mode=max'],
    ],
    [
      'explicit cache-from alone',
      { mode: 'registry', explicitFrom: ['user/app:cache'] },
      false,
      ['user/app:cache'],
      [],
    ],
  ])('%s', (_name, p, restored, from, to) => {
    const r = args(p, restored);
    const dir = r.plan.local?.dir ?? 'DIR';
    const sub = (xs: string[]) => xs.map((x) => x.replace(/DIR/g, dir));
    expect(r.cacheFrom).toEqual(sub(from));
    expect(r.cacheTo).toEqual(sub(to));
  });

  test("local folder: the service path is the same every job (under RUNNER_TEMP), one per build identity; the build folders are the run's own", () => {
    const a = planCache(base).local!;
    expect(a.servicePath).toMatch(/^\/rt\/multiarch-cache\/[0-9a-f]{16}$/);
    expect(planCache({ ...base, sha: 'other' }).local!.servicePath).toBe(a.servicePath);
    expect(planCache({ ...base, platforms: ['linux/amd64'] }).local!.servicePath).not.toBe(a.servicePath);
    // two runs sharing RUNNER_TEMP build from and export to folders of their own
    expect(a.dir).toBe('/rt/multiarch-run1/layer-cache');
    expect(a.exportDir).toBe('/rt/multiarch-run1/layer-cache-new');
    expect(planCache({ ...base, runTempDir: '/rt/multiarch-run2' }).local!.exportDir).toBe(
      '/rt/multiarch-run2/layer-cache-new',
    );
    expect(a.strategy).toBe('swap');
    expect(planCache({ ...base, buildxVersion: '0.35.0' }).local!.strategy).toBe('reset');
  });

  test('local without a cache service (not on GitHub): a log line, no warning, no cache', () => {
    const plan = planCache({ ...base, runtime: {} });
    expect(plan.local).toBeUndefined();
    expect(plan.warnings).toEqual([]);
    expect(plan.notes.join()).toMatch(/cache service is not available/);
  });

  test('gha: the runtime URL and token go to buildx through its environment, old buildx is warned about', () => {
    const plan = planCache({ ...base, mode: 'gha', runtime: { ...base.runtime, UNRELATED: 'x' } });
    expect(plan.env).toEqual({
      ACTIONS_RESULTS_URL: 'https://results/',
      ACTIONS_RUNTIME_TOKEN: 'tok',
      ACTIONS_CACHE_SERVICE_V2: 'True',
    });
    expect(plan.warnings.join()).toMatch(/buildx 0\.13\.1 .*≥ 0\.21\.0/);
    expect(planCache({ ...base, mode: 'gha', buildxVersion: '0.21.0' }).warnings).toEqual([]);
    const none = planCache({ ...base, mode: 'gha', runtime: {} });
    expect(none.cacheFrom).toEqual([]);
    expect(none.warnings.join()).toMatch(/needs the runtime cache service/);
  });

  test('registry without images: warning, no cache', () => {
    const plan = planCache({ ...base, mode: 'registry', images: [] });
    expect(plan.cacheFrom).toEqual([]);
    expect(plan.warnings.join()).toMatch(/needs an image/);
  });

  test('gha scope per image and platform set, registry host dropped, suffix appended', () => {
    expect(ghaScope(['ghcr.io/org/app'], ['linux/amd64'], '')).toBe('org-app-linux-amd64');
    expect(ghaScope([], ['linux/arm64'], 'x')).toBe('default-linux-arm64-x');
    // the registry host goes, whatever it is (the hand-written rule kept a host without a dot, such as localhost:5000)
    expect(ghaScope(['localhost:5000/org/app'], ['linux/amd64'], '')).toBe('org-app-linux-amd64');
    expect(ghaScope(['docker.io/library/app'], ['linux/amd64'], '')).toBe('app-linux-amd64');
    expect(ghaScope(['org/app'], ['linux/amd64'], '')).toBe('org-app-linux-amd64');
  });

  test('the build argv carries them', () => {
    const argv = planBuild({
      builder: 'b',
      platforms: ['linux/amd64'],
      context: '/ws',
      file: '',
      buildArgs: [],
      refs: [],
      push: false,
      metadataFile: '/m.json',
      cacheFrom: ['type=local,src=/c'],
      cacheTo: ['type=local,dest=/c-new,mode=max'],
    });
    expect(argv.join(' ')).toContain(
      '--cache-from type=local,src=/c --cache-to type=local,dest=/c-new,mode=max --metadata-file',
    );
  });
});

describe('after the build: swap / reset / empty-export guard', () => {
  const good = { valid: true, bytes: 100 };
  const empty = { valid: false, bytes: 0 };
  test.each<[string, Parameters<typeof decideAfterBuild>[0], boolean, boolean]>([
    [
      'swap: cold build → swap in, save',
      { strategy: 'swap', hit: 'miss', restored: empty, exported: good },
      true,
      true,
    ],
    [
      'swap: partial hit → replace old by new, save',
      { strategy: 'swap', hit: 'partial', restored: good, exported: good },
      true,
      true,
    ],
    [
      'swap: exact hit → swap, no save',
      { strategy: 'swap', hit: 'exact', restored: good, exported: good },
      true,
      false,
    ],
    [
      'swap: empty export over a good cache → keep the old one, no save',
      { strategy: 'swap', hit: 'partial', restored: good, exported: empty },
      false,
      false,
    ],
    [
      'swap: empty export over an exact hit → keep, no save',
      { strategy: 'swap', hit: 'exact', restored: good, exported: empty },
      false,
      false,
    ],
    [
      'swap: empty export and nothing restored → nothing',
      { strategy: 'swap', hit: 'miss', restored: empty, exported: empty },
      false,
      false,
    ],
    ['reset: partial → save', { strategy: 'reset', hit: 'partial', restored: good, exported: good }, false, true],
    ['reset: miss → save', { strategy: 'reset', hit: 'miss', restored: empty, exported: good }, false, true],
    ['reset: exact → no save', { strategy: 'reset', hit: 'exact', restored: good, exported: good }, false, false],
    ['reset: empty → no save', { strategy: 'reset', hit: 'partial', restored: good, exported: empty }, false, false],
    [
      'swap: export identical to the restored cache (no change) → keep, no save',
      {
        strategy: 'swap',
        hit: 'partial',
        restored: { ...good, fingerprint: 'f1' },
        exported: { ...good, fingerprint: 'f1' },
      },
      false,
      false,
    ],
    [
      'swap: export differs from the restored cache → swap, save',
      {
        strategy: 'swap',
        hit: 'partial',
        restored: { ...good, fingerprint: 'f1' },
        exported: { ...good, fingerprint: 'f2' },
      },
      true,
      true,
    ],
    [
      'reset: export identical to what was restored → no save',
      {
        strategy: 'reset',
        hit: 'partial',
        restored: { ...good, fingerprint: 'f1' },
        exported: { ...good, fingerprint: 'f1' },
      },
      false,
      false,
    ],
  ])('%s', (_name, input, swap, save) => {
    const d = decideAfterBuild(input);
    expect({ swap: d.swap, save: d.save }).toEqual({ swap, save });
    expect(d.note).not.toBe('');
  });
});

describe('usesActionsCache: exactly when planCache gives the run a local (@actions/cache) part', () => {
  const service = { ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' };
  test.each<[string, Partial<CachePlanInput>]>([
    ['local with the v2 service', { runtime: service }],
    ['local with the v1 service', { runtime: { ACTIONS_CACHE_URL: 'http://127.0.0.1:1/' } }],
    ['no service', { runtime: {} }],
    ['explicit cache-from', { runtime: service, explicitFrom: ['type=registry,ref=r/x:c'] }],
    ['explicit cache-to', { runtime: service, explicitTo: ['type=inline'] }],
    ['gha', { runtime: { ...service, ACTIONS_RUNTIME_TOKEN: 't' }, mode: 'gha' }],
    ['none', { runtime: service, mode: 'none' }],
  ])('%s', (_name, over) => {
    const p = { ...base, ...over };
    expect(usesActionsCache(p)).toBe(planCache(p).local !== undefined);
  });
});
