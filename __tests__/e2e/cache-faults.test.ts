import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { BUSYBOX_DOCKERFILE, freePort, makeWorkspace, runJob, uniqueName } from './harness.js';

// The shared engine is fine here: these tests are about the cache service failing, not about layers.
let service: StandIn;
beforeAll(async () => {
  service = await startCacheStandIn();
}, 60_000);
afterAll(async () => {
  await service?.close();
});

function runnerTempPath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-cachefault-')), 'runner-temp');
}

// a unique context, so no other test's cache entry matches by accident
function workspace(): string {
  return makeWorkspace(BUSYBOX_DOCKERFILE, { 'nonce.txt': uniqueName('nonce') });
}
const inputs = { platforms: 'linux/amd64', push: 'false' };

function expectColdSuccess(job: Awaited<ReturnType<typeof runJob>>, warning: RegExp): void {
  expect(job.main.errors).toEqual([]);
  expect(job.main.code).toBe(0);
  expect(job.main.outputs.digest).toMatch(/^sha256:/);
  expect(job.main.outputs['cache-hit']).toBe('miss');
  expect(job.main.warnings.join('\n')).toMatch(warning);
  expect(job.post.code).toBe(0);
  expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
}

describe('layer cache failures are warnings: the build goes on cold', () => {
  test('cache service answering 500 to everything', async () => {
    service.fault = '500';
    try {
      const job = await runJob({ workspace: workspace(), inputs, env: service.env, runnerTemp: runnerTempPath() });
      expectColdSuccess(job, /layer cache: restore failed, building without a cache: .*500/);
      expect(job.main.warnings.join('\n')).toMatch(/layer cache: not saved: the cache service failed during restore/);
      expect(job.main.stdout).not.toMatch(/^::error/m);
    } finally {
      service.fault = 'none';
    }
  }, 300_000);

  test('cache service unreachable (nothing listens on its port)', async () => {
    const port = await freePort();
    const env = { ...service.env, ACTIONS_RESULTS_URL: `http://127.0.0.1:${port}/` };
    const job = await runJob({ workspace: workspace(), inputs, env, runnerTemp: runnerTempPath() });
    expectColdSuccess(
      job,
      /layer cache: restore failed, building without a cache: .*(ECONNREFUSED|Unable to make request)/,
    );
    expect(job.main.warnings.join('\n')).toMatch(/layer cache: not saved: the cache service failed during restore/);
  }, 300_000);

  test('a service that fails only on save (500 on CreateCacheEntry): a warning, the build output stands', async () => {
    service.fault = 'none';
    service.failSave = true;
    try {
      const job = await runJob({ workspace: workspace(), inputs, env: service.env, runnerTemp: runnerTempPath() });
      expectColdSuccess(
        job,
        /layer cache: save failed, the next run starts from the previous cache: cache reservation failed: .*500/,
      );
    } finally {
      service.failSave = false;
    }
  }, 300_000);

  test('a cache service that does not answer: restore gives up after the timeout, build goes on without the cache', async () => {
    service.fault = 'hang';
    service.hangMs = 20_000;
    try {
      const env = { ...service.env, MULTIARCH_CACHE_TIMEOUT_SECONDS: '3' };
      const before = service.calls.length;
      const job = await runJob({ workspace: workspace(), inputs, env, runnerTemp: runnerTempPath() });
      expectColdSuccess(
        job,
        /layer cache: restore timed out \(no answer within 3 s\); building without the layer cache/,
      );
      expect(job.main.stdout + job.main.stderr).not.toMatch(/--cache-to|exporting cache/);
      expect(service.calls.slice(before).filter((c) => c === 'CreateCacheEntry')).toEqual([]);
    } finally {
      service.fault = 'none';
    }
  }, 300_000);

  test('a truncated archive: the half-extracted folder is discarded, build cold, the next save works', async () => {
    const ws = workspace();
    const runnerTemp = runnerTempPath();
    const first = await runJob({ workspace: ws, inputs, env: service.env, runnerTemp, sha: '1'.repeat(40) });
    expect(first.main.code).toBe(0);
    expect(first.main.warnings).toEqual([]);
    const key1 = first.main.outputs['cache-key']!;
    expect(service.entries.some((e) => e.key === key1 && e.finalized)).toBe(true);

    service.fault = 'truncate';
    try {
      fs.rmSync(runnerTemp, { recursive: true, force: true });
      const job = await runJob({ workspace: ws, inputs, env: service.env, runnerTemp, sha: '2'.repeat(40) });
      expectColdSuccess(job, /layer cache: restore failed, building without a cache/);
      // no cache-from pointing at a broken folder
      expect(job.main.stdout + job.main.stderr).not.toMatch(/importing cache manifest from local/);
      // the cold build's cache was still saved for the next run
      expect(job.main.summary).toMatch(/saved: [\d.]+ (KiB|MiB) as /);
    } finally {
      service.fault = 'none';
    }
  }, 300_000);
});
