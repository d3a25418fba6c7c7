/**
 * The reliability battery, hostile values, signals and faults through the bundled action
 * and CLI on the real engine: no value starts a runner command; a signal leaves no credentials or
 * secret files; logins never reach a machine-wide credential store; values never reach docker as
 * options; a wedged engine, a full GITHUB_OUTPUT disk, a NUL byte or a 200 kB value each give one
 * clear ::error and no stack trace.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { HOSTILE, injectedCommands } from '../unit/runner-log.js';
import {
  BUSYBOX_DOCKERFILE,
  DEFAULT_PAYLOAD,
  docker,
  type Job,
  makeWorkspace,
  REGISTRY,
  ROOT,
  runJob,
  runnerNode,
  uniqueName,
} from './harness.js';

const SLOW = 300_000;
const hostile = (tag: string) => HOSTILE.map((v) => v.replace(/injected/g, `injected-${tag}`)).join('');

/** A folder of executables put first on PATH: `docker` wrappers and credential helpers. */
function binDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mabin-'));
  for (const [name, body] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), body, { mode: 0o755 });
  return dir;
}
const realDocker = () => execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();

/** No step printed anything that starts a runner command, beyond our own annotations, groups and masks. */
function noInjection(job: Job): void {
  for (const r of [job.main, job.post]) expect(injectedCommands(r.stdout)).toEqual([]);
  // no annotation from a value: every ::error/::warning is one of ours (titles and messages escaped)
  expect(job.main.errors.filter((e) => /^injected/.test(e))).toEqual([]);
}

function noStackTrace(job: Job): void {
  for (const r of [job.main, job.post]) expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

describe('battery hostile e2e: no value starts a runner command', () => {
  test(
    'hostile labels, annotations, build-args, event fields, Dockerfile output and smoke-test output',
    async () => {
      const ws = makeWorkspace(
        `${BUSYBOX_DOCKERFILE}RUN ["/bin/busybox", "sh", "-c", "printf '::error::injected-dockerfile\\\\n##[warning]injected-dockerfile2\\\\n'"]\n`,
      );
      const payload = {
        repository: {
          ...DEFAULT_PAYLOAD.repository,
          name: `octo${hostile('name')}`,
          description: hostile('description'),
          html_url: `https://github.com/o/r${hostile('url')}`,
          license: { spdx_id: `MIT${hostile('license')}` },
        },
      };
      const job = await runJob({
        workspace: ws,
        payload,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/hostile')}`,
          tags: 'v1',
          push: 'false',
          load: 'true',
          platforms: 'linux/amd64',
          // quoted: one list item that holds the line breaks (an unquoted break starts a new item)
          labels: `"a=${hostile('label')}"`,
          annotations: `"b=${hostile('annotation')}"`,
          'build-args': `"C=${hostile('buildarg')}"`,
          'smoke-test': `sh -c 'echo "::error::injected-smoke"; printf "a\\r::warning::injected-smoke-cr\\n##[error]x\\n"'`,
        },
      });
      expect(job.main.stdout).toContain('injected-label');
      expect(job.main.stdout).toContain('injected-smoke');
      noInjection(job);
      noStackTrace(job);
    },
    SLOW,
  );

  test(
    'target, network, sbom, provenance, no-cache-filters, outputs and build-contexts with hostile values',
    async () => {
      const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
      const v = hostile('opt');
      const job = await runJob({
        workspace: ws,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/hostile')}`,
          push: 'false',
          platforms: 'linux/amd64',
          target: `t${v}`,
          network: `n${v}`,
          sbom: `s${v}`,
          provenance: `p${v}`,
          'no-cache-filters': `f${v}`,
          outputs: `"type=local,dest=/tmp/x${v}"`,
          'build-contexts': `x=docker-image://alpine${v}`,
        },
      });
      noInjection(job);
      noStackTrace(job);
    },
    SLOW,
  );
});

