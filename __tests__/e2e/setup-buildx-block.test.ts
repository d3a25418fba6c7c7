/**
 * A docker/setup-buildx-action block merged into this step keeps its meaning, against the real
 * engine, buildx and BuildKit: docker contexts on this machine's socket, keep-state with a named
 * builder, cleanup: false, name / use / version, and append nodes' pinned platforms. Every test
 * uses a DOCKER_CONFIG folder of its own, so the machine's current context and builder never change.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
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

/** docker with the test's DOCKER_CONFIG; never throws; stderr kept (buildx prints its progress there). */
function dockerIn(config: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const res = spawnSync('docker', args, {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_CONFIG: config },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return { code: res.status ?? 124, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
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

/** A builder's name as the test's DOCKER_CONFIG sees it ('' when there is none). */
const currentBuilder = (config: string) =>
  /^Name:\s*(\S+)/m.exec(dockerIn(config, ['buildx', 'inspect']).stdout)?.[1] ?? '';
const volumes = (name: string) =>
  dockerIn(dockerConfigDir(), ['volume', 'ls', '--quiet', '--filter', `name=^buildx_buildkit_${name}0_state$`])
    .stdout.split('\n')
    .filter(Boolean);

describe('named builders, keep-state, cleanup, use', () => {
  const config = dockerConfigDir();
  const made: string[] = [];
  afterAll(() => {
    for (const name of made) {
      dockerIn(config, ['buildx', 'rm', '--force', '--', name]);
      dockerIn(config, ['volume', 'rm', '--force', `buildx_buildkit_${name}0_state`]);
    }
    fs.rmSync(config, { recursive: true, force: true });
  });
  const job = (inputs: Record<string, string>, extra: Partial<Parameters<typeof runJob>[0]> = {}) =>
    runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      traceDocker: true,
      env: { DOCKER_CONFIG: config },
      inputs: { platforms: 'linux/amd64', push: 'false', 'arch-check': 'false', ...inputs },
      ...extra,
    });

  test('keep-state with name, twice: one state volume, reused (its steps CACHED after the engine cache is pruned)', async () => {
    const name = uniqueName('sbx-keep');
    made.push(name);
    const first = await job({ name, 'keep-state': 'true' });
    expect(first.main.errors).toEqual([]);
    expect(first.main.outputs).toMatchObject({ builder: name, name, driver: 'docker-container' });
    expect(first.main.stdout).toMatch(/driver auto: docker-container, .*since keep-state, name are set/);
    expect(first.post.dockerCalls).toContainEqual(['buildx', 'rm', '--force', '--keep-state', '--', name]);
    expect(volumes(name)).toHaveLength(1);
    // the engine's own build cache (the default builder's): not where the state lives
    expect(dockerIn(config, ['builder', 'prune', '--force', '--builder', 'default']).code).toBe(0);
    const second = await job({ name, 'keep-state': 'true' });
    expect(second.main.errors).toEqual([]);
    expect(second.main.dockerCalls.filter((c) => c[1] === 'create')[0]).toEqual(
      expect.arrayContaining(['--name', name]),
    );
    const log = second.main.stdout + second.main.stderr;
    expect(log).toMatch(/#\d+ \[\d\/\d\] RUN \["\/bin\/busybox"/);
    expect(log).toMatch(/#(\d+) \[\d\/\d\] RUN[^\n]*\n#\1 CACHED/);
    expect(volumes(name)).toHaveLength(1);
  }, 600_000);

  test('keep-state with driver: docker: an input error naming both, before any docker command', async () => {
    const j = await job({ driver: 'docker', 'keep-state': 'true' });
    expect(j.main.code).not.toBe(0);
    expect(j.main.errors.join('\n')).toMatch(/keep-state.*true is not supported by the docker driver \(driver: docker/);
    expect(j.main.dockerCalls).toEqual([]);
  }, 120_000);

  test('cleanup: false under driver auto: a docker-container builder is left for later steps', async () => {
    const j = await job({ cleanup: 'false' });
    const name = j.main.outputs.builder!;
    made.push(name);
    expect(j.main.errors).toEqual([]);
    expect(j.main.outputs.driver).toBe('docker-container');
    expect(j.post.dockerCalls.filter((c) => c[1] === 'rm')).toEqual([]);
    const left = dockerIn(config, ['buildx', 'inspect', name]);
    expect(left.code).toBe(0);
    expect(left.stdout).toMatch(/Driver:\s+docker-container/);
  }, 300_000);

  test('name, use and version pasted from setup-buildx: later docker buildx build uses our builder; post restores', async () => {
    const name = uniqueName('sbx-use');
    made.push(name);
    expect(currentBuilder(config)).toBe('default');
    let later = '';
    let currentDuring = '';
    const ctx = makeWorkspace(PLAIN_DOCKERFILE);
    const j = await job(
      { name, use: 'true', version: 'v0.13.1', driver: 'docker-container' },
      {
        afterMain: () => {
          currentDuring = currentBuilder(config);
          const built = dockerIn(config, ['buildx', 'build', '--progress', 'plain', '--platform', 'linux/amd64', ctx]);
          later = built.stdout + built.stderr;
        },
      },
    );
    expect(j.main.errors).toEqual([]);
    expect(j.main.warnings).toEqual([]);
    expect(j.main.outputs).toMatchObject({ builder: name, name });
    expect(j.main.dockerCalls).toContainEqual(['buildx', 'use', '--', name]);
    expect(j.main.stdout).toContain(
      `builder ${name} is now the current builder for the job's later steps (use: true); it was default`,
    );
    expect(currentDuring).toBe(name);
    expect(later).toContain(`building with "${name}" instance using docker-container driver`);
    expect(j.post.dockerCalls.slice(0, 2)).toEqual([
      ['buildx', 'use', '--', 'default'],
      ['buildx', 'rm', '--force', '--', name],
    ]);
    expect(currentBuilder(config)).toBe('default');
  }, 300_000);
});

describe('append: a node pinned to linux/arm64', () => {
  const config = dockerConfigDir();
  const context = uniqueName('sbx-arm-ctx');
  beforeAll(() => {
    const made = dockerIn(config, ['context', 'create', context, '--docker', `host=${LOCAL_SOCKET}`]);
    if (made.code !== 0) throw new Error(made.stderr);
  });
  afterAll(() => {
    dockerIn(config, ['context', 'rm', '--force', context]);
    fs.rmSync(config, { recursive: true, force: true });
  });

  test('nodes reports each node with its pinned platforms; the appended node has the default daemon flags', async () => {
    const node = uniqueName('sbx-arm');
    const j = await runJob({
      workspace: makeWorkspace(PLAIN_DOCKERFILE),
      traceDocker: true,
      env: { DOCKER_CONFIG: config },
      inputs: {
        platforms: 'linux/amd64,linux/arm64',
        push: 'false',
        'arch-check': 'false',
        append: `- name: ${node}\n  endpoint: ${context}\n  platforms: linux/arm64\n`,
      },
    });
    const name = j.main.outputs.builder!;
    try {
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      const nodes = JSON.parse(j.main.outputs.nodes!) as {
        name: string;
        platforms: string;
        'buildkitd-flags'?: string;
      }[];
      expect(nodes.map((n) => [n.name, n.platforms])).toEqual([
        [`${name}0`, 'linux/amd64'],
        [node, 'linux/arm64'],
      ]);
      const append = j.main.dockerCalls.find((c) => c.includes('--append'))!;
      expect(append).toEqual(
        expect.arrayContaining(['--buildkitd-flags', expect.stringContaining('security.insecure')]),
      );
      expect(nodes[1]!['buildkitd-flags']).toMatch(/security\.insecure/);
    } finally {
      dockerIn(config, ['buildx', 'rm', '--force', '--', name]);
    }
  }, 600_000);
});

describe('an engine that cannot be known to be this machine (tcp)', () => {
  // a loopback tcp port relaying to the local socket: to the action it is an address like any
  // remote engine's, so only the engine itself can say which emulators it has
  let server: net.Server;
  let host = '';
  beforeAll(async () => {
    // half-open both ways: docker closes its writing side of an attach and still reads the output
    server = net.createServer({ allowHalfOpen: true }, (client) => {
      const engine = net.connect({ path: '/var/run/docker.sock', allowHalfOpen: true });
      client.pipe(engine).pipe(client);
      const close = () => {
        client.destroy();
        engine.destroy();
      };
      client.on('error', close);
      engine.on('error', close);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("DOCKER_HOST on tcp: says so, reads the engine's binfmt_misc in a probe container, no installer", async () => {
    const config = dockerConfigDir();
    const j = await runJob({
      workspace: makeWorkspace(PLAIN_DOCKERFILE),
      traceDocker: true,
      env: { DOCKER_CONFIG: config, DOCKER_HOST: host },
      inputs: { platforms: 'linux/amd64,linux/arm64', push: 'false', 'arch-check': 'false' },
    });
    fs.rmSync(config, { recursive: true, force: true });
    expect(j.main.errors).toEqual([]);
    expect(j.main.code).toBe(0);
    expect(j.main.stdout).toContain(`engine: ${host} (DOCKER_HOST), not known to be this machine`);
    const probe = j.main.dockerCalls.find((c) => c[0] === 'run' && c.includes('--volume'));
    expect(probe).toEqual(expect.arrayContaining(['/proc/sys/fs/binfmt_misc:/binfmt_misc:ro']));
    expect(probe).not.toContain('--privileged');
    expect(j.main.stdout).toMatch(/linux\/arm64: emulated — qemu-aarch64/);
    expect(installerCalls(j)).toEqual([]);
  }, 300_000);
});
