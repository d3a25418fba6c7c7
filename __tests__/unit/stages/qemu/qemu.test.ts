import type { Exec, ExecRequest } from '../../../../src/ports/exec.js';
import { BINFMT_DIR, explainInstallFailure, isLocalEngine, planInstall, planQemu, runQemu, type QemuProbe } from '../../../../src/stages/qemu/qemu.js';

const ready = { enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'PF' };
const probe = (handlers: QemuProbe['handlers'], engineArch = 'amd64', binfmtVisible = true): QemuProbe => ({ engineArch, binfmtVisible, handlers });

describe('planQemu: native / ready / missing × platforms', () => {
  const cases: [string, string[], QemuProbe, string[], string[]][] = [
    ['engine arch is native', ['linux/amd64'], probe({}), [], ['native']],
    ['386 runs on amd64', ['linux/386'], probe({}), [], ['native']],
    ['arm64 with a ready handler', ['linux/amd64', 'linux/arm64'], probe({ 'qemu-aarch64': ready }), [], ['native', 'emulated']],
    ['arm64 handler missing', ['linux/arm64'], probe({}), [], ['missing']],
    ['arm64 handler disabled', ['linux/arm64'], probe({ 'qemu-aarch64': { ...ready, enabled: false } }), [], ['missing']],
    ['arm64 handler without F flag', ['linux/arm64'], probe({ 'qemu-aarch64': { ...ready, flags: 'P' } }), [], ['missing']],
    ['binfmt not visible', ['linux/arm64'], probe({}, 'amd64', false), [], ['unknown']],
    ['arm64 served by an appended node', ['linux/arm64'], probe({}), ['linux/arm64'], ['native']],
    ['on an arm64 engine amd64 is foreign', ['linux/arm64', 'linux/amd64'], probe({}, 'aarch64'), [], ['native', 'missing']],
    ['mixed: ready, missing, native', ['linux/arm64', 'linux/riscv64', 'linux/amd64'], probe({ 'qemu-aarch64': ready }), [], ['emulated', 'missing', 'native']],
  ];
  test.each(cases)('%s', (_n, platforms, p, nodes, want) => {
    const plan = planQemu(platforms, p, nodes);
    expect(plan.decisions.map((d) => d.status)).toEqual(want);
    expect(plan.missing.map((d) => d.platform)).toEqual(platforms.filter((_, i) => want[i] === 'missing'));
  });
});

describe('planInstall', () => {
  const plan = planQemu(['linux/amd64', 'linux/arm64', 'linux/riscv64', 'linux/arm/v7'], probe({ 'qemu-aarch64': ready }));
  test.each([
    ['auto installs only what is missing', 'auto', ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'riscv64,arm']],
    ['true reinstalls every emulated platform', 'true', ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'arm64,riscv64,arm']],
    ['false never runs a container', 'false', undefined],
  ] as const)('%s', (_n, mode, want) => {
    expect(planInstall(plan, mode, 'img')).toEqual(want);
  });
  test('nothing missing: no container', () => {
    expect(planInstall(planQemu(['linux/amd64', 'linux/arm64'], probe({ 'qemu-aarch64': ready })), 'auto', 'img')).toBeUndefined();
  });
});

test('explainInstallFailure says what to do', () => {
  expect(explainInstallFailure('img', 1, 'installing: arm64 cannot register "/usr/bin/qemu-aarch64" to /proc/sys/fs/binfmt_misc/register: write /proc/sys/fs/binfmt_misc/register: operation not permitted')).toMatch(
    /refused: the installer needs a privileged container.*qemu-user-static binfmt-support/,
  );
  expect(explainInstallFailure('img', 125, 'docker: Error response from daemon: privileged mode is incompatible with user namespaces.')).toMatch(/refused/);
  expect(explainInstallFailure('img', 125, 'Unable to find image; pull access denied for img')).toMatch(/could not pull the emulator installer img.*qemu-image/);
});

function fakeFs(files: Record<string, string>) {
  return (p: string) => files[p];
}
const entry = (flags = 'PF') => `enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: ${flags}\noffset 0\nmagic 7f454c46\n`;

