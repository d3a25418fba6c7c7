import * as path from 'node:path';

import { ownBuilderInputs } from '../../../../src/inputs/builder.js';
import { DEFAULT_BUILDX_VERSION } from '../../../../src/inputs/buildx-version.js';
import {
  appendArgv,
  autoReason,
  type BuilderRequest,
  buildxToInstall,
  DEFAULT_BUILDKITD_FLAGS,
  planBuilder,
  planBuildkitdConfig,
  resolveDriver,
  uniqueBuilderName,
} from '../../../../src/stages/builder/plan.js';
import type { BuilderProbe } from '../../../../src/stages/builder/probe.js';
import { builderProbe, builderRequest } from '../../fakes.js';

const probe = builderProbe;
const req = builderRequest;
const classic: BuilderProbe = {
  buildxVersion: 'github.com/docker/buildx v0.13.1 x',
  driverStatus: [['Backing Filesystem', 'extfs']],
  dockerContext: 'default',
};
const containerdProbe: BuilderProbe = { ...classic, driverStatus: [['driver-type', 'io.containerd.snapshotter.v1']] };
const driverOpts = (argv: string[]) => argv.flatMap((a, i) => (argv[i - 1] === '--driver-opt' ? [a] : []));

describe('planBuilder: argv for every driver', () => {
  test('auto on the containerd store: the engine docker driver, nothing created or removed', () => {
    const p = planBuilder(probe(), req(), 'b1');
    expect(p).toMatchObject({ name: 'default', driver: 'docker', create: [], remove: false });
    expect(p.inspect).toEqual(['docker', 'buildx', 'inspect', '--bootstrap', '--builder', 'default']);
  });
  test('auto on the classic store: a new docker-container builder', () => {
    const p = planBuilder(probe({ driverStatus: [['Backing Filesystem', 'extfs']] }), req(), 'b1');
    expect(p.driver).toBe('docker-container');
    expect(p.create).toEqual([
      [
        'docker',
        'buildx',
        'create',
        '--name',
        'b1',
        '--driver',
        'docker-container',
        '--buildkitd-flags',
        DEFAULT_BUILDKITD_FLAGS,
      ],
    ]);
    expect(p.remove).toBe(true);
  });
  test('docker driver on the classic store fails with what to do', () => {
    expect(() => planBuilder(probe({ driverStatus: [] }), req({ driver: 'docker' }), 'b1')).toThrow(
      /classic image store.*docker-container/,
    );
  });
  test('docker driver with an endpoint uses that context', () => {
    expect(planBuilder(probe(), req({ driver: 'docker', endpoint: 'other' }), 'b1').name).toBe('other');
  });
  test('docker-container with driver-opts, flags, config and endpoint', () => {
    const p = planBuilder(
      probe(),
      req({
        driver: 'docker-container',
        driverOpts: ['image=local/buildkit:1', 'network=host'],
        buildkitdFlags: '--debug',
        buildkitdConfig: '/t/buildkitd.toml',
        endpoint: 'ctx1',
      }),
      'b1',
    );
    expect(p.create[0]).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'b1',
      '--driver',
      'docker-container',
      '--driver-opt',
      'image=local/buildkit:1',
      '--driver-opt',
      'network=host',
      '--buildkitd-flags',
      '--debug',
      '--buildkitd-config',
      '/t/buildkitd.toml',
      'ctx1',
    ]);
  });
  test('buildx older than 0.13 gets --config', () => {
    const p = planBuilder(
      probe({ buildxVersion: 'github.com/docker/buildx v0.12.1 abc' }),
      req({ driver: 'docker-container', buildkitdConfig: '/c.toml' }),
      'b1',
    );
    expect(p.create[0]).toContain('--config');
    expect(p.create[0]).not.toContain('--buildkitd-config');
  });
  test('remote: endpoint, no default daemon flags', () => {
    const p = planBuilder(
      probe(),
      req({ driver: 'remote', endpoint: 'tcp://127.0.0.1:1234', driverOpts: ['cacert=/c/ca.pem'] }),
      'b1',
    );
    expect(p.create[0]).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'b1',
      '--driver',
      'remote',
      '--driver-opt',
      'cacert=/c/ca.pem',
      'tcp://127.0.0.1:1234',
    ]);
  });
  test('kubernetes', () => {
    const p = planBuilder(
      probe(),
      req({ driver: 'kubernetes', driverOpts: ['namespace=buildkit', 'replicas=2'] }),
      'b1',
    );
    expect(p.create[0]).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'b1',
      '--driver',
      'kubernetes',
      '--driver-opt',
      'namespace=buildkit',
      '--driver-opt',
      'replicas=2',
      '--buildkitd-flags',
      DEFAULT_BUILDKITD_FLAGS,
    ]);
  });
  test('appended nodes: one create --append each', () => {
    const p = planBuilder(
      probe(),
      req({
        driver: 'docker-container',
        endpoint: 'node-amd64',
        append: [
          {
            name: 'arm',
            endpoint: 'node-arm64',
            driverOpts: ['image=x', 'network=host'],
            buildkitdFlags: '--debug',
            platforms: ['linux/arm64', 'linux/arm/v7'],
          },
          { driverOpts: [], platforms: [], endpoint: 'tcp://10.0.0.2:1234' },
        ],
      }),
      'b1',
    );
    expect(p.create.slice(1)).toEqual([
      [
        'docker',
        'buildx',
        'create',
        '--name',
        'b1',
        '--append',
        '--node',
        'arm',
        '--driver-opt',
        'image=x',
        '--driver-opt',
        'network=host',
        '--buildkitd-flags',
        '--debug',
        '--platform',
        'linux/arm64,linux/arm/v7',
        'node-arm64',
      ],
      // a node without flags gets setup-buildx-action's defaults, as the first node does
      [
        'docker',
        'buildx',
        'create',
        '--name',
        'b1',
        '--append',
        '--buildkitd-flags',
        DEFAULT_BUILDKITD_FLAGS,
        'tcp://10.0.0.2:1234',
      ],
    ]);
    expect(appendArgv('x', { driverOpts: [], platforms: [] }, 'remote')).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'x',
      '--append',
    ]);
  });
  test('an existing builder: used, never created or removed', () => {
    expect(planBuilder(probe(), req({ builder: 'mine' }), 'b1')).toMatchObject({
      name: 'mine',
      create: [],
      remove: false,
    });
  });
  test('cleanup false: created but not removed', () => {
    expect(planBuilder(probe(), req({ driver: 'docker-container', cleanup: false }), 'b1').remove).toBe(false);
  });
  test('buildx missing or too old: the fix and the minimum version', () => {
    expect(() => planBuilder(probe({ buildxVersion: undefined }), req(), 'b1')).toThrow(
      /buildx is not installed: set buildx-version/,
    );
    expect(() =>
      planBuilder(
        probe({ buildxVersion: 'github.com/docker/buildx v0.7.1 x' }),
        req({ driver: 'docker-container' }),
        'b1',
      ),
    ).toThrow(/buildx 0\.7\.1 is too old for --bootstrap: it needs buildx 0\.8\.0 or newer/);
  });
});

