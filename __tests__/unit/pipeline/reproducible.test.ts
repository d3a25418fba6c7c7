/** reproducible through runMain with a stubbed engine: where the source date comes from, and what the build gets. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runMain } from '../../../src/pipeline/main.js';
import type { ExecRequest, ExecResult } from '../../../src/ports/exec.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../fakes.js';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const ws = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/proc/sys/fs/binfmt_misc/status': 'enabled',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
  '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': 'sha256:abc' }),
};

async function run(
  git: Partial<ExecResult>,
  payload: Record<string, unknown>,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repro-'));
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ repository: { name: 'r' }, ...payload }));
  const host = fakeHost({
    images: 'r.io/app',
    tags: 'v1',
    platforms: 'linux/amd64,linux/arm64',
    push: 'true',
    context: '.',
    verify: 'false',
    'arch-check': 'false',
    reproducible: 'true',
    ...inputs,
  });
  const engine = fakeEngine((req: ExecRequest) => (req.argv[0] === 'git' ? git : {}));
  try {
    await runMain(
      fakeDeps(host, engine, fakeFiles(ws), {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: SHA,
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: 'http://127.0.0.1:9',
        ...env,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const build = engine.calls.find((c) => c.argv[2] === 'build')?.argv ?? [];
  const flags = (flag: string) => build.flatMap((a, i) => (build[i - 1] === flag ? [a] : []));
  return { host, engine, build, flags };
}

describe('reproducible through the pipeline', () => {
  test("git's commit time of the sha: the build-arg, the created label and annotation, a registry exporter with rewrite-timestamp", async () => {
    const r = await run({ stdout: '1700000000\n' }, { head_commit: { id: SHA, timestamp: '2001-01-01T00:00:00Z' } });
    expect(r.host.errors).toEqual([]);
    expect(r.engine.calls.find((c) => c.argv[0] === 'git')).toMatchObject({
      argv: ['git', 'show', '-s', '--format=%ct', SHA],
      cwd: '/ws',
    });
    expect(r.host.infos.join('\n')).toContain(
      'SOURCE_DATE_EPOCH=1700000000 (2023-11-14T22:13:20.000Z, commit abcdef012345, from git)',
    );
    expect(r.flags('--build-arg')).toEqual(['SOURCE_DATE_EPOCH=1700000000']);
    expect(r.flags('--label')).toContain('org.opencontainers.image.created=2023-11-14T22:13:20.000Z');
    expect(r.flags('--annotation')).toContain('manifest:org.opencontainers.image.created=2023-11-14T22:13:20.000Z');
    expect(r.flags('--output')).toEqual(['type=registry,rewrite-timestamp=true']);
    expect(r.build).not.toContain('--push');
    // driver auto made a container builder for it
    expect(r.host.outputs.driver).toBe('docker-container');
  });

  test('no checkout: the event payload says when', async () => {
    const r = await run(
      { code: 128, stderr: 'fatal: not a git repository' },
      { head_commit: { id: SHA, timestamp: '2023-11-14T23:13:20+01:00' } },
    );
    expect(r.host.errors).toEqual([]);
    expect(r.flags('--build-arg')).toEqual(['SOURCE_DATE_EPOCH=1700000000']);
    expect(r.host.infos.join('\n')).toContain('from event payload');
  });

  test("the user's SOURCE_DATE_EPOCH build-arg wins, and git is not asked", async () => {
    const r = await run({ stdout: '1700000000' }, {}, { 'build-args': 'SOURCE_DATE_EPOCH=1600000000' });
    expect(r.host.errors).toEqual([]);
    expect(r.engine.calls.filter((c) => c.argv[0] === 'git')).toEqual([]);
    expect(r.flags('--build-arg')).toEqual(['SOURCE_DATE_EPOCH=1600000000']);
    expect(r.flags('--label')).toContain('org.opencontainers.image.created=2020-09-13T12:26:40.000Z');
  });

  test('no commit time anywhere: the meta stage fails before the build, saying what to do', async () => {
    const r = await run({ code: 128 }, {});
    expect(r.host.failed).toBe(true);
    expect(r.build).toEqual([]);
    expect(r.host.errors.join('\n')).toMatch(
      /reproducible: no commit time for abcdef0123456789abcdef0123456789abcdef01: no git checkout of it at \/ws, none in the event payload, none from the GitHub API .*Check the repository out \(actions\/checkout\), or set SOURCE_DATE_EPOCH/,
    );
  });

  // the one rule (isEpochSeconds) is checked once, by the input pass: the meta stage takes the value as given
  test.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    [
      'build-arg',
      { 'build-args': 'SOURCE_DATE_EPOCH=1234567890123' },
      {},
      /^Input "build-args": SOURCE_DATE_EPOCH must be whole seconds since 1970/,
    ],
    [
      'environment',
      {},
      { SOURCE_DATE_EPOCH: '2024-01-01' },
      /^Input "reproducible": the environment's SOURCE_DATE_EPOCH is not whole seconds since 1970/,
    ],
  ])(
    "the user's SOURCE_DATE_EPOCH from the %s that is not whole seconds: an input error before any docker command",
    async (_from, inputs, env, error) => {
      const r = await run({ stdout: '1700000000' }, {}, inputs, env);
      expect(r.host.failed).toBe(true);
      expect(r.host.errors).toEqual([expect.stringMatching(error)]);
      expect(r.engine.calls).toEqual([]);
    },
  );
});
