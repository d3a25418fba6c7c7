import type { Exec, ExecRequest } from '../../../../src/ports/exec.js';
import { runQemu } from '../../../../src/stages/qemu/act.js';
import { BINFMT_DIR } from '../../../../src/stages/qemu/plan.js';

function fakeFs(files: Record<string, string>) {
  return (p: string) => files[p];
}
const entry = (flags = 'PF') =>
  `enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: ${flags}\noffset 0\nmagic 7f454c46\n`;

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
  // service): auto registers the emulators on the engine itself instead of only warning
  test('remote engine: binfmt is not read here; auto runs the installer on the engine', async () => {
    const { calls, exec } = recorder({ version: { code: 0, stdout: 'amd64' } });
    const log: string[] = [];
    const res = await runQemu(
      ['linux/amd64', 'linux/arm64'],
      {
        ...deps(exec, { [`${BINFMT_DIR}/status`]: 'enabled', [`${BINFMT_DIR}/qemu-aarch64`]: entry() }),
        remoteEngine: true,
        warn: (m) => log.push(m),
      },
      { mode: 'auto', image: 'img' },
    );
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
  const calls: string[][] = [];
  const files: Record<string, string> = {
    [`${BINFMT_DIR}/status`]: 'enabled',
    [`${BINFMT_DIR}/qemu-aarch64`]: `enabled\ninterpreter /q\nflags: PF\n`,
  };
  const res = await runQemu(
    ['linux/amd64', 'linux/arm64'],
    {
      exec: async (r) => (calls.push(r.argv), { code: 0, stdout: '', stderr: '' }),
      localArch: 'x64',
      readFile: (p) => files[p],
      log: () => undefined,
      warn: () => undefined,
    },
    { mode: 'auto', image: 'img' },
  );
  expect(calls).toEqual([]);
  expect(res.plan.decisions.map((d) => d.status)).toEqual(['native', 'emulated']);
});
