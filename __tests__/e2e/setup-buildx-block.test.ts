/**
 * A docker/setup-buildx-action block merged into this step keeps its meaning, against the real
 * engine, buildx and BuildKit: docker contexts on this machine's socket, keep-state with a named
 * builder, cleanup: false, name / use / version, and append nodes' pinned platforms. Every test
 * uses a DOCKER_CONFIG folder of its own, so the machine's current context and builder never change.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { BUSYBOX_DOCKERFILE, type Job, makeWorkspace, runJob, uniqueName } from './harness.js';

const PLAIN_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
CMD ["/bin/busybox", "true"]
`;

const LOCAL_SOCKET = 'unix:///var/run/docker.sock';

/** A DOCKER_CONFIG of the test's own (never the machine's ~/.docker). */
function dockerConfigDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sbx-docker-config-'));
}

/** docker with the test's DOCKER_CONFIG; never throws. */
function dockerIn(config: string, args: string[]): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync('docker', args, {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_CONFIG: config },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (err) {
    const e = err as { status?: number | null; stdout?: string; stderr?: string };
    return { code: e.status ?? 124, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The emulator installer (a privileged `docker run`) among a step's docker calls. */
const installerCalls = (job: Job) =>
  [...job.main.dockerCalls, ...job.post.dockerCalls].filter((c) => c[0] === 'run' && c.includes('--privileged'));

describe('a docker context on this machine is this machine', () => {
  const config = dockerConfigDir();
  const context = uniqueName('sbx-local');
  beforeAll(() => {
    const made = dockerIn(config, ['context', 'create', context, '--docker', `host=${LOCAL_SOCKET}`]);
    if (made.code !== 0) throw new Error(made.stderr);
  });
  afterAll(() => {
    dockerIn(config, ['context', 'rm', '--force', context]);
    fs.rmSync(config, { recursive: true, force: true });
  });

  const build = (env: Record<string, string>, inputs: Record<string, string> = {}, dockerfile = PLAIN_DOCKERFILE) =>
    runJob({
      workspace: makeWorkspace(dockerfile),
      traceDocker: true,
      env: { DOCKER_CONFIG: config, ...env },
      inputs: { platforms: 'linux/amd64,linux/arm64', push: 'false', 'arch-check': 'false', ...inputs },
    });

  const expectLocalBuild = (job: Job, via = `context ${context}`) => {
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.stdout).toContain(`engine: ${LOCAL_SOCKET} (${via}`);
    expect(job.main.stdout).toMatch(/engine: .*, this machine's$/m);
    expect(job.main.stdout).toMatch(/linux\/arm64: emulated — qemu-aarch64/);
    expect(job.main.stdout).not.toMatch(/not this machine's/);
    expect(installerCalls(job)).toEqual([]);
    expect(job.main.outputs.platforms).toBe('linux/amd64,linux/arm64');
  };

  test('DOCKER_CONTEXT naming it: 2 platforms built, the registered emulators used, no installer', async () => {
    expectLocalBuild(await build({ DOCKER_CONTEXT: context }, {}, BUSYBOX_DOCKERFILE));
  }, 300_000);

  test('DOCKER_CONTEXT and endpoint naming it', async () => {
    expectLocalBuild(await build({ DOCKER_CONTEXT: context }, { endpoint: context }));
  }, 300_000);

  test('docker context use (config.json currentContext), with and without endpoint', async () => {
    const used = dockerIn(config, ['context', 'use', context]);
    expect(used.code).toBe(0);
    try {
      expectLocalBuild(await build({}));
      expectLocalBuild(await build({}, { endpoint: context }));
    } finally {
      dockerIn(config, ['context', 'use', 'default']);
    }
  }, 600_000);

  test('a config.json that is not JSON: a warning naming the file, the same decision, a build', async () => {
    const bad = dockerConfigDir();
    fs.writeFileSync(path.join(bad, 'config.json'), '{"currentContext": "x",\n::error::broken');
    const job = await build({ DOCKER_CONFIG: bad });
    fs.rmSync(bad, { recursive: true, force: true });
    expect(job.main.warnings.filter((w) => w.startsWith('Unable to parse config file'))).toEqual([
      expect.stringContaining(path.join(bad, 'config.json')),
    ]);
    expect(job.main.warnings.join('\n')).not.toMatch(/binfmt|emulator/);
    // as the docker CLI does with such a file: the default context
    expectLocalBuild(job, 'default');
  }, 300_000);
});
