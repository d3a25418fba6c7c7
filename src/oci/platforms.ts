/** Target platforms: parsing, normalisation and the emulator each one needs. */

export interface Platform {
  os: string;
  arch: string;
  variant?: string;
}

const OSES = ['linux', 'windows'];

/** Architectures buildx/QEMU can target, with the variants each accepts. */
const ARCHES: Record<string, string[]> = {
  amd64: ['v1', 'v2', 'v3', 'v4'],
  arm64: ['v8'],
  arm: ['v5', 'v6', 'v7'],
  '386': [],
  ppc64le: [],
  ppc64: [],
  s390x: [],
  riscv64: [],
  mips64le: [],
  mips64: [],
  loong64: [],
};

/** In the order users expect them (object keys would put '386' first). */
const ARCH_NAMES = [
  'amd64',
  'arm64',
  'arm',
  '386',
  'ppc64le',
  'ppc64',
  's390x',
  'riscv64',
  'mips64le',
  'mips64',
  'loong64',
];

/** Common aliases, as containerd's platform normaliser accepts them. */
const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i386: '386',
  i686: '386',
};

export const VALID_PLATFORMS_HINT =
  'linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6, linux/386, linux/ppc64le, linux/s390x, linux/riscv64';

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.arch}/${p.variant}` : `${p.os}/${p.arch}`;
}

/** Parse one platform string; throws an Error whose message explains what would be valid. */
export function parsePlatform(raw: string): Platform {
  const parts = raw.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((s) => s === '')) {
    throw new Error(`"${raw}" is not os/arch[/variant]; valid examples: ${VALID_PLATFORMS_HINT}`);
  }
  const [os, rawArch, rawVariant] = parts as [string, string, string | undefined];
  if (!OSES.includes(os)) throw new Error(`unknown OS "${os}" in "${raw}"; valid: ${OSES.join(', ')}`);
  const arch = ARCH_ALIASES[rawArch] ?? rawArch;
  let variant = rawVariant;
  if (rawArch === 'armhf' && !variant) variant = 'v7';
  if (rawArch === 'armel' && !variant) variant = 'v6';
  const variants = ARCHES[arch];
  if (!variants) {
    throw new Error(
      `unknown architecture "${rawArch}" in "${raw}"; valid: ${ARCH_NAMES.join(', ')} (e.g. ${VALID_PLATFORMS_HINT})`,
    );
  }
  if (variant !== undefined) {
    if (!variants.includes(variant)) {
      throw new Error(
        variants.length
          ? `unknown variant "${variant}" for ${arch} in "${raw}"; valid: ${variants.join(', ')}`
          : `${arch} has no variants ("${raw}")`,
      );
    }
    // canonical forms, as buildx normalises them
    if ((arch === 'arm64' && variant === 'v8') || (arch === 'amd64' && variant === 'v1')) variant = undefined;
  }
  if (arch === 'arm' && variant === undefined) variant = 'v7';
  return variant ? { os, arch, variant } : { os, arch };
}

/** The binfmt_misc handler name QEMU registers for an architecture (Debian and tonistiigi/binfmt agree). */
export const QEMU_HANDLER: Record<string, string> = {
  amd64: 'qemu-x86_64',
  arm64: 'qemu-aarch64',
  arm: 'qemu-arm',
  '386': 'qemu-i386',
  ppc64le: 'qemu-ppc64le',
  ppc64: 'qemu-ppc64',
  s390x: 'qemu-s390x',
  riscv64: 'qemu-riscv64',
  mips64le: 'qemu-mips64el',
  mips64: 'qemu-mips64',
  loong64: 'qemu-loongarch64',
};

/** Map `uname -m` / GOARCH spellings of the engine's architecture to GOARCH. */
export function normaliseArch(arch: string): string {
  const a = arch.trim().toLowerCase();
  return ARCH_ALIASES[a] ?? a;
}
