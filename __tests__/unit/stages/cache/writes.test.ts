import { cacheArgs, type CachePlanInput, planCache } from '../../../../src/stages/cache/plan.js';
import {
  applyWritePolicy,
  cacheExportFailures,
  cacheExportWarning,
  cacheWriteBlock,
  isWriteDenied,
  UNTRUSTED_CODE_EVENTS,
  withIgnoreError,
} from '../../../../src/stages/cache/writes.js';

const HOSTILE = ['x\n::error::pwned', '-rf', 'y'.repeat(100_000), '%0A::error::z'];

const base: CachePlanInput = {
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
  runTempDir: '/rt/multiarch-run',
  images: ['ghcr.io/org/app'],
  refs: ['ghcr.io/org/app:main'],
  push: true,
  buildxVersion: '0.13.1',
  runtime: { ACTIONS_RESULTS_URL: 'http://x/', ACTIONS_RUNTIME_TOKEN: 't' },
};

describe('cacheWriteBlock: which runs write the layer cache', () => {
  test.each(UNTRUSTED_CODE_EVENTS)('%s: not saved, the notice names the event, the reason and the opt-in', (ev) => {
    const why = cacheWriteBlock({ eventName: ev, saveUntrusted: false, cacheMode: '' });
    expect(why).toContain(`a ${ev} run may build code nobody reviewed`);
    expect(why).toMatch(/cache poisoning/);
    expect(why).toMatch(/cache-save-untrusted: true/);
  });

  test.each(UNTRUSTED_CODE_EVENTS)('%s with cache-save-untrusted: true: saved', (ev) => {
    expect(cacheWriteBlock({ eventName: ev, saveUntrusted: true, cacheMode: '' })).toBeUndefined();
  });

  test.each(['push', 'pull_request', 'schedule', 'workflow_dispatch', ''])('%s: saved', (ev) => {
    expect(cacheWriteBlock({ eventName: ev, saveUntrusted: false, cacheMode: 'write' })).toBeUndefined();
  });

  test.each([
    ['read', true],
    [' READ ', true],
    ['none', true],
    ['write', false],
    ['write-only', false],
    ['', false],
    ['unknown', false],
  ])('ACTIONS_CACHE_MODE=%j: blocked %s (the opt-in cannot make a read-only token write)', (mode, blocked) => {
    const why = cacheWriteBlock({ eventName: 'push', saveUntrusted: true, cacheMode: mode });
    expect(why !== undefined).toBe(blocked);
    if (why) expect(why).toContain(`ACTIONS_CACHE_MODE=${mode.trim().toLowerCase()}`);
  });

  test.each(HOSTILE)('a hostile event name or cache mode never reaches the notice: %#', (v) => {
    expect(cacheWriteBlock({ eventName: v, saveUntrusted: false, cacheMode: v })).toBeUndefined();
    const why = cacheWriteBlock({ eventName: 'workflow_run', saveUntrusted: false, cacheMode: v })!;
    expect(why).not.toContain(v);
    expect(why).not.toMatch(/\n/);
  });
});

describe('withIgnoreError', () => {
  test.each([
    ['type=gha,mode=max', 'type=gha,mode=max,ignore-error=true'],
    ['mode=max,TYPE=gha', 'mode=max,TYPE=gha,ignore-error=true'],
    ['type=gha,ignore-error=false', 'type=gha,ignore-error=false'],
    ['type=gha, ignore-error=true', 'type=gha, ignore-error=true'],
    ['type=registry,ref=r/a:c,mode=max', 'type=registry,ref=r/a:c,mode=max'],
    ['type=ghacache', 'type=ghacache'],
    ['type=inline', 'type=inline'],
  ])('%s → %s', (entry, want) => {
    expect(withIgnoreError(entry)).toBe(want);
  });

  test.each(HOSTILE)('a hostile entry that is no gha entry is left as given: %#', (v) => {
    expect(withIgnoreError(v)).toBe(v);
    expect(withIgnoreError(`type=gha,scope=${v}`)).toBe(`type=gha,scope=${v},ignore-error=true`);
  });
});

