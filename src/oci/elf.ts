/**
 * ELF headers: which machine, word size and byte order each target platform's binaries have, and
 * reading them from a file's first bytes. Pure; the arch-check stage uses it on every regular file.
 */
import { parsePlatform } from './platforms.js';

export type ElfClass = 32 | 64;
export type ElfData = 'LE' | 'BE';

export interface ElfHeader {
  class: ElfClass;
  data: ElfData;
  /** e_machine (EM_*). */
  machine: number;
}

/** How many leading bytes readElfHeader needs (e_ident, e_type, e_machine). */
export const ELF_HEADER_BYTES = 20;

/** What an executable or shared library built for each architecture (GOARCH) carries in its header. */
export const ELF_BY_ARCH: Record<string, ElfHeader> = {
  amd64: { machine: 62, class: 64, data: 'LE' }, // EM_X86_64
  arm64: { machine: 183, class: 64, data: 'LE' }, // EM_AARCH64
  arm: { machine: 40, class: 32, data: 'LE' }, // EM_ARM (v6 and v7 alike: the header does not tell them apart)
  '386': { machine: 3, class: 32, data: 'LE' }, // EM_386
  ppc64le: { machine: 21, class: 64, data: 'LE' }, // EM_PPC64
  ppc64: { machine: 21, class: 64, data: 'BE' },
  s390x: { machine: 22, class: 64, data: 'BE' }, // EM_S390
  riscv64: { machine: 243, class: 64, data: 'LE' }, // EM_RISCV
  mips64le: { machine: 8, class: 64, data: 'LE' }, // EM_MIPS
  mips64: { machine: 8, class: 64, data: 'BE' },
  loong64: { machine: 258, class: 64, data: 'LE' }, // EM_LOONGARCH
};

/**
 * Binaries of another architecture that still run on every host of this one: 32-bit x86 on amd64
 * (multilib, wine). 32-bit arm on arm64 is not here: many arm64 CPUs (Graviton 3, Ampere) lack it.
 */
const ALSO_RUNS: Record<string, string[]> = { amd64: ['386'] };

/** e_type values that the kernel or the dynamic loader runs: relocatable objects and core files are data. */
const ET_EXEC = 2;
const ET_DYN = 3;

/**
 * The header of an executable or shared library, from the file's first bytes; undefined for
 * anything else (not ELF, truncated, an object file, an unknown class or byte order).
 */
export function readElfHeader(head: Uint8Array): ElfHeader | undefined {
  if (head.length < ELF_HEADER_BYTES) return undefined;
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return undefined;
  const cls = head[4] === 1 ? 32 : head[4] === 2 ? 64 : undefined;
  const data = head[5] === 1 ? 'LE' : head[5] === 2 ? 'BE' : undefined;
  if (!cls || !data) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const type = view.getUint16(16, data === 'LE');
  if (type !== ET_EXEC && type !== ET_DYN) return undefined;
  return { class: cls, data, machine: view.getUint16(18, data === 'LE') };
}

const same = (a: ElfHeader, b: ElfHeader) => a.machine === b.machine && a.class === b.class && a.data === b.data;

/** The architectures (GOARCH) whose binaries run on a platform; throws for an unknown platform. */
export function acceptedArches(platform: string): string[] {
  const arch = parsePlatform(platform).arch;
  return [arch, ...(ALSO_RUNS[arch] ?? [])];
}

/** Does a binary with this header run on the platform? Platforms without an ELF entry accept all. */
export function elfFits(platform: string, h: ElfHeader): boolean {
  const arches = acceptedArches(platform).filter((a) => ELF_BY_ARCH[a]);
  if (!arches.length) return true;
  return arches.some((a) => same(ELF_BY_ARCH[a]!, h));
}

/** The architecture a header is for, as users name it ("amd64 (x86-64)", or the raw fields). */
export function describeElf(h: ElfHeader): string {
  const arch = Object.keys(ELF_BY_ARCH).find((a) => same(ELF_BY_ARCH[a]!, h));
  if (arch) return arch;
  return `ELF machine ${h.machine}, ${h.class}-bit ${h.data === 'LE' ? 'little' : 'big'}-endian`;
}
