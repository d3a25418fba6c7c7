import * as fs from 'node:fs';

import { acceptedArches, describeElf, ELF_BY_ARCH, elfFits, readElfHeader } from '../../../src/oci/elf.js';
import { elf } from '../images.js';

const TABLE: [string, number, 1 | 2, 1 | 2][] = [
  ['linux/amd64', 62, 2, 1],
  ['linux/arm64', 183, 2, 1],
  ['linux/arm/v7', 40, 1, 1],
  ['linux/arm/v6', 40, 1, 1],
  ['linux/386', 3, 1, 1],
  ['linux/ppc64le', 21, 2, 1],
  ['linux/s390x', 22, 2, 2],
  ['linux/riscv64', 243, 2, 1],
  ['linux/mips64le', 8, 2, 1],
  ['linux/loong64', 258, 2, 1],
];

describe('ELF header table', () => {
  test.each(TABLE)(
    '%s: machine %i, class %i, data %i fits; every other platform rejects it',
    (platform, machine, cls, data) => {
      const h = readElfHeader(elf(cls, data, machine))!;
      expect(h).toEqual({ machine, class: cls === 1 ? 32 : 64, data: data === 1 ? 'LE' : 'BE' });
      expect(elfFits(platform, h)).toBe(true);
      for (const [other] of TABLE) {
        const sameArch = other.split('/')[1] === platform.split('/')[1];
        const multilib = other === 'linux/amd64' && platform === 'linux/386';
        expect([other, elfFits(other, h)]).toEqual([other, sameArch || multilib]);
      }
    },
  );

  test('word size and byte order count, not only the machine', () => {
    expect(elfFits('linux/arm64', readElfHeader(elf(1, 1, 183))!)).toBe(false); // 32-bit
    expect(elfFits('linux/ppc64le', readElfHeader(elf(2, 2, 21))!)).toBe(false); // big-endian ppc64
    expect(elfFits('linux/s390x', readElfHeader(elf(2, 1, 22))!)).toBe(false);
    expect(elfFits('linux/mips64le', readElfHeader(elf(2, 2, 8))!)).toBe(false);
    expect(describeElf(readElfHeader(elf(2, 2, 21))!)).toBe('ppc64');
    expect(describeElf(readElfHeader(elf(2, 1, 999))!)).toBe('ELF machine 999, 64-bit little-endian');
  });

  test('static (ET_EXEC) and dynamic (ET_DYN) binaries are read alike; objects and core files are not binaries', () => {
    expect(readElfHeader(elf(2, 1, 183, 2))).toEqual({ machine: 183, class: 64, data: 'LE' });
    expect(readElfHeader(elf(2, 1, 183, 3))).toEqual({ machine: 183, class: 64, data: 'LE' });
    expect(readElfHeader(elf(2, 1, 183, 1))).toBeUndefined();
    expect(readElfHeader(elf(2, 1, 183, 4))).toBeUndefined();
  });

  test('a real dynamic binary (this node) reads as this machine', () => {
    const head = Buffer.alloc(64);
    const fd = fs.openSync('/proc/self/exe', 'r');
    fs.readSync(fd, head, 0, 64, 0);
    fs.closeSync(fd);
    const h = readElfHeader(head)!;
    const arch = process.arch === 'x64' ? 'amd64' : process.arch;
    expect(elfFits(`linux/${arch}`, h)).toBe(true);
  });

  test('truncated and non-ELF files are no mismatch (no header)', () => {
    expect(readElfHeader(elf(2, 1, 62).subarray(0, 19))).toBeUndefined();
    expect(readElfHeader(Buffer.from('#!/bin/sh\necho hi\n'))).toBeUndefined();
    expect(readElfHeader(Buffer.alloc(0))).toBeUndefined();
    const badClass = elf(2, 1, 62);
    badClass[4] = 9;
    expect(readElfHeader(badClass)).toBeUndefined();
  });

  test('every architecture the platform parser knows has an entry; aliases go through it', () => {
    for (const a of ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64'])
      expect(ELF_BY_ARCH[a]).toBeDefined();
    expect(acceptedArches('linux/aarch64')).toEqual(['arm64']);
    expect(acceptedArches('linux/amd64')).toEqual(['amd64', '386']);
  });
});
