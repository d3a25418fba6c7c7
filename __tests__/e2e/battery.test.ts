/**
 * The reliability battery through the bundled action: bad inputs (a subset of the unit table) start
 * no docker command at all; faults (dead engine, unreachable registry, full temp folder) give a clear
 * error, and post still leaves no builder, no credentials and no temp files.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { BAD_INPUTS } from '../unit/battery-cases.js';
import {
  BUSYBOX_DOCKERFILE,
  docker,
  freePort,
  type Job,
  logScan,
  makeWorkspace,
  REGISTRY,
  runJob,
  uniqueName,
} from './harness.js';

const SUBSET = [
  'platforms: unknown arch',
  'platforms: oversized (100 kB)',
  'images: tag given',
  'images: empty with push true',
  'tags: unknown type',
  'flavor: bad latest',
  'context: outside the workspace and missing',
  'push: yes',
  'builder + driver-opts',
  'driver: unknown',
  'qemu: sometimes',
  'append: bad YAML',
  'registry-auth: bad YAML',
  'password without username',
  'secret-envs: variable not set',
  // expression and credential mistakes are input errors before any docker command
  'tags: {{ unclosed',
  'tags: enable not true/false after rendering',
  'labels: unknown expression',
  'registry-auth: together with username/password',
  'password: empty on a run that pushes',
  // signing: a job that cannot get an OIDC token fails before building, naming the permission
  'sign: keyless without an OIDC token to request',
  'sign-key: a runner command as a path',
];

let ws: string;
beforeAll(() => {
  ws = makeWorkspace(BUSYBOX_DOCKERFILE);
});
afterAll(() => {
  fs.rmSync(ws, { recursive: true, force: true });
  console.log(`log scan: ${logScan.jobs} jobs checked, ${logScan.values} secret values, none printed`);
});

/** What post must leave after any run: no builder of ours, no credentials, no temp files. */
function leavesNothing(job: Job, keep: string[] = []): void {
  expect(job.post.code).toBe(0);
  expect(job.post.errors).toEqual([]);
  expect(fs.readdirSync(job.runnerTemp).filter((f) => !keep.includes(f))).toEqual([]);
  const state = JSON.parse(job.main.state.multiarch ?? '{}') as {
    dockerConfig?: string;
    builder?: string;
    tempDir?: string;
  };
  for (const dir of [state.dockerConfig, state.tempDir]) if (dir) expect(fs.existsSync(dir)).toBe(false);
  if (state.builder) expect(docker(['buildx', 'ls']).stdout).not.toContain(state.builder);
}

describe('battery e2e: bad inputs through the bundled action start no docker command', () => {
  const cases = BAD_INPUTS.filter(([name]) => SUBSET.includes(name));
  test('the subset is all there (at least 10 cases)', () => {
    expect(cases.map(([n]) => n).sort()).toEqual([...SUBSET].sort());
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  test.each(cases)('%s', async (...row) => {
    const [, inputs, input, why] = row;
    const job = await runJob({
      workspace: ws,
      inputs: { platforms: 'linux/amd64,linux/arm64', ...inputs },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    const named = job.main.errors.filter((e) => e.startsWith(`Input "${input}":`));
    expect(named.some((e) => why.test(e))).toBe(true);
    expect(job.main.stdout).toContain(`::error title=Invalid input%3A ${input}::`);
    expect(job.main.dockerCalls).toEqual([]);
    expect(job.post.dockerCalls).toEqual([]);
    leavesNothing(job);
  });
});

describe('battery e2e: faults', () => {
  test('dockerd unreachable (DOCKER_HOST at a dead socket): clear error, post succeeds', async () => {
    const dead = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dead-')), 'docker.sock');
    const job = await runJob({
      workspace: ws,
      inputs: { images: `${REGISTRY}/${uniqueName('e2e/dead')}`, tags: 'v1', push: 'true', platforms: 'linux/amd64' },
      env: { DOCKER_HOST: `unix://${dead}` },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    const err = job.main.errors.join('\n');
    expect(err).toMatch(/cannot reach the Docker engine/);
    expect(err).toContain(dead);
    expect(err).toMatch(/DOCKER_HOST/);
    expect(job.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
    expect(job.main.outputs.pushed).toBe('false');
    leavesNothing(job);
  });

  test('dockerd unreachable with credentials: the login fails clearly, post removes the credentials', async () => {
    const dead = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dead-')), 'docker.sock');
    const password = `pw-dead-${Math.random().toString(36).slice(2)}`;
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/dead')}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64',
        registry: REGISTRY,
        username: 'u',
        password,
      },
      env: { DOCKER_HOST: `unix://${dead}` },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    expect(job.main.errors.join('\n')).toMatch(new RegExp(`${REGISTRY.replace(/\./g, '\\.')}|Docker engine`));
    leavesNothing(job);
  });

  test('registry unreachable (closed port): the error names the registry', async () => {
    const reg = `127.0.0.1:${await freePort()}`;
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${reg}/${uniqueName('e2e/noreg')}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64',
        provenance: 'false',
      },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    expect(job.main.errors.join('\n')).toContain(reg);
    expect(job.main.outputs.pushed).toBe('false');
    leavesNothing(job);
  });

  test('registry unreachable at login: the error names the registry, no credentials left', async () => {
    const reg = `127.0.0.1:${await freePort()}`;
    const password = `pw-noreg-${Math.random().toString(36).slice(2)}`;
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${reg}/${uniqueName('e2e/noreg')}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64',
        registry: reg,
        username: 'u',
        password,
      },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    expect(job.main.errors.join('\n')).toContain(reg);
    expect(job.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
    leavesNothing(job);
  });

  describe('disk full on the temp folder (a 64 kB tmpfs as RUNNER_TEMP)', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    });
    afterEach(() => {
      execFileSync('umount', [dir]);
      fs.rmdirSync(dir);
    });

    test('full: a clear error naming the folder, the user files in it untouched, post leaves nothing', async () => {
      // fill it up: a user's file takes every block
      const filler = path.join(dir, 'user-file');
      try {
        fs.writeFileSync(filler, Buffer.alloc(1024 * 1024, 7));
      } catch {
        // ENOSPC: full, as intended
      }
      const before = fs.readFileSync(filler);
      const job = await runJob({
        workspace: ws,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/full')}`,
          tags: 'v1',
          push: 'true',
          platforms: 'linux/amd64',
          registry: REGISTRY,
          username: 'u',
          password: `pw-full-${Date.now()}`,
        },
        runnerTemp: dir,
        traceDocker: true,
      });
      expect(job.main.code).toBe(1);
      const err = job.main.errors.join('\n');
      expect(err).toMatch(/no space left/i);
      expect(err).toContain(dir);
      expect(job.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
      expect(fs.readFileSync(filler).equals(before)).toBe(true);
      leavesNothing(job, ['user-file']);
    });

    test('small but not full: the build and push work, and post leaves the folder empty', async () => {
      const repo = uniqueName('e2e/small');
      const job = await runJob({
        workspace: ws,
        inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1', push: 'true', platforms: 'linux/amd64,linux/arm64' },
        runnerTemp: dir,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.digest).toMatch(/^sha256:/);
      leavesNothing(job);
    });
  });
});