test('resolveDriver', () => {
  expect(resolveDriver('auto', true)).toBe('docker');
  expect(resolveDriver('auto', false)).toBe('docker-container');
  expect(resolveDriver('remote', true)).toBe('remote');
});

test('uniqueBuilderName: per job, and distinct for jobs side by side', () => {
  const env = { GITHUB_RUN_ID: '1234', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'Build Image' };
  expect(uniqueBuilderName(env, 'abcd1234')).toBe('multiarch-1234-2-build-image-abcd1234');
  const names = new Set(Array.from({ length: 50 }, () => uniqueBuilderName(env)));
  expect(names.size).toBe(50);
  for (const n of names) expect(n).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  expect(uniqueBuilderName({}, 'r')).toBe('multiarch-r');
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
});

describe('planBuilder: network=host injection', () => {
  test('created docker-container nodes (appended ones too) get network=host for a loopback registry', () => {
    const p = planBuilder(
      classic,
      req({
        registries: ['127.0.0.1:5000/app'],
        append: [
          { driverOpts: [], platforms: ['linux/arm64'], endpoint: 'ctx2' },
          { driverOpts: ['network=none'], platforms: [] },
        ],
      }),
      'b1',
    );
    expect(p.driver).toBe('docker-container');
    expect(driverOpts(p.create[0]!)).toEqual(['network=host']);
    expect(driverOpts(p.create[1]!)).toEqual(['network=host']);
    expect(driverOpts(p.create[2]!)).toEqual(['network=none']);
    expect(p.notes.join('\n')).toMatch(/network=host added/);
  });
  test('no loopback registry: no driver option added', () => {
    const p = planBuilder(classic, req({ registries: ['ghcr.io/o/app'] }), 'b1');
    expect(driverOpts(p.create[0]!)).toEqual([]);
    expect(p.notes.join('\n')).not.toMatch(/network=host/);
  });
  test('the engine builder on the containerd store pushes from the host: nothing added', () => {
    const p = planBuilder(containerdProbe, req({ registries: ['127.0.0.1:5000/app'] }), 'b1');
    expect(p).toMatchObject({ driver: 'docker', create: [], warnings: [] });
  });
  test('remote elsewhere: a warning in the plan', () => {
    const p = planBuilder(
      classic,
      req({ driver: 'remote', endpoint: 'tcp://10.1.2.3:1234', registries: ['localhost:5000/a'] }),
      'b1',
    );
    expect(p.warnings.join('\n')).toMatch(/localhost:5000 is on this runner's loopback/);
    expect(driverOpts(p.create[0]!)).toEqual([]);
  });
});

describe('driver auto never drops inputs', () => {
  test.each([
    [{ driverOpts: ['image=x'] }, 'driver-opts'],
    [{ buildkitdFlags: '--debug' }, 'buildkitd-flags'],
    [{ buildkitdConfig: '/c.toml' }, 'buildkitd-config'],
    [{ buildkitdConfig: '/tmp/buildkitd.toml', buildkitdConfigInline: 'debug = true' }, 'buildkitd-config-inline'],
    [{ endpoint: 'ctx2' }, 'endpoint'],
    [{ append: [{ driverOpts: [], platforms: ['linux/arm64'], endpoint: 'ctx2' }] }, 'append'],
  ] as [Partial<BuilderRequest>, string][])(
    '%j on the containerd store: docker-container, and the log says %s',
    (over, name) => {
      expect(ownBuilderInputs({ ...req(), ...over })).toEqual([name]);
      const p = planBuilder(containerdProbe, req(over), 'b1');
      expect(p.driver).toBe('docker-container');
      expect(p.create).not.toEqual([]);
      expect(p.notes[0]).toBe(
        `driver auto: docker-container, a builder this action creates, since ${name} is set and the engine's own builder cannot honour it`,
      );
    },
  );
  test('nothing set: the engine builder on containerd, docker-container on the classic store, each said', () => {
    expect(resolveDriver('auto', true, [])).toBe('docker');
    expect(resolveDriver('auto', true, ['append'])).toBe('docker-container');
    expect(resolveDriver('auto', false, [])).toBe('docker-container');
    expect(resolveDriver('docker', true, ['append'])).toBe('docker');
    expect(planBuilder(containerdProbe, req(), 'b1').notes[0]).toMatch(/driver auto: docker, the engine's own builder/);
    expect(planBuilder(classic, req(), 'b1').notes[0]).toMatch(
      /driver auto: docker-container.*classic image store, whose docker driver cannot build multi-platform/,
    );
    expect(autoReason('docker-container', true, ['append', 'endpoint'])).toMatch(
      /since append, endpoint are set.*honour them/,
    );
  });
  test('an explicit driver: no auto note', () => {
    expect(planBuilder(classic, req({ driver: 'docker-container' }), 'b1').notes).toEqual([]);
  });
});

describe('multi-node builders: the first node is pinned to what append leaves', () => {
  test('planBuilder pins the first node and says which platform goes where', () => {
    const p = planBuilder(
      containerdProbe,
      req({
        platforms: ['linux/amd64', 'linux/arm64'],
        append: [{ name: 'arm', driverOpts: [], platforms: ['linux/arm64'], endpoint: 'ctx2' }],
      }),
      'b1',
    );
    expect(p.create[0]).toEqual(expect.arrayContaining(['--platform', 'linux/amd64']));
    expect(p.create[1]).toEqual([
      'docker',
      'buildx',
      'create',
      '--name',
      'b1',
      '--append',
      '--node',
      'arm',
      '--buildkitd-flags',
      DEFAULT_BUILDKITD_FLAGS,
      '--platform',
      'linux/arm64',
      'ctx2',
    ]);
    expect(p.notes).toContain(
      'builder b1: linux/amd64 on node b10, linux/arm64 on node arm (each node pinned to its platforms)',
    );
    expect(planBuilder(classic, req({ platforms: ['linux/amd64'] }), 'b1').create[0]).not.toContain('--platform');
  });
});

describe('buildxToInstall: the release a job needs', () => {
  test.each([
    ['buildx found, no buildx-version: none', 'github.com/docker/buildx v0.13.1 x', '', undefined],
    ['buildx missing, no buildx-version: the default release', undefined, '', DEFAULT_BUILDX_VERSION],
    ['buildx-version other than the one found', 'github.com/docker/buildx 0.13.1+ds1 x', '0.29.1', '0.29.1'],
    ['buildx-version the one found: none', 'github.com/docker/buildx v0.29.1 x', '0.29.1', undefined],
    ['buildx missing, buildx-version given', undefined, '0.30.0', '0.30.0'],
  ])('%s', (_n, found, wanted, want) => {
    expect(buildxToInstall({ buildxVersion: found }, wanted)).toBe(want);
  });
});

describe('planBuildkitdConfig: the plan names the file, the act writes it', () => {
  test('a config file input is used as it is, nothing to write', () => {
    expect(
      planBuildkitdConfig({ buildkitdConfig: '/c/buildkitd.toml', buildkitdConfigInline: '' }, '/tmp/run'),
    ).toEqual({ path: '/c/buildkitd.toml' });
    expect(planBuildkitdConfig({ buildkitdConfig: '', buildkitdConfigInline: '  \n' }, '/tmp/run')).toEqual({
      path: '',
    });
  });
  test("an inline config: buildkitd.toml in the run's temp folder, with its text", () => {
    expect(planBuildkitdConfig({ buildkitdConfig: '', buildkitdConfigInline: 'debug = true\n' }, '/tmp/run')).toEqual({
      path: path.join('/tmp/run', 'buildkitd.toml'),
      write: 'debug = true\n',
    });
  });
});

describe('reproducible and the driver', () => {
  test('auto on the containerd store creates a docker-container builder for it, and says so as a notice', () => {
    const p = planBuilder(probe(), req({ reproducible: true }), 'b1');
    expect(p.driver).toBe('docker-container');
    expect(p.create[0]).toEqual(expect.arrayContaining(['--driver', 'docker-container']));
    expect(p.notices).toEqual([
      "driver auto: docker-container, a builder this action creates, since reproducible is set and the engine's own builder cannot honour it",
    ]);
    expect(p.notes.join('\n')).not.toMatch(/driver auto/);
  });

  test('on the classic store auto creates one anyway: the reason stays a note', () => {
    const p = planBuilder(classic, req({ reproducible: true }), 'b1');
    expect(p.driver).toBe('docker-container');
    expect(p.notices).toBeUndefined();
  });
});
