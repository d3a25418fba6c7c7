import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { buildSteps } from './cache-helpers.js';
import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { makeWorkspace, runJob } from './harness.js';
import { type PrivateEngine, startPrivateEngine } from './private-engine.js';

// Every step runs for both platforms (arm64 under QEMU); RUN steps need no network.
const DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin && /bin/busybox --install -s /bin && uname -m > /built-on"]
RUN --network=none ["/bin/sh", "-c", "echo second layer > /second"]
COPY app.txt /app.txt
`;

let engine: PrivateEngine;
let service: StandIn;

beforeAll(async () => {
  [engine, service] = await Promise.all([startPrivateEngine(), startCacheStandIn()]);
}, 120_000);

afterAll(async () => {
  await Promise.all([engine?.stop(), service?.close()]);
});

/** A fresh runner: same RUNNER_TEMP path but empty, and an engine without build cache. */
function freshRunner(runnerTemp: string): void {
  fs.rmSync(runnerTemp, { recursive: true, force: true });
  fs.mkdirSync(runnerTemp, { recursive: true });
  engine.pruneBuildCache();
}

describe('layer cache (local) through the real @actions/cache against a stand-in cache service', () => {
  test('run 1 cold saves; run 2 on a fresh runner restores and every layer is CACHED; run 3 rebuilds only the changed layer', async () => {
    const ws = makeWorkspace(DOCKERFILE, { 'app.txt': 'hello\n' });
    const runnerTemp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-cache-')), 'runner-temp');
    const env = { ...service.env, DOCKER_HOST: engine.host };
    const inputs = { platforms: 'linux/amd64,linux/arm64', push: 'false' };

    // run 1: nothing to restore, cold build, saved
    freshRunner(runnerTemp);
    const run1 = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: 'a'.repeat(40) });
    expect(run1.main.errors).toEqual([]);
    expect(run1.main.warnings).toEqual([]);
    expect(run1.main.code).toBe(0);
    expect(run1.main.outputs['cache-hit']).toBe('miss');
    const key1 = run1.main.outputs['cache-key']!;
    expect(key1).toMatch(/^multiarch-buildx-Linux-[0-9a-f]{16}-a{40}$/);
    const steps1 = buildSteps(run1.main.stdout + run1.main.stderr);
    expect(steps1.length).toBe(8); // 4 steps × 2 platforms
    expect(steps1.filter((s) => s.cached)).toEqual([]);
    expect(service.entries.filter((e) => e.finalized).map((e) => e.key)).toEqual([key1]);
    expect(run1.main.summary).toMatch(/saved: [\d.]+ (KiB|MiB) as multiarch-buildx-Linux-/);
    expect(run1.post.code).toBe(0);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);

    // control: after the engine forgets its build cache, a build without our cache is cold again
    freshRunner(runnerTemp);
    const control = await runJob({ workspace: ws, inputs: { ...inputs, cache: 'none' }, env, runnerTemp });
    expect(control.main.code).toBe(0);
    expect(buildSteps(control.main.stdout + control.main.stderr).filter((s) => s.cached)).toEqual([]);

    // run 2: next commit, fresh runner: the restore-key brings run 1's cache, every layer CACHED
    freshRunner(runnerTemp);
    const run2 = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: 'b'.repeat(40) });
    expect(run2.main.errors).toEqual([]);
    expect(run2.main.warnings).toEqual([]);
    expect(run2.main.code).toBe(0);
    expect(run2.main.outputs['cache-hit']).toBe('partial');
    expect(run2.main.stdout).toContain(`Cache hit for restore-key: ${key1}`);
    const steps2 = buildSteps(run2.main.stdout + run2.main.stderr);
    expect(steps2.length).toBe(8);
    expect(steps2.filter((s) => !s.cached)).toEqual([]);
    expect(run2.main.summary).toMatch(/restored: [\d.]+ (KiB|MiB) from restore-key match/);
    // nothing changed: the export equals the restored cache, so it is not uploaded again
    expect(run2.main.summary).toContain('the export is identical to the restored cache: not saved again');
    expect(service.entries.filter((e) => e.finalized).map((e) => e.key)).toEqual([key1]);

    // run 3: one-line source change: only the COPY of that file is rebuilt
    fs.writeFileSync(path.join(ws, 'app.txt'), 'hello, changed\n');
    freshRunner(runnerTemp);
    const run3 = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: 'c'.repeat(40) });
    expect(run3.main.code).toBe(0);
    expect(run3.main.warnings).toEqual([]);
    expect(run3.main.outputs['cache-hit']).toBe('partial');
    expect(run3.main.stdout).toContain(`Cache hit for restore-key: ${key1}`);
    const steps3 = buildSteps(run3.main.stdout + run3.main.stderr);
    expect(steps3.length).toBe(8);
    const rebuilt = steps3.filter((s) => !s.cached).map((s) => s.name);
    expect(rebuilt.length).toBeGreaterThan(0);
    expect(rebuilt.every((n) => n.endsWith('COPY app.txt /app.txt'))).toBe(true);
    // the changed layer made a new cache: the old one is replaced (swap) and saved under run 3's key
    const key3 = run3.main.outputs['cache-key']!;
    expect(service.entries.filter((e) => e.finalized).map((e) => e.key)).toEqual([key1, key3]);

    // run 4: the same commit again (a re-run): exact hit, everything CACHED, not saved again
    freshRunner(runnerTemp);
    const saves = service.calls.filter((c) => c === 'CreateCacheEntry').length;
    const run4 = await runJob({ workspace: ws, inputs, env, runnerTemp, sha: 'c'.repeat(40) });
    expect(run4.main.code).toBe(0);
    expect(run4.main.outputs['cache-hit']).toBe('exact');
    expect(buildSteps(run4.main.stdout + run4.main.stderr).filter((s) => !s.cached)).toEqual([]);
    expect(service.calls.filter((c) => c === 'CreateCacheEntry').length).toBe(saves);
    expect(run4.main.summary).toContain('exact cache hit: not saved again');
  }, 600_000);
});
