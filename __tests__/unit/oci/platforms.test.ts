import { formatPlatform, parsePlatform } from '../../../src/oci/platforms.js';

describe('parsePlatform', () => {
  test.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux/arm64', 'linux/arm64'],
    ['linux/arm64/v8', 'linux/arm64'],
    ['LINUX/AMD64', 'linux/amd64'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/aarch64', 'linux/arm64'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/armhf', 'linux/arm/v7'],
    ['linux/amd64/v3', 'linux/amd64/v3'],
    ['linux/amd64/v1', 'linux/amd64'],
    ['linux/386', 'linux/386'],
    ['linux/riscv64', 'linux/riscv64'],
    [' linux/s390x ', 'linux/s390x'],
  ])('%s → %s', (raw, want) => {
    expect(formatPlatform(parsePlatform(raw))).toBe(want);
  });

  test.each([
    ['linux/arm65', /unknown architecture "arm65".*valid: amd64, arm64/],
    ['linux', /not os\/arch/],
    ['linux/', /not os\/arch/],
    ['linux/arm64/v8/x', /not os\/arch/],
    ['plan9/amd64', /unknown OS "plan9"/],
    ['linux/arm/v9', /unknown variant "v9" for arm.*v5, v6, v7/],
    ['linux/s390x/v2', /s390x has no variants/],
  ])('%s is rejected', (raw, why) => {
    expect(() => parsePlatform(raw)).toThrow(why);
  });
});
