/**
 * buildx's option grammars through the bundled action: each class of bad value is an ::error
 * naming its input before any docker command (the logging docker shim first on PATH records
 * none), and a hostile value (a line break with a runner command, a leading "-", 100 kB) gives
 * one clean error and starts no runner command. buildx-download-url's credentials never reach the
 * log: they travel as an Authorization header.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { injectedCommands } from '../unit/runner-log.js';
import { BUSYBOX_DOCKERFILE, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

const T = 120_000;
const DOCKERFILE = `${BUSYBOX_DOCKERFILE}FROM scratch AS release\n`;

/** [input, inputs, what the error must say] */
const CASES: [string, Record<string, string>, RegExp][] = [
  ['target', { target: 'relase' }, /"relase" is not a stage of Dockerfile: its stages are release/],
  ['no-cache-filters', { 'no-cache-filters': 'nope' }, /not a stage of Dockerfile/],
  ['network', { network: 'bridge mode' }, /not a network mode: use default, none or host/],
  ['provenance', { provenance: 'maybe' }, /use e\.g\. true, false, mode=max or mode=min/],
  ['sbom', { sbom: 'mode=max,generator' }, /"generator" in .* is not key=value/],
  ['attests', { attests: 'type=spdx' }, /not one of sbom, provenance/],
  [
    'endpoint',
    { driver: 'remote', endpoint: 'http://buildkitd:1234' },
    /not a docker context name or a builder address/,
  ],
  ['driver-opts', { 'driver-opts': 'imag=moby/buildkit' }, /not a docker-container \(driver auto\) driver option/],
  ['buildkitd-flags', { 'buildkitd-flags': '--debug; touch /tmp/x' }, /flags are passed without a shell/],
  ['append', { append: '- endpoint: ctx\n  buildkitd-flags: debug' }, /node 1: "debug" is not a buildkitd flag/],
  ['cache-from', { 'cache-from': 'type=redis,ref=x' }, /not one of registry, local, inline, gha/],
  ['cache-to', { 'cache-to': 'type=registry,mode' }, /is not key=value/],
  ['outputs', { outputs: 'type=zip,dest=out' }, /not one of registry, image, docker/],
  ['buildx-download-url', { 'buildx-download-url': 'http://mirror.example/b' }, /must be an https URL/],
];

const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runJob({
    workspace: makeWorkspace(DOCKERFILE),
    traceDocker: true,
    env,
    inputs: { images: `${REGISTRY}/${uniqueName('e2e/grammar')}`, push: 'false', platforms: 'linux/amd64', ...inputs },
  });

describe('buildx option grammars: refused in the input pass, before any docker command', () => {
  test.each(CASES)(
    '%s',
    async (input, inputs, why) => {
      const job = await run(inputs);
      expect(job.main.code).toBe(1);
      const named = job.main.errors.filter((e) => e.startsWith(`Input "${input}":`));
      expect(named).toEqual([expect.stringMatching(why)]);
      expect(job.main.dockerCalls).toEqual([]);
    },
    T,
  );

  test(
    'hostile values in every new check: one error each, no runner command, no docker command',
    async () => {
      const inputs = {
        target: 'app\n::error::injected-target',
        network: '-h',
        provenance: `mode=${'a'.repeat(100_000)}`,
        sbom: 'x\n::warning::injected-sbom',
        'driver-opts': '"network=host\n::error::injected-opt"',
        'buildkitd-flags': '--debug\n::error::injected-flags',
        'cache-to': '-x',
        outputs: `"type=local,dest=/tmp/x\n::error::injected-out"`,
        'no-cache-filters': 'b'.repeat(100_000),
      };
      const job = await run(inputs);
      expect(job.main.code).toBe(1);
      for (const input of Object.keys(inputs)) {
        expect(job.main.errors.filter((e) => e.startsWith(`Input "${input}":`))).toHaveLength(1);
      }
      for (const e of job.main.errors) expect(e.length).toBeLessThan(2000);
      expect(injectedCommands(job.main.stdout)).toEqual([]);
      expect(job.main.stdout).not.toMatch(/^::(?:error|warning)::injected/m);
      expect(job.main.dockerCalls).toEqual([]);
    },
    T,
  );

  test(
    'valid values of each are accepted (dry run)',
    async () => {
      const job = await run({
        'dry-run': 'true',
        target: 'release',
        network: 'none',
        provenance: 'mode=min',
        sbom: 'false',
        'driver-opts': 'image=moby/buildkit:buildx-stable-1\nnetwork=host',
        'buildkitd-flags': '--allow-insecure-entitlement network.host --debug',
        'cache-from': `type=registry,ref=${REGISTRY}/cache:x`,
        outputs: 'type=image,push=false',
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
    },
    T,
  );
});

describe('buildx-download-url with user:password', () => {
  test(
    'the password is masked, never printed; it reaches the mirror as an Authorization header',
    async () => {
      const toolCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-toolcache-'));
      const seen: { url: string; auth?: string }[] = [];
      const server = http.createServer((req, res) => {
        seen.push({ url: req.url ?? '', auth: req.headers.authorization });
        res.writeHead(404).end('not found');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        const job = await run(
          {
            'buildx-version': '0.29.1',
            'buildx-download-url': `http://bob:s3cret-i25@127.0.0.1:${port}/mirror`,
          },
          // an empty tool cache: the release is downloaded, not found
          { RUNNER_TOOL_CACHE: toolCache },
        );
        expect(job.main.code).toBe(1);
        expect(job.main.errors.join('\n')).toMatch(
          new RegExp(
            `could not download the checksums file from http://127\\.0\\.0\\.1:${port}/mirror/v0\\.29\\.1/checksums\\.txt \\(HTTP 404\\)`,
          ),
        );
        // the only lines holding it are the masks the runner applies to every later line
        const lines = `${job.main.stdout}\n${job.main.stderr}`.split('\n').filter((l) => l.includes('s3cret-i25'));
        expect(lines.every((l) => l.startsWith('::add-mask::'))).toBe(true);
        expect(lines.length).toBeGreaterThan(0);
        expect(seen[0]).toEqual({
          url: '/mirror/v0.29.1/checksums.txt',
          auth: `Basic ${Buffer.from('bob:s3cret-i25').toString('base64')}`,
        });
      } finally {
        await new Promise((resolve) => server.close(() => resolve(undefined)));
        fs.rmSync(toolCache, { recursive: true, force: true });
      }
    },
    T,
  );
});
