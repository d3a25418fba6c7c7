import { spawn } from 'node:child_process';

import { startFaultProxy } from './faultproxy.js';
import { indexPlatforms, makeWorkspace, registryManifest, runJob, uniqueName } from './harness.js';

/** Async (the proxy lives in this process and must keep serving): run raw docker, time it. */
function dockerAsync(args: string[]): Promise<{ code: number; output: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const child = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - start }));
  });
}

/** A two-platform image with a layer of its own (no RUN: nothing here needs the engine's network), so a push has blobs to upload. */
function uniqueWorkspace(): string {
  return makeWorkspace('FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY id /id\n', {
    id: uniqueName('retry'),
  });
}

const OUTAGE_MS = 20_000;
const buildCalls = (calls: string[][]) => calls.filter((c) => c[0] === 'buildx' && c[1] === 'build');

// jest's testTimeout is a global option: the projects' setting does not reach these tests
describe('verification: push retries through a fault-injecting registry proxy', () => {
  test(`a ${OUTAGE_MS / 1000}s outage of every write: raw buildx gives up, the action with default settings retries and pushes`, async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: 5000 }, { kind: 'outage', windowMs: OUTAGE_MS });
    try {
      const ws = uniqueWorkspace();

      // control: raw buildx through the same outage
      const controlRepo = uniqueName('e2e/retry-control');
      const control = await dockerAsync([
        'buildx',
        'build',
        '--platform',
        'linux/amd64,linux/arm64',
        '--push',
        '--tag',
        `${proxy.host}/${controlRepo}:v1`,
        ws,
      ]);
      const controlFaults = proxy.stats.faulted;
      const controlSinceFirstWrite = Date.now() - proxy.stats.firstWriteAt!;
      expect(control.code).not.toBe(0);
      expect(control.output).toMatch(/503 Service Unavailable/);
      console.log(
        `control: raw buildx --push exit ${control.code} after ${control.ms} ms (${controlSinceFirstWrite} ms after the first write, ${controlFaults} writes answered 503); ` +
          `last line: ${control.output.trim().split('\n').pop()}`,
      );

      // the action, default settings, through a fresh outage of the same length
      proxy.setMode({ kind: 'outage', windowMs: OUTAGE_MS });
      const repo = uniqueName('e2e/retry');
      const job = await runJob({
        workspace: ws,
        inputs: { images: `${proxy.host}/${repo}`, tags: 'v1', push: 'true', platforms: 'linux/amd64,linux/arm64' },
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const retries = job.main.warnings.filter((w) => /retrying in \d+s/.test(w));
      expect(retries.length).toBeGreaterThan(0);
      expect(retries[0]).toContain('registry server error (5xx)');
      expect(buildCalls(job.main.dockerCalls)).toHaveLength(retries.length + 1);
      // the retries did not rebuild: the RUN step came from the cache
      expect(job.main.stderr + job.main.stdout).toMatch(/CACHED/);
      expect(proxy.stats.faulted).toBeGreaterThan(0);
      expect(indexPlatforms((await registryManifest(repo, 'v1')).body)).toEqual(['linux/amd64', 'linux/arm64']);
      console.log(
        `action: exit 0 after ${job.main.ms} ms, ${buildCalls(job.main.dockerCalls).length} buildx runs, ${proxy.stats.faulted} writes answered 503; retries:\n${retries.join('\n')}`,
      );
    } finally {
      await proxy.stop();
    }
  }, 300_000);

  test('a 401 on push is not retried', async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: 5000 }, { kind: 'unauthorized' });
    try {
      const job = await runJob({
        workspace: uniqueWorkspace(),
        inputs: {
          images: `${proxy.host}/${uniqueName('e2e/retry-401')}`,
          tags: 'v1',
          push: 'true',
          platforms: 'linux/amd64,linux/arm64',
        },
        traceDocker: true,
      });
      expect(job.main.code).toBe(1);
      expect(job.main.errors.join('\n')).toMatch(/401 Unauthorized/);
      expect(buildCalls(job.main.dockerCalls)).toHaveLength(1);
      expect(job.main.warnings.join('\n')).not.toMatch(/retrying in/);
      expect(job.main.warnings.join('\n')).toMatch(/push failed \(authentication error\); not retrying/);
      expect(job.post.code).toBe(0);
    } finally {
      await proxy.stop();
    }
  }, 300_000);

  // a registry that closes connections mid-push (`Head "…": EOF`) is retried
  test('a registry that drops every connection for a while: raw buildx gives up with EOF, the action retries and pushes', async () => {
    const DROP_MS = 15_000;
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: 5000 }, { kind: 'drop', windowMs: DROP_MS });
    try {
      const ws = uniqueWorkspace();
      const control = await dockerAsync([
        'buildx',
        'build',
        '--platform',
        'linux/amd64',
        '--push',
        '--tag',
        `${proxy.host}/${uniqueName('e2e/drop-control')}:v1`,
        ws,
      ]);
      expect(control.code).not.toBe(0);
      expect(control.output).toMatch(/": EOF/);
      console.log(
        `control: raw buildx exit ${control.code} after ${control.ms} ms; last line: ${control.output.trim().split('\n').pop()}`,
      );

      proxy.setMode({ kind: 'drop', windowMs: DROP_MS });
      const repo = uniqueName('e2e/drop');
      const job = await runJob({
        workspace: ws,
        inputs: { images: `${proxy.host}/${repo}`, tags: 'v1', push: 'true', platforms: 'linux/amd64' },
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      const retries = job.main.warnings.filter((w) => /retrying in \d+s/.test(w));
      expect(retries[0]).toContain('connection closed by the registry');
      expect(buildCalls(job.main.dockerCalls)).toHaveLength(retries.length + 1);
      expect((await registryManifest(repo, 'v1')).digest).toMatch(/^sha256:/);
      console.log(
        `action: exit 0 after ${job.main.ms} ms, ${proxy.stats.faulted} connections dropped; retries:\n${retries.join('\n')}`,
      );
    } finally {
      await proxy.stop();
    }
  }, 300_000);
});
