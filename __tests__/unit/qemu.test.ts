import { parseBinfmtEntry, planQemu, type QemuProbe, runQemu } from '../../src/stages/qemu.js';
import { fakeExec } from './fakes.js';

const ready = { enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'PF' };
const probe = (over: Partial<QemuProbe> = {}): QemuProbe => ({
  engineArch: 'amd64',
  binfmtVisible: true,
  handlers: { 'qemu-aarch64': ready },
  ...over,
});

describe('planQemu: native / emulated / missing per platform', () => {
  test.each<[string, string[], QemuProbe, string[]]>([
    ['amd64 host, amd64', ['linux/amd64'], probe(), ['native']],
    ['amd64 host, 386 runs natively', ['linux/386'], probe(), ['native']],
    ['amd64 host, arm64 ready', ['linux/amd64', 'linux/arm64'], probe(), ['native', 'emulated']],
    ['amd64 host, arm64 not registered', ['linux/arm64'], probe({ handlers: {} }), ['missing']],
    ['amd64 host, arm64 disabled', ['linux/arm64'], probe({ handlers: { 'qemu-aarch64': { ...ready, enabled: false } } }), ['missing']],
    ['amd64 host, arm64 without F flag', ['linux/arm64'], probe({ handlers: { 'qemu-aarch64': { ...ready, flags: 'P' } } }), ['missing']],
    ['amd64 host, arm/v7 missing', ['linux/arm/v7'], probe(), ['missing']],
    ['arm64 host (uname spelling), amd64 missing', ['linux/arm64', 'linux/amd64'], probe({ engineArch: 'aarch64' }), ['native', 'missing']],
    ['binfmt_misc not mounted', ['linux/arm64'], probe({ binfmtVisible: false, handlers: {} }), ['unknown']],
  ])('%s', (_name, platforms, p, want) => {
    const plan = planQemu(platforms, p);
    expect(plan.decisions.map((d) => d.status)).toEqual(want);
    expect(plan.missing.map((d) => d.platform)).toEqual(platforms.filter((_, i) => want[i] === 'missing'));
  });

  test('the reason names the handler', () => {
    const plan = planQemu(['linux/arm64'], probe({ handlers: { 'qemu-aarch64': { ...ready, flags: 'OC' } } }));
    expect(plan.missing[0]!.reason).toMatch(/qemu-aarch64.*F \(fix-binary\) flag/);
  });
});

test('parseBinfmtEntry reads the proc file', () => {
  const e = parseBinfmtEntry('enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\nmagic 7f45\n');
  expect(e).toEqual({ enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'PF' });
  expect(parseBinfmtEntry('disabled\nflags: F\n').enabled).toBe(false);
});

describe('runQemu (act)', () => {
  const files: Record<string, string> = {
    '/proc/sys/fs/binfmt_misc/status': 'enabled',
    '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /x\nflags: PF\n',
  };
  const deps = (exec = fakeExec(() => ({ stdout: 'amd64\n' }))) => ({ exec, readFile: (p: string) => files[p], log: () => undefined, warn: () => undefined });

  test('ready: one read-only probe, no container', async () => {
    const d = deps();
    const res = await runQemu(['linux/amd64', 'linux/arm64'], d);
    expect(res.plan.missing).toEqual([]);
    expect(d.exec.calls.map((c) => c.argv)).toEqual([['docker', 'version', '--format', '{{.Server.Arch}}']]);
  });

  test('missing emulator: clear error naming the platform', async () => {
    await expect(runQemu(['linux/s390x'], deps())).rejects.toThrow(/no emulator for linux\/s390x \(qemu-s390x is not registered/);
  });

  test('no engine: says so', async () => {
    const exec = fakeExec(() => ({ code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' }));
    await expect(runQemu(['linux/arm64'], deps(exec))).rejects.toThrow(/cannot reach the Docker engine: Cannot connect/);
  });
});
