import {
  explainInstallFailure,
  parseProbeOutput,
  planInstall,
  planQemu,
  probeContainerArgv,
  type QemuProbe,
} from '../../../../src/stages/qemu/plan.js';

const ready = { enabled: true, interpreter: '/usr/libexec/qemu-binfmt/aarch64-binfmt-P', flags: 'PF' };
const probe = (handlers: QemuProbe['handlers'], engineArch = 'amd64', binfmtVisible = true): QemuProbe => ({
  engineArch,
  binfmtVisible,
  handlers,
});

const INSTALL = ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'arm64'];
const failed = (code: number, stderr: string, stdout = '') => ({ code, stderr, stdout });

describe('planQemu: native / ready / missing × platforms', () => {
  const cases: [string, string[], QemuProbe, string[], string[]][] = [
    ['engine arch is native', ['linux/amd64'], probe({}), [], ['native']],
    ['386 runs on amd64', ['linux/386'], probe({}), [], ['native']],
    [
      'arm64 with a ready handler',
      ['linux/amd64', 'linux/arm64'],
      probe({ 'qemu-aarch64': ready }),
      [],
      ['native', 'emulated'],
    ],
    ['arm64 handler missing', ['linux/arm64'], probe({}), [], ['missing']],
    [
      'arm64 handler disabled',
      ['linux/arm64'],
      probe({ 'qemu-aarch64': { ...ready, enabled: false } }),
      [],
      ['missing'],
    ],
    [
      'arm64 handler without F flag',
      ['linux/arm64'],
      probe({ 'qemu-aarch64': { ...ready, flags: 'P' } }),
      [],
      ['missing'],
    ],
    ['binfmt not visible', ['linux/arm64'], probe({}, 'amd64', false), [], ['unknown']],
    ['arm64 served by an appended node', ['linux/arm64'], probe({}), ['linux/arm64'], ['native']],
    [
      'on an arm64 engine amd64 is foreign',
      ['linux/arm64', 'linux/amd64'],
      probe({}, 'aarch64'),
      [],
      ['native', 'missing'],
    ],
    [
      'mixed: ready, missing, native',
      ['linux/arm64', 'linux/riscv64', 'linux/amd64'],
      probe({ 'qemu-aarch64': ready }),
      [],
      ['emulated', 'missing', 'native'],
    ],
  ];
  test.each(cases)('%s', (_n, platforms, p, nodes, want) => {
    const plan = planQemu(platforms, p, nodes);
    expect(plan.decisions.map((d) => d.status)).toEqual(want);
    expect(plan.missing.map((d) => d.platform)).toEqual(platforms.filter((_, i) => want[i] === 'missing'));
  });
});

describe('planInstall', () => {
  const plan = planQemu(
    ['linux/amd64', 'linux/arm64', 'linux/riscv64', 'linux/arm/v7'],
    probe({ 'qemu-aarch64': ready }),
  );
  test.each([
    [
      'auto installs only what is missing',
      'auto',
      ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'riscv64,arm'],
    ],
    [
      'true reinstalls every emulated platform',
      'true',
      ['docker', 'run', '--privileged', '--rm', '--network', 'none', 'img', '--install', 'arm64,riscv64,arm'],
    ],
    ['false never runs a container', 'false', undefined],
  ] as const)('%s', (_n, mode, want) => {
    expect(planInstall(plan, mode, 'img')).toEqual(want);
  });
  test('nothing missing: no container', () => {
    expect(
      planInstall(planQemu(['linux/amd64', 'linux/arm64'], probe({ 'qemu-aarch64': ready })), 'auto', 'img'),
    ).toBeUndefined();
  });
});

test('explainInstallFailure says what to do', () => {
  expect(
    explainInstallFailure(
      'img',
      INSTALL,
      failed(
        1,
        'installing: arm64 cannot register "/usr/bin/qemu-aarch64" to /proc/sys/fs/binfmt_misc/register: write /proc/sys/fs/binfmt_misc/register: operation not permitted',
      ),
    ),
  ).toMatch(/refused: the installer needs a privileged container.*qemu-user-static binfmt-support/);
  expect(
    explainInstallFailure(
      'img',
      INSTALL,
      failed(125, 'docker: Error response from daemon: privileged mode is incompatible with user namespaces.'),
    ),
  ).toMatch(/refused/);
  expect(
    explainInstallFailure('img', INSTALL, failed(125, 'Unable to find image; pull access denied for img')),
  ).toMatch(/could not pull the emulator installer img.*qemu-image/);
});

// the installer's words come through commandProblem, as every failed command's do: no longer its
// last stderr line alone, and a missing docker CLI is said as such, not as "could not pull" (it
// matched "not found")
describe("explainInstallFailure: the command's own words (commandProblem)", () => {
  test('a two-line refusal is quoted whole', () => {
    expect(
      explainInstallFailure(
        'img',
        INSTALL,
        failed(
          1,
          'installing: arm64 cannot register\nwrite /proc/sys/fs/binfmt_misc/register: operation not permitted\n',
        ),
      ),
    ).toContain(
      '(installing: arm64 cannot register\nwrite /proc/sys/fs/binfmt_misc/register: operation not permitted)',
    );
  });
  test('no docker CLI: the not-on-PATH words, not a pull problem', () => {
    expect(
      explainInstallFailure(
        'img',
        INSTALL,
        failed(127, 'docker: command not found (not on PATH); cannot run docker run'),
      ),
    ).toBe('docker CLI not found on PATH: install Docker (the docker CLI with its buildx plugin) or put it on PATH');
  });
  test('any other failure: its words, else its exit code', () => {
    expect(explainInstallFailure('img', INSTALL, failed(2, 'bad flag'))).toBe(
      'the emulator installer img failed: bad flag. Set qemu-image to another tonistiigi/binfmt release, or register QEMU on the host.',
    );
    expect(explainInstallFailure('img', INSTALL, failed(3, ''))).toMatch(
      /^the emulator installer img failed: exit 3\. /,
    );
  });
});

describe('the probe container for an engine that is not this machine', () => {
  test('mounts binfmt_misc read-only, no network, no privilege; the image is an operand after the options', () => {
    const argv = probeContainerArgv('moby/buildkit:buildx-stable-1');
    expect(argv).not.toContain('--privileged');
    expect(argv.slice(0, 10)).toEqual([
      'docker',
      'run',
      '--rm',
      '--network',
      'none',
      '--volume',
      '/proc/sys/fs/binfmt_misc:/binfmt_misc:ro',
      '--entrypoint',
      'busybox',
      'moby/buildkit:buildx-stable-1',
    ]);
    expect(argv).toContain('/binfmt_misc/qemu-aarch64');
  });

  test('parseProbeOutput groups lines by file and ignores anything else', () => {
    const out = [
      '/binfmt_misc/status:enabled',
      '/binfmt_misc/qemu-aarch64:enabled',
      '/binfmt_misc/qemu-aarch64:flags: PF',
      '::error::x',
      'grep: /binfmt_misc/qemu-riscv64: No such file or directory',
      `/binfmt_misc/../etc:${'x'.repeat(100_000)}`,
    ].join('\r\n');
    expect(parseProbeOutput(out)).toEqual({ status: 'enabled', 'qemu-aarch64': 'enabled\nflags: PF' });
  });
});
