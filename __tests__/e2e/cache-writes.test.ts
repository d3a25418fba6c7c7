import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { BUSYBOX_DOCKERFILE, DEFAULT_PAYLOAD, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

// The shared engine is fine here: these tests are about who writes the cache and what a refused
// write does, not about layers.
let service: StandIn;
beforeAll(async () => {
  service = await startCacheStandIn();
}, 60_000);
afterAll(async () => {
  await service?.close();
});

function runnerTempPath(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-cachewrite-')), 'runner-temp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
const workspace = () => makeWorkspace(BUSYBOX_DOCKERFILE, { 'nonce.txt': uniqueName('nonce') });
const inputs = { platforms: 'linux/amd64', push: 'false' };
const notices = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::notice::'));

/** A runtime token as the runner gives it (a JWT with cache scopes): buildkit's gha client reads its claims. */
function runtimeJwt(): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const ac = JSON.stringify([{ Scope: 'refs/heads/main', Permission: 1 }]);
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ac, exp: now + 3600, nbf: now - 60 })}.sig`;
}

describe('a run stopped during a cache save leaves nothing behind', () => {
  test('SIGTERM while the save waits on the service: main exits 143, post removes the shared cache folder and its lock', async () => {
    service.holdSave = true;
    service.hangMs = 60_000;
    try {
      const runnerTemp = runnerTempPath();
      const job = await runJob({
        workspace: workspace(),
        inputs,
        env: service.env,
        runnerTemp,
        // @actions/cache's last line before it asks the service to reserve the entry: the lock is held
        stopMain: { when: /^::debug::Reserving Cache/m, signal: 'SIGTERM' },
      });
      expect(job.main.code).toBe(143);
      const state = JSON.parse(job.main.state.multiarch ?? '{}') as { cacheDirs?: string[]; tempDir?: string };
      expect(state.cacheDirs).toEqual([expect.stringMatching(/multiarch-cache\/[0-9a-f]{16}$/)]);
      expect(job.post.code).toBe(0);
      expect(job.post.stdout).toContain(`removed the cache folder ${state.cacheDirs![0]}`);
      expect(job.post.warnings).toEqual([]);
      // no cache folder, no lock, no run folder: the next run on this RUNNER_TEMP finds it free
      expect(fs.readdirSync(runnerTemp)).toEqual([]);
    } finally {
      service.holdSave = false;
      service.hangMs = 15_000;
    }
  }, 300_000);
});

describe('a read-only cache token: the refused write is a warning, the build stands', () => {
  test('cache: local, the service answering 403 "cache write denied" to the save', async () => {
    service.readOnly = true;
    try {
      const runnerTemp = runnerTempPath();
      const job = await runJob({ workspace: workspace(), inputs, env: service.env, runnerTemp });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.digest).toMatch(/^sha256:/);
      expect(job.main.warnings).toEqual([
        expect.stringMatching(
          /^layer cache: not saved: the cache service refused the write: this run's cache token is read-only .*403/,
        ),
      ]);
      expect(job.main.stdout).not.toMatch(/^::error/m);
      expect(job.post.code).toBe(0);
      expect(fs.readdirSync(runnerTemp)).toEqual([]);
    } finally {
      service.readOnly = false;
    }
  }, 300_000);

  test('cache: gha, buildx exporting to the service that answers 403: ignore-error=true, a warning, a green build', async () => {
    service.readOnly = true;
    const before = service.calls.length;
    try {
      const env = {
        ...service.env,
        ACTIONS_CACHE_URL: service.env.ACTIONS_RESULTS_URL!,
        ACTIONS_RUNTIME_TOKEN: runtimeJwt(),
      };
      const job = await runJob({
        workspace: workspace(),
        inputs: { ...inputs, cache: 'gha', images: `${REGISTRY}/${uniqueName('e2e/gharo')}` },
        env,
        runnerTemp: runnerTempPath(),
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.digest).toMatch(/^sha256:/);
      const build = job.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
      expect(build[build.indexOf('--cache-to') + 1]).toMatch(/^type=gha,scope=.*,mode=max,ignore-error=true$/);
      // buildx reached the service and was refused
      expect(service.calls.slice(before)).toContain('v1 POST /_apis/artifactcache/caches');
      expect(job.main.warnings).toContainEqual(
        expect.stringMatching(
          /^layer cache: not saved: exporting to GitHub Actions Cache failed \(this run's cache token is read-only.*\): .*cache write denied/,
        ),
      );
    } finally {
      service.readOnly = false;
    }
  }, 300_000);
});

describe('untrusted code writing into a trusted cache scope', () => {
  test('pull_request_target: the cache is restored, nothing is saved, a notice says why', async () => {
    const before = service.calls.length;
    const runnerTemp = runnerTempPath();
    const job = await runJob({
      workspace: workspace(),
      inputs,
      env: service.env,
      runnerTemp,
      eventName: 'pull_request_target',
      payload: { ...DEFAULT_PAYLOAD, pull_request: { number: 7 } },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const calls = service.calls.slice(before);
    expect(calls).toContain('GetCacheEntryDownloadURL');
    expect(calls).not.toContain('CreateCacheEntry');
    const build = job.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
    expect(build).not.toContain('--cache-to');
    expect(notices(job.main.stdout)).toEqual([
      expect.stringMatching(
        /layer cache: not saved: a pull_request_target run may build code nobody reviewed.*cache poisoning.*cache-save-untrusted: true/,
      ),
    ]);
    expect(job.main.summary).toMatch(/saved: nothing \(writes are not allowed for this run\)/);
    expect(job.post.code).toBe(0);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);
  }, 300_000);

  test('pull_request_target with cache-save-untrusted: true: saved', async () => {
    const before = service.calls.length;
    const job = await runJob({
      workspace: workspace(),
      inputs: { ...inputs, 'cache-save-untrusted': 'true' },
      env: service.env,
      runnerTemp: runnerTempPath(),
      eventName: 'pull_request_target',
      payload: { ...DEFAULT_PAYLOAD, pull_request: { number: 8 } },
    });
    expect(job.main.code).toBe(0);
    expect(service.calls.slice(before)).toContain('CreateCacheEntry');
    expect(job.main.summary).toMatch(/saved: [\d.]+ (B|KiB|MiB) as multiarch-/);
    expect(notices(job.main.stdout)).toEqual([]);
  }, 300_000);
});