describe('battery hostile e2e: values never reach docker as options', () => {
  test.each([
    ['registry', { registry: '--help', username: 'u', password: 'pw-flag-1' }],
    ['registry-auth', { 'registry-auth': '- registry: -h\n  username: u\n  password: pw-flag-2' }],
    ['endpoint', { driver: 'remote', endpoint: '--help' }],
  ])('%s starting with "-" is an input error, no docker command', async (input, inputs) => {
    const job = await runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      inputs: { platforms: 'linux/amd64', ...inputs },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    expect(
      job.main.errors.some(
        (e) => e.startsWith(`Input "${input}":`) && /starts with "-": docker would read it as an option/.test(e),
      ),
    ).toBe(true);
    expect(job.main.dockerCalls).toEqual([]);
  });

  test(
    'preflight: ARG B=--help / FROM ${B} is skipped; a Dockerfile linked out of the workspace is refused, unread',
    async () => {
      const flag = await runJob({
        workspace: makeWorkspace('ARG B=--help\nFROM ${B}\n'),
        inputs: { platforms: 'linux/amd64', 'dry-run': 'true', push: 'false' },
        traceDocker: true,
      });
      expect(flag.main.dockerCalls.filter((c) => c.includes('imagetools'))).toEqual([]);
      expect(flag.main.stdout).toMatch(/preflight: not checking --help .*starts with "-"/);

      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
      fs.writeFileSync(path.join(outside, 'host-file'), 'FROM host-secret-image-i15:1\n');
      const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
      fs.rmSync(path.join(ws, 'Dockerfile'));
      fs.symlinkSync(path.join(outside, 'host-file'), path.join(ws, 'Dockerfile'));
      const linked = await runJob({
        workspace: ws,
        inputs: { platforms: 'linux/amd64', 'dry-run': 'true', push: 'false' },
        traceDocker: true,
      });
      // the workspace path rule (every input path, not only preflight's read): an input error, no docker call
      expect(linked.main.errors.join('\n')).toMatch(
        /^Input "file": the Dockerfile "Dockerfile" leads through a link to ".*host-file", outside the workspace/,
      );
      expect(JSON.stringify(linked.main.dockerCalls)).not.toContain('host-secret-image-i15');
      expect(linked.main.dockerCalls).toEqual([]);
    },
    SLOW,
  );
});

describe('battery hostile e2e: credentials', () => {
  test(
    'a docker-credential-secretservice on PATH is never used: the password lands in the per-run config.json, gone after post',
    async () => {
      const calls = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'credcalls-')), 'calls.log');
      const seen = path.join(path.dirname(calls), 'config-at-build.json');
      const bin = binDir({
        'docker-credential-secretservice': `#!/usr/bin/env bash\n{ printf '%s ' "$1"; cat; echo; } >> ${JSON.stringify(calls)}\n[ "$1" = list ] && echo '{}'\nexit 0\n`,
        docker: `#!/usr/bin/env bash\nif [ "$1 $2" = "buildx build" ]; then cp "$DOCKER_CONFIG/config.json" ${JSON.stringify(seen)}; fi\nexec ${JSON.stringify(realDocker())} "$@"\n`,
      });
      const password = `pw-store-${Date.now()}`;
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/credstore')}`,
          tags: 'v1',
          push: 'true',
          platforms: 'linux/amd64',
          registry: REGISTRY,
          username: 'u',
          password,
          verify: 'false',
        },
        env: { PATH: `${bin}:${process.env.PATH}` },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(fs.existsSync(calls)).toBe(false);
      const config = JSON.parse(fs.readFileSync(seen, 'utf8')) as {
        auths: Record<string, { auth?: string }>;
        credsStore?: string;
      };
      expect(config.credsStore).toBeUndefined();
      expect(Buffer.from(config.auths[REGISTRY]!.auth!, 'base64').toString()).toBe(`u:${password}`);
      const state = JSON.parse(job.main.state.multiarch ?? '{}') as { dockerConfig: string };
      expect(fs.existsSync(state.dockerConfig)).toBe(false);
    },
    SLOW,
  );
});

