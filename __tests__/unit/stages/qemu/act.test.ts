import type { Exec } from '../../../../src/ports/exec.js';
import { runQemu } from '../../../../src/stages/qemu/act.js';
import { BINFMT_DIR, probeContainerArgv } from '../../../../src/stages/qemu/plan.js';
import { fakeExec } from '../../fakes.js';

function fakeFs(files: Record<string, string>) {
  return (p: string) => files[p];
}
const entry = (flags = 'PF') =>
  `enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: ${flags}\noffset 0\nmagic 7f454c46\n`;

describe('runQemu', () => {
  function recorder(results: Record<string, { code: number; stdout?: string; stderr?: string }>, onRun?: () => void) {
    const exec = fakeExec((req) => {
      if (req.argv[1] === 'run') onRun?.();
      // the probe container (docker run --rm …) answers as `probe`, the installer as `run`
      const key = req.argv[1] === 'run' && req.argv[2] === '--rm' ? 'probe' : req.argv[1]!;
      return results[key] ?? { code: 0 };
    });
    return { calls: exec.calls, exec };
  }
  const logs: string[] = [];
  const deps = (exec: Exec, files: Record<string, string>) => ({
    exec,
    readFile: fakeFs(files),
    log: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
  });

  test('all ready: one docker version, no container', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64\n' } });
    const files = { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: entry() };
    const res = await runQemu(['linux/amd64', 'linux/arm64'], deps(exec, files), { mode: 'auto', image: 'img' });
    expect(calls.map((c) => c.argv.slice(0, 2))).toEqual([['docker', 'version']]);
    expect(res.installed).toBeUndefined();
  });

  test('missing: runs the installer for the missing arch only, then re-checks', async () => {
    const files: Record<string, string> = {
      [`${BINFMT_DIR}/status`]: 'enabled',
      [`${BINFMT_DIR}/qemu-aarch64`]: entry(),
    };
    const { calls, exec } = recorder(
      { version: { code: 0, stdout: 'amd64' } },
      () => (files[`${BINFMT_DIR}/qemu-riscv64`] = entry()),
    );
    const res = await runQemu(['linux/arm64', 'linux/riscv64'], deps(exec, files), {
      mode: 'auto',
      image: 'img@sha256:x',
    });
    expect(calls[1]!.argv).toEqual([
      'docker',
      'run',
      '--privileged',
      '--rm',
      '--network',
      'none',
      'img@sha256:x',
      '--install',
      'riscv64',
    ]);
    expect(res.installed).toEqual(calls[1]!.argv);
  });

  test('installer refused: clear error', async () => {
    const { exec } = recorder({
      version: { code: 0, stdout: 'amd64' },
      run: { code: 1, stderr: 'write /proc/sys/fs/binfmt_misc/register: operation not permitted' },
    });
    await expect(
      runQemu(['linux/riscv64'], deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled' }), { mode: 'auto', image: 'img' }),
    ).rejects.toThrow(/privileged/);
  });

  // this machine's /proc says nothing about a remote engine (a GitLab dind
  // service): the engine's own binfmt_misc is read in a container first, and
  // the installer runs on the engine only for what that shows missing
  test('remote engine: binfmt is read in a probe container on the engine; auto installs only what it lacks', async () => {
    const probeOut = [
      '/binfmt_misc/status:enabled',
      ...entry()
        .split('\n')
        .map((l) => `/binfmt_misc/qemu-aarch64:${l}`),
    ];
    const { calls, exec } = recorder({
      version: { code: 0, stdout: 'amd64' },
      probe: { code: 2, stdout: probeOut.join('\n') },
    });
    const log: string[] = [];
    const run = runQemu(
      ['linux/amd64', 'linux/arm64', 'linux/riscv64'],
      {
        ...deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled' }),
        remoteEngine: true,
        warn: (m) => log.push(m),
      },
      { mode: 'auto', image: 'img', probeImage: 'moby/buildkit:x' },
    );
    // the probe still shows no qemu-riscv64 after the (stubbed) installer: the re-check says so
    await expect(run).rejects.toThrow(/still no emulator for linux\/riscv64/);
    const argvs = calls.map((c) => c.argv);
    expect(argvs[1]).toEqual(probeContainerArgv('moby/buildkit:x'));
    expect(argvs[2]).toEqual([
      'docker',
      'run',
      '--privileged',
      '--rm',
      '--network',
      'none',
      'img',
      '--install',
      'riscv64',
    ]);
    // the re-check reads the engine again
    expect(argvs[3]).toEqual(probeContainerArgv('moby/buildkit:x'));
    expect(log).toEqual([]);
  });

  test('remote engine with its emulators registered: the probe container, no installer', async () => {
    const probeOut = [
      '/binfmt_misc/status:enabled',
      ...entry()
        .split('\n')
        .map((l) => `/binfmt_misc/qemu-aarch64:${l}`),
    ];
    const { calls, exec } = recorder({
      version: { code: 0, stdout: 'amd64' },
      probe: { code: 0, stdout: probeOut.join('\n') },
    });
    await runQemu(
      ['linux/amd64', 'linux/arm64'],
      { ...deps(exec, {}), remoteEngine: true },
      { mode: 'auto', image: 'img', probeImage: 'bk' },
    );
    expect(calls.map((c) => c.argv.slice(0, 3))).toEqual([
      ['docker', 'version', '--format'],
      ['docker', 'run', '--rm'],
    ]);
  });

  test('remote engine whose binfmt_misc cannot be read: says so, then the installer as before', async () => {
    const { calls, exec } = recorder({
      version: { code: 0, stdout: 'amd64' },
      probe: { code: 125, stderr: 'pull access denied\n::error::x' },
    });
    const warned: string[] = [];
    const res = await runQemu(
      ['linux/arm64'],
      { ...deps(exec, {}), remoteEngine: true, warn: (m) => warned.push(m) },
      { mode: 'auto', image: 'img', probeImage: 'bk' },
    );
    expect(warned[0]).toMatch(/could not read the engine's \/proc\/sys\/fs\/binfmt_misc .*pull access denied/s);
    expect(calls.map((c) => c.argv.slice(0, 3))).toEqual([
      ['docker', 'version', '--format'],
      ['docker', 'run', '--rm'],
      ['docker', 'run', '--privileged'],
    ]);
    expect(res.plan.decisions.map((d) => d.status)).toEqual(['unknown']);
  });

  test('remote engine: a probe that exits 0 but prints nothing read nothing: says so, installer as before', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64' }, probe: { code: 0, stdout: '' } });
    const warned: string[] = [];
    await runQemu(
      ['linux/arm64'],
      { ...deps(exec, {}), remoteEngine: true, warn: (m) => warned.push(m) },
      { mode: 'auto', image: 'img', probeImage: 'bk' },
    );
    expect(warned[0]).toMatch(/the probe container printed nothing/);
    expect(calls.map((c) => c.argv[2])).toEqual(['--format', '--rm', '--privileged']);
  });

  test('remote engine, native platforms only: no container', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'arm64' } });
    await runQemu(['linux/arm64'], { ...deps(exec, {}), remoteEngine: true }, { mode: 'auto', image: 'img' });
    expect(calls.map((c) => c.argv[1])).toEqual(['version']);
  });

  test('installer ran but the handler is still missing: error', async () => {
    const { exec } = recorder({ version: { code: 0, stdout: 'amd64' } });
    await expect(
      runQemu(['linux/riscv64'], deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled' }), { mode: 'auto', image: 'img' }),
    ).rejects.toThrow(/still no emulator for linux\/riscv64/);
  });

  test('no engine: says how to fix it', async () => {
    const { exec } = recorder({
      version: { code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' },
    });
    await expect(runQemu(['linux/arm64'], deps(exec, {}), { mode: 'auto', image: 'img' })).rejects.toThrow(
      /cannot reach the Docker engine.*Start dockerd/,
    );
  });

  test('qemu false and remote drivers start nothing', async () => {
    const { calls, exec } = recorder({});
    await runQemu(['linux/arm64'], deps(exec, {}), { mode: 'false', image: 'img' });
    await runQemu(['linux/arm64'], deps(exec, {}), { mode: 'auto', image: 'img', skipReason: 'remote' });
    expect(calls).toEqual([]);
  });
});

test('a local engine: the stage runs no process at all when emulators are ready', async () => {
  const exec = fakeExec();
  const files: Record<string, string> = {
    [`${BINFMT_DIR}/status`]: 'enabled',
    [`${BINFMT_DIR}/qemu-aarch64`]: `enabled\ninterpreter /q\nflags: PF\n`,
  };
  const res = await runQemu(
    ['linux/amd64', 'linux/arm64'],
    {
      exec,
      localArch: 'x64',
      readFile: (p) => files[p],
      log: () => undefined,
      warn: () => undefined,
    },
    { mode: 'auto', image: 'img' },
  );
  expect(exec.calls).toEqual([]);
  expect(res.plan.decisions.map((d) => d.status)).toEqual(['native', 'emulated']);
});