describe('runQemu', () => {
  function recorder(results: Record<string, { code: number; stdout?: string; stderr?: string }>, onRun?: () => void) {
    const calls: ExecRequest[] = [];
    const exec: Exec = async (req) => {
      calls.push(req);
      if (req.argv[1] === 'run') onRun?.();
      const r = results[req.argv[1]!] ?? { code: 0 };
      return { code: r.code, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    };
    return { calls, exec };
  }
  const logs: string[] = [];
  const deps = (exec: Exec, files: Record<string, string>) => ({ exec, readFile: fakeFs(files), log: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) });

  test('all ready: one docker version, no container', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64\n' } });
    const files = { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: entry() };
    const res = await runQemu(['linux/amd64', 'linux/arm64'], deps(exec, files), { mode: 'auto', image: 'img' });
    expect(calls.map((c) => c.argv.slice(0, 2))).toEqual([['docker', 'version']]);
    expect(res.installed).toBeUndefined();
  });

  test('missing: runs the installer for the missing arch only, then re-checks', async () => {
    const files: Record<string, string> = { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: entry() };
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64' } }, () => (files[`${BINFMT_DIR}/qemu-riscv64`] = entry()));
    const res = await runQemu(['linux/arm64', 'linux/riscv64'], deps(exec, files), { mode: 'auto', image: 'img@sha256:x' });
    expect(calls[1]!.argv).toEqual(['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img@sha256:x', '--install', 'riscv64']);
    expect(res.installed).toEqual(calls[1]!.argv);
  });

  test('installer refused: clear error', async () => {
    const { exec } = recorder({ version: { code: 0, stdout: 'amd64' }, run: { code: 1, stderr: 'write /proc/sys/fs/binfmt_misc/register: operation not permitted' } });
    await expect(runQemu(['linux/riscv64'], deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled' }), { mode: 'auto', image: 'img' })).rejects.toThrow(/privileged/);
  });

  // issue 15, finding 10: this machine's /proc says nothing about a remote engine (a GitLab dind
  // service): auto registers the emulators on the engine itself instead of only warning
  test('remote engine: binfmt is not read here; auto runs the installer on the engine', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64' } });
    const log: string[] = [];
    const res = await runQemu(['linux/amd64', 'linux/arm64'], { ...deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: entry() }), remoteEngine: true, warn: (m) => log.push(m) }, { mode: 'auto', image: 'img' });
    expect(calls.map((c) => c.argv)).toEqual([
      ['docker', 'version', '--format', '{{.Server.Arch}}'],
      ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'arm64'],
    ]);
    expect(res.plan.decisions.map((d) => d.status)).toEqual(['native', 'unknown']);
    expect(log).toEqual([]);
  });

  test('remote engine, native platforms only: no container', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'arm64' } });
    await runQemu(['linux/arm64'], { ...deps(exec, {}), remoteEngine: true }, { mode: 'auto', image: 'img' });
    expect(calls.map((c) => c.argv[1])).toEqual(['version']);
  });

  test('installer ran but the handler is still missing: error', async () => {
    const { exec } = recorder({ version: { code: 0, stdout: 'amd64' } });
    await expect(runQemu(['linux/riscv64'], deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled' }), { mode: 'auto', image: 'img' })).rejects.toThrow(/still no emulator for linux\/riscv64/);
  });

  test('no engine: says how to fix it', async () => {
    const { exec } = recorder({ version: { code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' } });
    await expect(runQemu(['linux/arm64'], deps(exec, {}), { mode: 'auto', image: 'img' })).rejects.toThrow(/cannot reach the Docker engine.*Start dockerd/);
  });

  test('qemu false and remote drivers start nothing', async () => {
    const { calls, exec } = recorder({});
    await runQemu(['linux/arm64'], deps(exec, {}), { mode: 'false', image: 'img' });
    await runQemu(['linux/arm64'], deps(exec, {}), { mode: 'auto', image: 'img', skipReason: 'remote' });
    expect(calls).toEqual([]);
  });
});

test.each([
  [{}, undefined, true],
  [{ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, undefined, true],
  [{ DOCKER_HOST: 'tcp://10.0.0.1:2376' }, undefined, false],
  [{ DOCKER_HOST: 'ssh://me@box' }, undefined, false],
  [{ DOCKER_CONTEXT: 'remote-arm' }, undefined, false],
  [{ DOCKER_CONTEXT: 'default' }, '{"currentContext":"x"}', true],
  [{}, '{"currentContext":"desktop-linux"}', false],
  [{}, '{"currentContext":"default","auths":{}}', true],
  [{}, 'not json', false],
])('isLocalEngine(%o, %s) = %s', (env, config, want) => {
  expect(isLocalEngine(env as NodeJS.ProcessEnv, config)).toBe(want);
});

test('a local engine: the stage runs no process at all when emulators are ready', async () => {
  const calls: string[][] = [];
  const files: Record<string, string> = { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: `enabled\ninterpreter /q\nflags: PF\n` };
  const res = await runQemu(
    ['linux/amd64', 'linux/arm64'],
    { exec: async (r) => (calls.push(r.argv), { code: 0, stdout: '', stderr: '' }), localArch: 'x64', readFile: (p) => files[p], log: () => undefined, warn: () => undefined },
    { mode: 'auto', image: 'img' },
  );
  expect(calls).toEqual([]);
  expect(res.plan.decisions.map((d) => d.status)).toEqual(['native', 'emulated']);
});