/** The bundled CLI on a build that sleeps, stopped by `signal` once the build runs. */
async function stopCliDuringBuild(
  signal: NodeJS.Signals,
  opts: { closeTerminal?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; tmp: string }> {
  const ws = makeWorkspace(BUSYBOX_DOCKERFILE.replace('CMD', 'RUN ["/bin/busybox", "sleep", "120"]\nCMD'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clisignal-'));
  const child = spawn(
    path.join(ROOT, 'dist/cli/index.js'),
    [
      'build',
      '--images',
      `${REGISTRY}/${uniqueName('e2e/signal')}`,
      '--push',
      'false',
      '--platforms',
      'linux/amd64',
      '--secrets',
      'tok=s3cret-signal',
      '--registry',
      REGISTRY,
      '--username',
      'u',
      '--password',
      'pw-signal-1234',
    ],
    {
      cwd: ws,
      env: {
        PATH: `${path.dirname(runnerNode())}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/root',
        TMPDIR: tmp,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  // listened to from the start: a CLI that ends before the signal is a result, not a hang
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // the build is under way once its sleep step has started
      if (/sleep/.test(stdout) && /\[command\]docker buildx build/.test(stdout)) resolve();
    });
    child.on('close', () => resolve());
  });
  // a dropped SSH session: the terminal is gone before the hangup arrives, every later write fails
  if (opts.closeTerminal) {
    child.stdout.destroy();
    child.stderr.destroy();
  }
  child.kill(signal);
  const code = await closed;
  return { code, stdout, stderr, tmp };
}

describe('battery hostile e2e: signals', () => {
  test.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)(
    'CLI: %s during the build removes the docker config and secret files, exits %d',
    async (signal, code) => {
      const run = await stopCliDuringBuild(signal);
      expect(run.stderr).toMatch(new RegExp(`${signal}: stopping the run's docker commands`));
      expect(run.code).toBe(code);
      // the run folder (event, temp folder, secret files, per-run docker config) is gone
      expect(fs.readdirSync(run.tmp)).toEqual([]);
      expect(run.stdout).toContain('cleanup done');
    },
    SLOW,
  );
});

describe('battery hostile e2e: a closed terminal', () => {
  test(
    'CLI: SIGHUP after its terminal closed: the writes that fail do not stop the cleanup; exit 129, no credential or secret file left',
    async () => {
      const run = await stopCliDuringBuild('SIGHUP', { closeTerminal: true });
      expect(run.code).toBe(129);
      expect(fs.readdirSync(run.tmp)).toEqual([]);
    },
    SLOW,
  );
});

describe('battery hostile e2e: a cancelled job', () => {
  test(
    'main gets SIGINT during the build: it stops the build and exits 130; post removes the builder, credentials and secret files',
    async () => {
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE.replace('CMD', 'RUN ["/bin/busybox", "sleep", "120"]\nCMD')),
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/cancel')}`,
          push: 'false',
          platforms: 'linux/amd64',
          driver: 'docker-container',
          secrets: 'tok=s3cret-cancel',
          registry: REGISTRY,
          username: 'u',
          password: 'pw-cancel-1234',
        },
        stopMain: { when: /RUN .*sleep/, signal: 'SIGINT' },
      });
      expect(job.main.code).toBe(130);
      expect(job.main.warnings.join('\n')).toMatch(/SIGINT: stopping the run's docker commands/);
      const state = JSON.parse(job.main.state.multiarch ?? '{}') as {
        dockerConfig?: string;
        tempDir?: string;
        builder?: string;
      };
      expect(state.dockerConfig && state.tempDir && state.builder).toBeTruthy();
      expect(job.post.code).toBe(0);
      expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
      expect(docker(['buildx', 'ls']).stdout).not.toContain(state.builder!);
      // no build of ours runs on after main stopped
      expect(docker(['ps', '--format', '{{.Names}}']).stdout).not.toContain(state.builder!);
    },
    SLOW,
  );
});

