/**
 * A docker-container builder's layer cache and daemon config, on the classic-store engine (as on
 * GitHub-hosted runners). Post removes the builder and its state volume, so every run starts on a
 * fresh, empty BuildKit: a CACHED layer in run 2 can only come from the layer cache.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { builderLeftovers, describeBuildkit, startClassicEngine } from './buildkit.js';
import { buildSteps } from './cache-helpers.js';
import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { BUSYBOX_DOCKERFILE, docker, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';
import type { PrivateEngine } from './private-engine.js';

const T = 600_000;
const DOCKERFILE = `${BUSYBOX_DOCKERFILE}RUN ["/bin/sh", "-c", "echo second layer > /second"]\nCOPY app.txt /app.txt\n`;
const BOTH = 'linux/amd64,linux/arm64';

describeBuildkit('layer cache and daemon config on a docker-container builder', () => {
  let engine: PrivateEngine;
  let service: StandIn;
  beforeAll(async () => {
    [engine, service] = await Promise.all([startClassicEngine(), startCacheStandIn()]);
  }, T);
  afterAll(async () => Promise.all([engine?.stop(), service?.close()]), T);
  const steps = (r: { stdout: string; stderr: string }) => buildSteps(r.stdout + r.stderr);
  // a fresh runner: the same RUNNER_TEMP path (the cache version hashes it, as on GitHub), emptied
  const temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-ccache-')), 'runner-temp');
  const freshTemp = () => {
    fs.rmSync(temp, { recursive: true, force: true });
    fs.mkdirSync(temp, { recursive: true });
    return temp;
  };

  test(
    'cache: local through @actions/cache: run 2 on a fresh builder has every layer CACHED',
    async () => {
      const ws = makeWorkspace(DOCKERFILE, { 'app.txt': 'hello\n' });
      const env = { ...service.env, DOCKER_HOST: engine.host };
      const inputs = { platforms: BOTH, push: 'false' };
      const run1 = await runJob({ workspace: ws, inputs, env, runnerTemp: freshTemp(), sha: 'a'.repeat(40) });
      expect(run1.main.errors).toEqual([]);
      expect(run1.main.code).toBe(0);
      expect(run1.main.outputs.driver).toBe('docker-container');
      expect(run1.main.outputs['cache-hit']).toBe('miss');
      expect(steps(run1.main).filter((s) => s.cached)).toEqual([]);
      expect(builderLeftovers(run1.main.outputs.builder!, engine.docker)).toEqual([]);
      // control: a fresh builder without the layer cache builds cold
      const control = await runJob({
        workspace: ws,
        inputs: { ...inputs, cache: 'none' },
        env,
        runnerTemp: freshTemp(),
      });
      expect(control.main.code).toBe(0);
      expect(steps(control.main).filter((s) => s.cached)).toEqual([]);
      const run2 = await runJob({ workspace: ws, inputs, env, runnerTemp: freshTemp(), sha: 'b'.repeat(40) });
      expect(run2.main.errors).toEqual([]);
      expect(run2.main.code).toBe(0);
      expect(run2.main.outputs['cache-hit']).toBe('partial');
      expect(run2.main.outputs.builder).not.toBe(run1.main.outputs.builder);
      const s2 = steps(run2.main);
      expect(s2.length).toBe(8); // 4 steps × 2 platforms
      expect(s2.filter((s) => !s.cached)).toEqual([]);
    },
    T,
  );

  test(
    'cache: registry on a loopback registry: run 2 on a fresh builder has every layer CACHED',
    async () => {
      const ws = makeWorkspace(DOCKERFILE, { 'app.txt': 'registry\n' });
      const repo = uniqueName('e2e/ccache-registry');
      const inputs = { images: `${REGISTRY}/${repo}`, tags: 'v1', platforms: BOTH, push: 'true', cache: 'registry' };
      const env = { DOCKER_HOST: engine.host };
      const run1 = await runJob({ workspace: ws, inputs, env, runnerTemp: freshTemp() });
      expect(run1.main.errors).toEqual([]);
      expect(run1.main.code).toBe(0);
      expect(steps(run1.main).filter((s) => s.cached)).toEqual([]);
      expect(
        (await fetch(`http://${REGISTRY}/v2/${repo}/tags/list`).then((r) => r.json())) as { tags: string[] },
      ).toMatchObject({ tags: expect.arrayContaining(['buildcache']) });
      const run2 = await runJob({ workspace: ws, inputs, env, runnerTemp: freshTemp() });
      expect(run2.main.errors).toEqual([]);
      expect(run2.main.code).toBe(0);
      const s2 = steps(run2.main);
      expect(s2.length).toBe(8);
      expect(s2.filter((s) => !s.cached)).toEqual([]);
    },
    T,
  );

  test(
    'buildkitd-config-inline reaches the builder: a docker.io mirror on the loopback registry serves a base only it has',
    async () => {
      // the base exists only in the local registry, under the name a docker.io mirror is asked for
      const base = uniqueName('e2e-mirror-base');
      const baseWs = makeWorkspace(BUSYBOX_DOCKERFILE);
      expect(
        docker([
          'buildx',
          'build',
          '--builder',
          'default',
          '--platform',
          'linux/amd64',
          '-t',
          `${REGISTRY}/library/${base}:1`,
          '--push',
          baseWs,
        ]).code,
      ).toBe(0);
      const config = `[registry."docker.io"]\n  mirrors = ["${REGISTRY}"]\n[registry."${REGISTRY}"]\n  http = true\n`;
      const ws = makeWorkspace(`FROM docker.io/library/${base}:1\nRUN ["/bin/sh", "-c", "echo mirrored > /m"]\n`);
      // no image, no push: only the mirror in the config is on loopback, and the builder still reaches it
      const j = await runJob({
        workspace: ws,
        traceDocker: true,
        env: { DOCKER_HOST: engine.host },
        inputs: {
          platforms: 'linux/amd64',
          push: 'false',
          cache: 'none',
          'buildkitd-config-inline': config,
          'smoke-test': 'cat /m /built-on',
        },
      });
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      expect(j.main.stdout).toMatch(/network=host added: 127\.0\.0\.1:5000 is on this runner's loopback/);
      const create = j.main.dockerCalls.find((a) => a[1] === 'create')!;
      expect(create).toEqual(expect.arrayContaining(['--buildkitd-config']));
      expect(j.main.stdout + j.main.stderr).toMatch(new RegExp(`FROM docker\\.io/library/${base}:1`));
      expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({ 'linux/amd64': 'mirrored\nx86_64' });
    },
    T,
  );
});
