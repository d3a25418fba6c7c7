import { parseBuildxVersion } from '../../../../src/inputs/buildx-version.js';
import type { Exec, ExecRequest, ExecResult } from '../../../../src/ports/exec.js';
import { probeBuilder, runBuilder, writeBuildkitdConfig } from '../../../../src/stages/builder/act.js';
import { planBuilder } from '../../../../src/stages/builder/plan.js';
import { type BuilderProbe, INFO_FORMAT } from '../../../../src/stages/builder/probe.js';
import { builderProbe, builderRequest, fakeExec, fakeFiles } from '../../fakes.js';

const containerd: [string, string][] = [['driver-type', 'io.containerd.snapshotter.v1']];
const probe = builderProbe;
const req = builderRequest;
const classic: BuilderProbe = {
  buildxVersion: 'github.com/docker/buildx v0.13.1 x',
  driverStatus: [['Backing Filesystem', 'extfs']],
  dockerContext: 'default',
};

describe('runBuilder', () => {
  function fake(fail?: string): { calls: ExecRequest[]; exec: Exec } {
    const exec = fakeExec((req) => {
      if (fail && req.argv.includes(fail)) return { code: 1, stdout: '', stderr: 'boom' };
      return {
        stdout: req.argv[2] === 'inspect' ? 'Driver: docker-container\nPlatforms: linux/amd64, linux/arm64\n' : '',
      };
    });
    return { calls: exec.calls, exec };
  }
  const plan = planBuilder(
    probe(),
    req({ driver: 'docker-container', append: [{ driverOpts: [], platforms: ['linux/arm64'], endpoint: 'n2' }] }),
    'b1',
  );

  test('records the builder for post right after it exists, then appends and boots', async () => {
    const { calls, exec } = fake();
    const created: string[] = [];
    const res = await runBuilder(plan, {
      exec,
      log: () => undefined,
      warn: () => undefined,
      created: (n) => created.push(n),
    });
    expect(calls.map((c) => c.argv.slice(2, 3)[0])).toEqual(['create', 'create', 'inspect']);
    expect(created).toEqual(['b1']);
    await expect(res.platforms()).resolves.toEqual(['linux/amd64', 'linux/arm64']);
  });
  test('a failing append still leaves the builder recorded for post', async () => {
    const { exec } = fake('--append');
    const created: string[] = [];
    await expect(
      runBuilder(plan, { exec, log: () => undefined, warn: () => undefined, created: (n) => created.push(n) }),
    ).rejects.toThrow(/appending node 1 to builder b1 failed: boom/);
    expect(created).toEqual(['b1']);
  });
  test('boot failure of docker-container names the buildkit image', async () => {
    const { exec } = fake('inspect');
    await expect(
      runBuilder(plan, { exec, log: () => undefined, warn: () => undefined, created: () => undefined }),
    ).rejects.toThrow(/moby\/buildkit.*driver-opts image=/);
  });
});

describe("the context's own builder: nothing waits for its inspect", () => {
  const engine = (inspect: Partial<ExecResult>) => {
    let answer = () => undefined as void;
    const answered = new Promise<void>((r) => (answer = r));
    const exec = fakeExec(async ({ argv }) => {
      if (argv[1] === 'info')
        return { stdout: `${JSON.stringify(containerd)}\n[{"Name":"buildx","Version":"v0.29.1"}]\n` };
      if (argv[1] === 'context') return { stdout: 'desktop-linux\n' };
      await answered; // the inspect answers only when the test says so
      return inspect;
    });
    return { exec, answer: () => answer(), calls: () => exec.calls.map((c) => c.argv.slice(1).join(' ')) };
  };

  test('the stage is done without inspecting; platforms() inspects, once', async () => {
    const { calls, exec, answer } = engine({
      code: 0,
      stdout: 'Driver: docker\nPlatforms: linux/amd64, linux/arm64\n',
    });
    const p = await probeBuilder(exec);
    const res = await runBuilder(planBuilder(p, req(), 'new'), {
      exec,
      log: () => undefined,
      warn: () => undefined,
      created: () => undefined,
    });
    // no `buildx version`: docker info's plugin list gave it
    expect(calls()).toEqual(['info --format ' + INFO_FORMAT, 'context show']);
    expect(res).toMatchObject({ name: 'desktop-linux', driver: 'docker', buildxVersion: '0.29.1' });
    const first = res.platforms();
    answer();
    await expect(first).resolves.toEqual(['linux/amd64', 'linux/arm64']);
    await expect(res.platforms()).resolves.toEqual(['linux/amd64', 'linux/arm64']);
    expect(calls().filter((c) => c.startsWith('buildx inspect'))).toEqual([
      'buildx inspect --bootstrap --builder desktop-linux',
    ]);
  });

  test('a failing late inspect: the run goes on (the build names the problem), platforms empty', async () => {
    const { exec, answer } = engine({ code: 1, stderr: 'no builder' });
    const logs: string[] = [];
    const res = await runBuilder(planBuilder(await probeBuilder(exec), req(), 'new'), {
      exec,
      log: (m) => logs.push(m),
      warn: () => undefined,
      created: () => undefined,
    });
    answer();
    await expect(res.platforms()).resolves.toEqual([]);
    expect(logs.join('\n')).toMatch(/could not list its platforms \(no builder\)/);
  });
});