describe('battery hostile e2e: faults', () => {
  test(
    'a wedged engine (docker info never answers): the error names the command, post still runs',
    async () => {
      const bin = binDir({
        docker: `#!/usr/bin/env bash\nif [ "$1" = info ]; then exec sleep 3600; fi\nexec ${JSON.stringify(realDocker())} "$@"\n`,
      });
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        inputs: { images: `${REGISTRY}/${uniqueName('e2e/wedged')}`, push: 'false', platforms: 'linux/amd64' },
        env: { PATH: `${bin}:${process.env.PATH}`, MULTIARCH_COMMAND_TIMEOUT: '3' },
      });
      expect(job.main.code).toBe(1);
      expect(job.main.errors.join('\n')).toMatch(/docker info did not answer within 3 s/);
      expect(job.main.summary).toContain('failed');
      expect(job.post.code).toBe(0);
    },
    SLOW,
  );

  test(
    'a smoke test that never returns is stopped after smoke-test-timeout, its container removed',
    async () => {
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/smokehang')}`,
          tags: 'v1',
          push: 'false',
          load: 'true',
          platforms: 'linux/amd64',
          'smoke-test': 'sleep 3600',
          'smoke-test-timeout': '5',
        },
      });
      expect(job.main.code).toBe(1);
      expect(job.main.errors.join('\n')).toMatch(
        /linux\/amd64 \(exit 124: no result within 5 s \(smoke-test-timeout\)/,
      );
      expect(docker(['ps', '-a', '--format', '{{.Names}}']).stdout).not.toMatch(/multiarch-smoke-/);
    },
    SLOW,
  );

  test(
    'a 200 kB label and a NUL byte in an event field: one clear error each, no stack trace',
    async () => {
      const big = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        // a 200 kB input cannot even reach a step (the runner's env has the same limit): the event can
        payload: { repository: { ...DEFAULT_PAYLOAD.repository, description: 'x'.repeat(200_000) } },
        inputs: { images: `${REGISTRY}/${uniqueName('e2e/big')}`, push: 'false', platforms: 'linux/amd64' },
      });
      expect(big.main.code).toBe(1);
      expect(big.main.errors.join('\n')).toMatch(/too long for the system \(spawn E2BIG/);
      expect(big.main.errors.join('\n').length).toBeLessThan(5000);
      noStackTrace(big);

      const nul = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        payload: { repository: { ...DEFAULT_PAYLOAD.repository, description: 'a\u0000b' } },
        inputs: { images: `${REGISTRY}/${uniqueName('e2e/nul')}`, push: 'false', platforms: 'linux/amd64' },
      });
      expect(nul.main.code).toBe(1);
      expect(nul.main.errors.join('\n')).toMatch(/contains a NUL byte/);
      noStackTrace(nul);
    },
    SLOW,
  );

  describe('GITHUB_OUTPUT on a full disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fullout-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]);
    });
    afterEach(() => {
      execFileSync('umount', [dir]);
      fs.rmdirSync(dir);
    });

    test(
      'one ::error naming GITHUB_OUTPUT and its path, no stack trace',
      async () => {
        const out = path.join(dir, 'output');
        fs.writeFileSync(out, '');
        try {
          fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1024 * 1024, 1));
        } catch {
          // full, as intended
        }
        const job = await runJob({
          workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
          inputs: { images: `${REGISTRY}/${uniqueName('e2e/fullout')}`, push: 'false', platforms: 'linux/amd64' },
          env: { GITHUB_OUTPUT: out },
        });
        expect(job.main.code).toBe(1);
        expect(job.main.errors.join('\n')).toMatch(
          new RegExp(
            `cannot write output \\S+ to GITHUB_OUTPUT \\(${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): ENOSPC`,
          ),
        );
        noStackTrace(job);
      },
      SLOW,
    );
  });
});