describe('applyWritePolicy', () => {
  const block = 'layer cache: not saved: because';

  test.each<[string, Partial<CachePlanInput>]>([
    ['local', {}],
    ['gha', { mode: 'gha' }],
    ['registry', { mode: 'registry' }],
    ['inline', { mode: 'inline' }],
    ['explicit', { explicitFrom: ['type=gha'], explicitTo: ['type=gha,mode=max'] }],
  ])('blocked, %s: no --cache-to, the restore unchanged, the reason kept for the save', (_n, p) => {
    const plan = planCache({ ...base, ...p });
    const blocked = applyWritePolicy(plan, block);
    expect(blocked.skipSave).toBe(block);
    expect(cacheArgs(blocked, true).cacheTo).toEqual([]);
    expect(cacheArgs(blocked, true).cacheFrom).toEqual(cacheArgs(plan, true).cacheFrom);
  });

  test('blocked with nothing to write (cache: none): no notice to give', () => {
    const plan = planCache({ ...base, mode: 'none' });
    expect(applyWritePolicy(plan, block).skipSave).toBeUndefined();
  });

  test("a user's gha cache-to gets ignore-error=true and a note; the others are left as given", () => {
    const plan = planCache({
      ...base,
      explicitTo: ['type=gha,mode=max', 'type=registry,ref=r/a:c', 'type=gha,ignore-error=false'],
    });
    const out = applyWritePolicy(plan, undefined);
    expect(out.cacheTo).toEqual([
      'type=gha,mode=max,ignore-error=true',
      'type=registry,ref=r/a:c',
      'type=gha,ignore-error=false',
    ]);
    expect(out.notes.at(-1)).toMatch(/ignore-error=true added .*set ignore-error=false to fail instead/);
    const untouched = planCache({ ...base, explicitTo: ['type=registry,ref=r/a:c'] });
    expect(applyWritePolicy(untouched, undefined)).toBe(untouched);
  });
});

/** buildx 0.13's plain log of a gha export refused by a read-only token (captured with ignore-error=true). */
const READ_ONLY_LOG = `#3 importing cache manifest from gha:1989203921882728151
#3 DONE 0.0s

#5 [1/1] COPY a /a
#5 DONE 0.0s

#6 exporting to GitHub Actions Cache
#6 preparing build cache for export 0.1s done
#6 sending cache export
#6 writing layer sha256:a506c7870e7763087cca374d867016df701b2313825f95d1c082b6b3cae2d097 done
#6 ERROR: error writing layer blob: cache write denied: token has no writable scopes
------
 > exporting to GitHub Actions Cache:
------
`;

describe('cacheExportFailures and their warning', () => {
  test('a gha export refused by a read-only token: one failure, a warning naming the read-only token', () => {
    const failures = cacheExportFailures(READ_ONLY_LOG);
    expect(failures).toEqual([
      {
        vertex: 'exporting to GitHub Actions Cache',
        error: 'error writing layer blob: cache write denied: token has no writable scopes',
      },
    ]);
    expect(cacheExportWarning(failures[0]!)).toMatch(
      /^layer cache: not saved: exporting to GitHub Actions Cache failed \(this run's cache token is read-only.*\): error writing layer blob.*; the build result stands/,
    );
  });

  test('a registry cache export failing for another reason: a warning without the read-only words', () => {
    const log = '#9 exporting cache to registry\n#9 ERROR: unexpected status 400 Bad Request\n';
    const [f] = cacheExportFailures(log);
    expect(cacheExportWarning(f!)).not.toMatch(/read-only/);
    expect(cacheExportWarning(f!)).toContain('exporting cache to registry failed: unexpected status 400');
  });

  test('errors of other steps and successful exports are not cache failures', () => {
    const log = [
      '#4 [2/3] RUN make',
      '#4 ERROR: process did not complete',
      '#7 exporting to image',
      '#7 ERROR: push failed',
      '#8 exporting cache to client directory',
      '#8 DONE 0.2s',
    ].join('\n');
    expect(cacheExportFailures(log)).toEqual([]);
    expect(cacheExportFailures('')).toEqual([]);
  });

  test.each(HOSTILE)('a hostile error stays inside one warning, clipped: %#', (v) => {
    const [f] = cacheExportFailures(`#6 exporting to GitHub Actions Cache\n#6 ERROR: ${v}\n`);
    const w = cacheExportWarning(f ?? { vertex: 'exporting to GitHub Actions Cache', error: v });
    expect(w.length).toBeLessThanOrEqual(2100);
    expect(w).toMatch(/^layer cache: not saved: /);
    // a log line cannot hold a line break: a value's "::error::" is never at the start of a line
    expect(
      w
        .split('\n')
        .slice(1)
        .some((l) => l.startsWith('::')),
    ).toBe(false);
  });

  test.each([
    ['cache reservation failed: Received non-retryable error: Failed request: (403) Forbidden', true],
    ['Failed to save: Unable to reserve cache with key k. More details: cache write denied: x', true],
    ['cache reservation failed: (500) Internal Server Error', false],
  ])('isWriteDenied(%j) = %s', (p, want) => {
    expect(isWriteDenied(p)).toBe(want);
  });
});