describe('probeBuilder', () => {
  const status = JSON.stringify(containerd);
  test('no buildx in the plugin list: `docker buildx version` answers', async () => {
    const exec = fakeExec(({ argv }) => {
      if (argv[1] === 'info') return { stdout: `${status}\n[]` };
      if (argv[2] === 'version') return { stdout: 'github.com/docker/buildx v0.30.0 abc' };
      return { stdout: 'default\n' };
    });
    const p = await probeBuilder(exec);
    expect(parseBuildxVersion(p.buildxVersion ?? '')).toBe('0.30.0');
    expect(exec.calls.map((c) => c.argv.slice(1, 3).join(' '))).toContain('buildx version');
  });
});

describe('an existing builder and a loopback registry', () => {
  const inspect = (driver: string, nodes: string) =>
    `Name:          mine\nDriver:        ${driver}\n\nNodes:\n${nodes}`;
  test('runBuilder returns the warning for an existing builder', async () => {
    const exec: Exec = () =>
      Promise.resolve({
        code: 0,
        stdout: inspect('docker-container', 'Endpoint: default\nStatus: running\nPlatforms: linux/amd64\n'),
        stderr: '',
      });
    const plan = planBuilder(classic, req({ builder: 'mine', registries: ['127.0.0.1:5000/app'] }), 'b1');
    const res = await runBuilder(plan, { exec, log: () => undefined, warn: () => undefined, created: () => undefined });
    expect(res.driver).toBe('docker-container');
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toMatch(/builder mine runs BuildKit in a container/);
  });
});

describe("failures: the command's own words (commandProblem), then what to check", () => {
  const failing =
    (stderr: string, stdout = ''): Exec =>
    async () => ({ code: 1, stdout, stderr });
  test('an existing builder that is not there', async () => {
    const plan = planBuilder(classic, req({ builder: 'mine' }), 'b1');
    await expect(
      runBuilder(plan, {
        exec: failing('ERROR: no builder "mine" found\n'),
        log: () => undefined,
        warn: () => undefined,
        created: () => undefined,
      }),
    ).rejects.toThrow(
      'builder mine is not available: ERROR: no builder "mine" found. Check the builder input (docker buildx ls lists builders).',
    );
  });
  test('no stderr: stdout, else the exit code', async () => {
    const plan = planBuilder(classic, req({ driver: 'remote', endpoint: 'tcp://10.0.0.1:1234' }), 'b1');
    await expect(
      runBuilder(plan, {
        exec: failing('', 'connection refused'),
        log: () => undefined,
        warn: () => undefined,
        created: () => undefined,
      }),
    ).rejects.toThrow(
      'creating builder b1 (driver remote) failed: connection refused. Check driver, driver-opts, endpoint and append.',
    );
    const created = planBuilder(classic, req({ driver: 'remote', endpoint: 'tcp://10.0.0.1:1234' }), 'b1');
    const bootOnly: Exec = async ({ argv }) =>
      argv[2] === 'inspect' ? { code: 7, stdout: '', stderr: '' } : { code: 0, stdout: '', stderr: '' };
    await expect(
      runBuilder(created, { exec: bootOnly, log: () => undefined, warn: () => undefined, created: () => undefined }),
    ).rejects.toThrow('booting builder b1 failed: exit 7. Check driver-opts and endpoint.');
  });
});

test('writeBuildkitdConfig writes only an inline config, world-readable (BuildKit reads it)', () => {
  const files = fakeFiles();
  const writes: [string, string, number | undefined][] = [];
  const spy = {
    writeFile: (p: string, c: string, m?: number) => void (writes.push([p, c, m]), files.writeFile(p, c, m)),
  };
  writeBuildkitdConfig({ path: '/c/buildkitd.toml' }, spy);
  expect(writes).toEqual([]);
  writeBuildkitdConfig({ path: '/t/buildkitd.toml', write: 'debug = true\n' }, spy);
  expect(writes).toEqual([['/t/buildkitd.toml', 'debug = true\n', 0o644]]);
  expect(files.readFile('/t/buildkitd.toml')).toBe('debug = true\n');
});
