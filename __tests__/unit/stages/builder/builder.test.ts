import type { Exec, ExecRequest } from '../../../../src/ports/exec.js';
import { builderRequest } from '../../fakes.js';
import {
  appendArgv,
  DEFAULT_BUILDKITD_FLAGS,
  INFO_FORMAT,
  parseInfo,
  parseBuildxVersion,
  parseInspectPlatforms,
  planBuilder,
  probeBuilder,
  resolveDriver,
  runBuilder,
  uniqueBuilderName,
  versionAtLeast,
  type BuilderProbe,
} from '../../../../src/stages/builder/builder.js';

const containerd: [string, string][] = [['driver-type', 'io.containerd.snapshotter.v1']];
const probe = (over: Partial<BuilderProbe> = {}): BuilderProbe => ({
  buildxVersion: 'github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3',
  driverStatus: containerd,
  dockerContext: 'default',
  ...over,
});
const req = builderRequest;

describe('planBuilder: argv for every driver', () => {
  test('auto on the containerd store: the engine docker driver, nothing created or removed', () => {
    const p = planBuilder(probe(), req(), 'b1');
    expect(p).toMatchObject({ name: 'default', driver: 'docker', create: [], remove: false });
    expect(p.inspect).toEqual(['docker', 'buildx', 'inspect', '--bootstrap', '--builder', 'default']);
  });
  test('auto on the classic store: a new docker-container builder', () => {
    const p = planBuilder(probe({ driverStatus: [['Backing Filesystem', 'extfs']] }), req(), 'b1');
    expect(p.driver).toBe('docker-container');
    expect(p.create).toEqual([['docker', 'buildx', 'create', '--name', 'b1', '--driver', 'docker-container', '--buildkitd-flags', DEFAULT_BUILDKITD_FLAGS]]);
    expect(p.remove).toBe(true);
  });
  test('docker driver on the classic store fails with what to do', () => {
    expect(() => planBuilder(probe({ driverStatus: [] }), req({ driver: 'docker' }), 'b1')).toThrow(/classic image store.*docker-container/);
  });
  test('docker driver with an endpoint uses that context', () => {
    expect(planBuilder(probe(), req({ driver: 'docker', endpoint: 'other' }), 'b1').name).toBe('other');
  });
  test('docker-container with driver-opts, flags, config and endpoint', () => {
    const p = planBuilder(
      probe(),
      req({ driver: 'docker-container', driverOpts: ['image=local/buildkit:1', 'network=host'], buildkitdFlags: '--debug', buildkitdConfig: '/t/buildkitd.toml', endpoint: 'ctx1' }),
      'b1',
    );
    expect(p.create[0]).toEqual([
      'docker', 'buildx', 'create', '--name', 'b1', '--driver', 'docker-container',
      '--driver-opt', 'image=local/buildkit:1', '--driver-opt', 'network=host',
      '--buildkitd-flags', '--debug', '--buildkitd-config', '/t/buildkitd.toml', 'ctx1',
    ]);
  });
  test('buildx older than 0.13 gets --config', () => {
    const p = planBuilder(probe({ buildxVersion: 'github.com/docker/buildx v0.12.1 abc' }), req({ driver: 'docker-container', buildkitdConfig: '/c.toml' }), 'b1');
    expect(p.create[0]).toContain('--config');
    expect(p.create[0]).not.toContain('--buildkitd-config');
  });
  test('remote: endpoint, no default daemon flags', () => {
    const p = planBuilder(probe(), req({ driver: 'remote', endpoint: 'tcp://127.0.0.1:1234', driverOpts: ['cacert=/c/ca.pem'] }), 'b1');
    expect(p.create[0]).toEqual(['docker', 'buildx', 'create', '--name', 'b1', '--driver', 'remote', '--driver-opt', 'cacert=/c/ca.pem', 'tcp://127.0.0.1:1234']);
  });
  test('kubernetes', () => {
    const p = planBuilder(probe(), req({ driver: 'kubernetes', driverOpts: ['namespace=buildkit', 'replicas=2'] }), 'b1');
    expect(p.create[0]).toEqual([
      'docker', 'buildx', 'create', '--name', 'b1', '--driver', 'kubernetes',
      '--driver-opt', 'namespace=buildkit', '--driver-opt', 'replicas=2', '--buildkitd-flags', DEFAULT_BUILDKITD_FLAGS,
    ]);
  });
  test('appended nodes: one create --append each', () => {
    const p = planBuilder(
      probe(),
      req({
        driver: 'docker-container',
        endpoint: 'node-amd64',
        append: [
          { name: 'arm', endpoint: 'node-arm64', driverOpts: ['image=x', 'network=host'], buildkitdFlags: '--debug', platforms: ['linux/arm64', 'linux/arm/v7'] },
          { driverOpts: [], platforms: [], endpoint: 'tcp://10.0.0.2:1234' },
        ],
      }),
      'b1',
    );
    expect(p.create.slice(1)).toEqual([
      ['docker', 'buildx', 'create', '--name', 'b1', '--append', '--node', 'arm', '--driver-opt', 'image=x', '--driver-opt', 'network=host', '--buildkitd-flags', '--debug', '--platform', 'linux/arm64,linux/arm/v7', 'node-arm64'],
      ['docker', 'buildx', 'create', '--name', 'b1', '--append', 'tcp://10.0.0.2:1234'],
    ]);
    expect(appendArgv('x', { driverOpts: [], platforms: [] })).toEqual(['docker', 'buildx', 'create', '--name', 'x', '--append']);
  });
  test('an existing builder: used, never created or removed', () => {
    expect(planBuilder(probe(), req({ builder: 'mine' }), 'b1')).toMatchObject({ name: 'mine', create: [], remove: false });
  });
  test('cleanup false: created but not removed', () => {
    expect(planBuilder(probe(), req({ driver: 'docker-container', cleanup: false }), 'b1').remove).toBe(false);
  });
  test('buildx missing or too old: the fix and the minimum version', () => {
    expect(() => planBuilder(probe({ buildxVersion: undefined }), req(), 'b1')).toThrow(/buildx is not installed: set buildx-version/);
    expect(() => planBuilder(probe({ buildxVersion: 'github.com/docker/buildx v0.7.1 x' }), req({ driver: 'docker-container' }), 'b1')).toThrow(
      /buildx 0\.7\.1 is too old for --bootstrap: it needs buildx 0\.8\.0 or newer/,
    );
  });
});

