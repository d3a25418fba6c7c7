import { archMismatch, smokeFailure, smokeSummary } from '../../../../src/stages/verify/smoke.js';

const run = (platform: string, output: string, code = 0) => ({ platform, output, code });

describe('smoke test: an architecture name in the output is compared with the platform', () => {
  test.each([
    ['linux/amd64', 'x86_64'],
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'aarch64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm/v7', 'armv7l'],
    ['linux/arm/v7', 'armhf'],
    ['linux/arm/v6', 'armv6l'],
    ['linux/arm/v6', 'armel'],
    ['linux/386', 'i686'],
    ['linux/386', 'i386'],
    ['linux/386', 'x86_64'], // uname -m names the kernel: a 32-bit image on a 64-bit one
    ['linux/ppc64le', 'ppc64le'],
    ['linux/ppc64le', 'ppc64el'],
    ['linux/s390x', 's390x'],
    ['linux/riscv64', 'riscv64'],
    ['linux/mips64le', 'mips64'],
    ['linux/mips64le', 'mips64el'],
    ['linux/loong64', 'loongarch64'],
    ['linux/loong64', 'loong64'],
  ])('%s printing %s is right', (platform, output) => {
    expect(archMismatch(run(platform, `${output}\n`))).toBeUndefined();
  });

  test.each([
    ['linux/arm64', 'x86_64', 'aarch64 or arm64'],
    ['linux/arm64', 'amd64', 'aarch64 or arm64'],
    ['linux/amd64', 'aarch64', 'x86_64 or amd64'],
    ['linux/arm/v7', 'x86_64', 'armv7l/armv6l or armhf/armel'],
    ['linux/s390x', 'ppc64le', 's390x'],
    ['linux/riscv64', 'armhf', 'riscv64'],
  ])('%s printing %s fails naming both', (platform, output, expected) => {
    expect(archMismatch(run(platform, output))).toBe(`${platform} printed ${output}, the name of another architecture (${platform} prints ${expected})`);
  });

  test('other output and failed runs are not judged', () => {
    expect(archMismatch(run('linux/arm64', 'hello x86_64'))).toBeUndefined();
    expect(archMismatch(run('linux/arm64', 'x86_64', 1))).toBeUndefined();
  });

  test('the step fails naming the platform and what it printed; the summary marks it', () => {
    const results = [run('linux/amd64', 'x86_64'), run('linux/arm64', 'x86_64')];
    const err = smokeFailure(results, ['uname', '-m'])!;
    expect(err.message).toMatch(/^"uname -m": linux\/arm64 printed x86_64, the name of another architecture \(linux\/arm64 prints aarch64 or arm64\)\. .*TARGETPLATFORM/);
    expect(err.message).not.toMatch(/linux\/amd64 printed/);
    expect(smokeSummary(results, ['uname', '-m'])).toContain('| linux/arm64 | wrong architecture | <code>x86_64</code> |');
    expect(smokeFailure([run('linux/arm64', 'aarch64')], ['uname', '-m'])).toBeUndefined();
  });
});