test('resolveDriver', () => {
  expect(resolveDriver('auto', true)).toBe('docker');
  expect(resolveDriver('auto', false)).toBe('docker-container');
  expect(resolveDriver('remote', true)).toBe('remote');
});

test('versions', () => {
  expect(parseBuildxVersion('github.com/docker/buildx 0.29.1+ds1 0.29.1+ds1-4')).toBe('0.29.1');
  expect(parseBuildxVersion('github.com/docker/buildx v0.30.0 8a7c5d5')).toBe('0.30.0');
  expect(versionAtLeast('0.13.1', '0.13.0')).toBe(true);
  expect(versionAtLeast('0.9.10', '0.13.0')).toBe(false);
  expect(versionAtLeast('1.0.0', '0.13.0')).toBe(true);
});

test('uniqueBuilderName: per job, and distinct for jobs side by side', () => {
  const env = { GITHUB_RUN_ID: '1234', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'Build Image' };
  expect(uniqueBuilderName(env, 'abcd1234')).toBe('multiarch-1234-2-build-image-abcd1234');
  const names = new Set(Array.from({ length: 50 }, () => uniqueBuilderName(env)));
  expect(names.size).toBe(50);
  for (const n of names) expect(n).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  expect(uniqueBuilderName({}, 'r')).toBe('multiarch-r');
});

test('parseInspectPlatforms: every node, deduplicated', () => {
  const out = `Name:          b1\nDriver:        docker-container\n\nNodes:\nName:      b10\nPlatforms: linux/amd64*, linux/amd64/v2, linux/arm64\n\nName:      arm\nPlatforms: linux/arm64*, linux/arm/v7\n`;
  expect(parseInspectPlatforms(out)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/arm/v7']);
});

describe('runBuilder', () => {
  function fake(fail?: string): { calls: ExecRequest[]; exec: Exec } {
    const calls: ExecRequest[] = [];
    return {
      calls,
      exec: async (req) => {
        calls.push(req);
        if (fail && req.argv.includes(fail)) return { code: 1, stdout: '', stderr: 'boom' };
        return { code: 0, stdout: req.argv[2] === 'inspect' ? 'Driver: docker-container\nPlatforms: linux/amd64, linux/arm64\n' : '', stderr: '' };
      },
    };
  }
  const plan = planBuilder(probe(), req({ driver: 'docker-container', append: [{ driverOpts: [], platforms: ['linux/arm64'], endpoint: 'n2' }] }), 'b1');

  test('records the builder for post right after it exists, then appends and boots', async () => {
    const { calls, exec } = fake();
    const created: string[] = [];
    const res = await runBuilder(plan, { exec, log: () => undefined, created: (n) => created.push(n) });
    expect(calls.map((c) => c.argv.slice(2, 3)[0])).toEqual(['create', 'create', 'inspect']);
    expect(created).toEqual(['b1']);
    await expect(res.platforms()).resolves.toEqual(['linux/amd64', 'linux/arm64']);
  });
  test('a failing append still leaves the builder recorded for post', async () => {
    const { exec } = fake('--append');
    const created: string[] = [];
    await expect(runBuilder(plan, { exec, log: () => undefined, created: (n) => created.push(n) })).rejects.toThrow(/appending node 1 to builder b1 failed: boom/);
    expect(created).toEqual(['b1']);
  });
  test('boot failure of docker-container names the buildkit image', async () => {
    const { exec } = fake('inspect');
    await expect(runBuilder(plan, { exec, log: () => undefined, created: () => undefined })).rejects.toThrow(/moby\/buildkit.*driver-opts image=/);
  });
});

describe("the context's own builder: nothing waits for its inspect", () => {
  test.each([
    ['auto on the containerd store', {}, true],
    ['docker', { driver: 'docker' as const }, true],
    ['docker-container creates its own builder', { driver: 'docker-container' as const }, false],
    ['a named builder may be any driver', { builder: 'mine' }, false],
  ])('planBuilder: %s', (_name, over, later) => {
    expect(planBuilder(probe(), req(over), 'new').inspectLater ?? false).toBe(later);
  });

  const engine = (inspect: { code: number; stdout?: string; stderr?: string }): { calls: string[]; exec: Exec; answer: () => void } => {
    const calls: string[] = [];
    let answer = () => undefined as void;
    const answered = new Promise<void>((r) => (answer = r));
    return {
      calls,
      answer: () => answer(),
      exec: async ({ argv }) => {
        calls.push(argv.slice(1).join(' '));
        if (argv[1] === 'info') return { code: 0, stdout: `${JSON.stringify(containerd)}\n[{"Name":"buildx","Version":"v0.29.1"}]\n`, stderr: '' };
        if (argv[1] === 'context') return { code: 0, stdout: 'desktop-linux\n', stderr: '' };
        await answered; // the inspect answers only when the test says so
        return { stdout: '', stderr: '', ...inspect };
      },
    };
  };

  test('the stage is done without inspecting; platforms() inspects, once', async () => {
    const { calls, exec, answer } = engine({ code: 0, stdout: 'Driver: docker\nPlatforms: linux/amd64, linux/arm64\n' });
    const p = await probeBuilder(exec);
    const res = await runBuilder(planBuilder(p, req(), 'new'), { exec, log: () => undefined, created: () => undefined });
    // no `buildx version`: docker info's plugin list gave it
    expect(calls).toEqual(['info --format ' + INFO_FORMAT, 'context show']);
    expect(res).toMatchObject({ name: 'desktop-linux', driver: 'docker', buildxVersion: '0.29.1' });
    const first = res.platforms();
    answer();
    await expect(first).resolves.toEqual(['linux/amd64', 'linux/arm64']);
    await expect(res.platforms()).resolves.toEqual(['linux/amd64', 'linux/arm64']);
    expect(calls.filter((c) => c.startsWith('buildx inspect'))).toEqual(['buildx inspect --bootstrap --builder desktop-linux']);
  });

  test('a failing late inspect: the run goes on (the build names the problem), platforms empty', async () => {
    const { exec, answer } = engine({ code: 1, stderr: 'no builder' });
    const logs: string[] = [];
    const res = await runBuilder(planBuilder(await probeBuilder(exec), req(), 'new'), { exec, log: (m) => logs.push(m), created: () => undefined });
    answer();
    await expect(res.platforms()).resolves.toEqual([]);
    expect(logs.join('\n')).toMatch(/could not list its platforms \(no builder\)/);
  });
});

describe('parseInfo: driver status and buildx from one docker info', () => {
  const status = JSON.stringify(containerd);
  test.each([
    ['both lines', `${status}\n[{"Name":"compose","Version":"2.20.0"},{"Name":"buildx","Version":"0.13.1+ds1"}]`, containerd, 'github.com/docker/buildx 0.13.1+ds1'],
    ['no plugins line (an old CLI): ask buildx itself', status, containerd, undefined],
    ['buildx listed with an error', `${status}\n[{"Name":"buildx","Version":"","Err":"not a plugin"}]`, containerd, undefined],
    ['no buildx plugin', `${status}\n[{"Name":"compose","Version":"2.20.0"}]`, containerd, undefined],
    ['null status (classic engines print null)', `null\n[]`, [], undefined],
    ['garbage', 'template: info:1: bad', [], undefined],
  ])('%s', (_name, stdout, driverStatus, buildxVersion) => {
    expect(parseInfo(stdout)).toEqual({ driverStatus, buildxVersion });
  });

  test('no buildx in the plugin list: `docker buildx version` answers', async () => {
    const calls: string[] = [];
    const exec: Exec = async ({ argv }) => {
      calls.push(argv.slice(1, 3).join(' '));
      if (argv[1] === 'info') return { code: 0, stdout: `${status}\n[]`, stderr: '' };
      if (argv[2] === 'version') return { code: 0, stdout: 'github.com/docker/buildx v0.30.0 abc', stderr: '' };
      return { code: 0, stdout: 'default\n', stderr: '' };
    };
    const p = await probeBuilder(exec);
    expect(parseBuildxVersion(p.buildxVersion ?? '')).toBe('0.30.0');
    expect(calls).toContain('buildx version');
  });
});
