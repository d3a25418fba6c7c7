import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import * as tar from 'tar-stream';
import { archCheckFailure, archCheckSummary, emptyScan, ignoreMatcher, judgePlatform, type LayerScan, stackLayers } from '../../../../src/stages/archcheck/plan.js';
import { reexportArgv, platformImages } from '../../../../src/stages/archcheck/act.js';
import { scanLayer, scanOciLayout } from '../../../../src/stages/archcheck/scan.js';
import { acceptedArches, describeElf, ELF_BY_ARCH, elfFits, readElfHeader } from '../../../../src/oci/elf.js';
import { parseVerifyInputs } from '../../../../src/inputs/verify.js';
import { Collector } from '../../../../src/inputs/collect.js';

/** A minimal ELF header: class, byte order, e_type (2 static executable, 3 PIE/shared), e_machine. */
function elf(cls: 1 | 2, data: 1 | 2, machine: number, type = 2, length = 64): Buffer {
  const b = Buffer.alloc(length);
  b.set([0x7f, 0x45, 0x4c, 0x46, cls, data, 1]);
  if (data === 1) {
    b.writeUInt16LE(type, 16);
    b.writeUInt16LE(machine, 18);
  } else {
    b.writeUInt16BE(type, 16);
    b.writeUInt16BE(machine, 18);
  }
  return b;
}

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
  test.each(TABLE)('%s: machine %i, class %i, data %i fits; every other platform rejects it', (platform, machine, cls, data) => {
    const h = readElfHeader(elf(cls, data, machine))!;
    expect(h).toEqual({ machine, class: cls === 1 ? 32 : 64, data: data === 1 ? 'LE' : 'BE' });
    expect(elfFits(platform, h)).toBe(true);
    for (const [other] of TABLE) {
      const sameArch = other.split('/')[1] === platform.split('/')[1];
      const multilib = other === 'linux/amd64' && platform === 'linux/386';
      expect([other, elfFits(other, h)]).toEqual([other, sameArch || multilib]);
    }
  });

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
    for (const a of ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64']) expect(ELF_BY_ARCH[a]).toBeDefined();
    expect(acceptedArches('linux/aarch64')).toEqual(['arm64']);
    expect(acceptedArches('linux/amd64')).toEqual(['amd64', '386']);
  });
});

const x86 = readElfHeader(elf(2, 1, 62))!;
const a64 = readElfHeader(elf(2, 1, 183))!;
function layer(part: Partial<LayerScan> & { elves?: LayerScan['elves'] }): LayerScan {
  const l = { ...emptyScan(), ...part };
  for (const e of l.elves) l.paths.add(e.path);
  return l;
}

describe('layers stack with whiteouts', () => {
  test('a file deleted by a later layer (.wh.), under an opaque directory, or replaced, is not reported', () => {
    const lower = layer({ elves: [{ path: 'opt/a', header: x86 }, { path: 'opt/d/b', header: x86 }, { path: 'usr/bin/c', header: x86 }, { path: 'keep', header: x86 }] });
    const upper = layer({ whiteouts: ['opt/a'], opaque: ['opt/d'], elves: [{ path: 'usr/bin/c', header: a64 }] });
    expect(stackLayers([lower, upper]).map((e) => e.path).sort()).toEqual(['keep', 'usr/bin/c']);
    const v = judgePlatform('linux/arm64', [lower, upper], 2, () => false);
    expect(v.wrong).toEqual([{ path: '/keep', arch: 'amd64' }]);
    // a whiteout of a directory removes what is under it
    expect(stackLayers([lower, layer({ whiteouts: ['opt'] })]).map((e) => e.path)).toEqual(['usr/bin/c', 'keep']);
  });

  test('arch-check-ignore globs and directories, with or without a leading slash', () => {
    const ignore = ignoreMatcher(['/usr/lib/firmware/**', 'test/*.bin', 'opt/vendor']);
    expect(['usr/lib/firmware/x/y.elf', 'test/a.bin', 'opt/vendor/lib/z.so'].every(ignore)).toBe(true);
    expect(['usr/lib/x', 'test/sub/a.bin', 'opt/vendors'].some(ignore)).toBe(false);
  });

  test('the failure names the platform, the first files, the count, the architecture and the fix', () => {
    const elves = Array.from({ length: 7 }, (_, i) => ({ path: `bin/t${i}`, header: x86 }));
    const v = [judgePlatform('linux/arm64', [layer({ elves })], 1, () => false), judgePlatform('linux/amd64', [layer({ elves })], 1, () => false)];
    const err = archCheckFailure(v)!;
    expect(err.stage).toBe('arch-check');
    expect(err.message).toMatch(/^linux\/arm64 holds 7 amd64 binaries: \/bin\/t0, \/bin\/t1, \/bin\/t2, \/bin\/t3, \/bin\/t4 and 2 more\. Fix: .*\$TARGETPLATFORM.*TARGETARCH/);
    expect(err.message).not.toMatch(/linux\/amd64 holds/);
    expect(archCheckSummary(v, 'true')).toContain('| linux/arm64 | **7 wrong** (amd64) | 7 | 0 | 1 of 1 |');
    expect(archCheckFailure([v[1]!])).toBeUndefined();
  });
});

/** A tar of entries: [name, content | 'dir' | {symlink}] */
async function tarOf(entries: [string, Buffer | 'dir' | 'link'][]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of entries) {
    if (body === 'dir') pack.entry({ name, type: 'directory' });
    else if (body === 'link') pack.entry({ name, type: 'symlink', linkname: 'busybox' });
    else pack.entry({ name }, body);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

describe('streaming a layer and an OCI layout', () => {
  const files: [string, Buffer | 'dir' | 'link'][] = [
    ['./usr/', 'dir'],
    ['./usr/bin/tool', elf(2, 1, 62, 3, 4096)],
    ['./usr/bin/sh', 'link'],
    ['./usr/share/readme', Buffer.from('text')],
    ['./usr/bin/short', elf(2, 1, 62).subarray(0, 10)],
    ['./old/.wh.gone', Buffer.alloc(0)],
    ['./cache/.wh..wh..opq', Buffer.alloc(0)],
  ];

  test.each([['plain', (b: Buffer) => b], ['gzip', (b: Buffer) => zlib.gzipSync(b)]])('%s tar: headers, paths, whiteouts', async (_n, enc) => {
    const scan = await scanLayer(Readable.from([enc(await tarOf(files))]));
    expect(scan.elves).toEqual([{ path: 'usr/bin/tool', header: { machine: 62, class: 64, data: 'LE' } }]);
    expect(scan.files).toBe(3);
    expect([...scan.paths].sort()).toEqual(['usr', 'usr/bin/sh', 'usr/bin/short', 'usr/bin/tool', 'usr/share/readme']);
    expect(scan.whiteouts).toEqual(['old/gone']);
    expect(scan.opaque).toEqual(['cache']);
  });

  test('a blob that is not a layer reads as empty', async () => {
    expect((await scanLayer(Readable.from([Buffer.from('{"not":"a layer"}')]))).files).toBe(0);
  });

  test('an OCI layout: layers scanned before index.json arrives, base layers skipped, platforms resolved', async () => {
    const layerA = zlib.gzipSync(await tarOf([['bin/x', elf(2, 1, 62)]]));
    const layerB = zlib.gzipSync(await tarOf([['bin/y', elf(2, 1, 183)]]));
    const cfg = (arch: string) => JSON.stringify({ os: 'linux', architecture: arch });
    const manifest = (cfgD: string, layers: string[]) => JSON.stringify({ config: { digest: cfgD }, layers: layers.map((digest) => ({ digest })) });
    const index = JSON.stringify({ manifests: [
      { digest: 'sha256:d1', platform: { os: 'linux', architecture: 'amd64' } },
      { digest: 'sha256:d2', platform: { os: 'linux', architecture: 'arm64' } },
      { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
    ] });
    const blob = (hex: string) => `blobs/sha256/${hex}`;
    const layout = await tarOf([
      [blob('aa'), layerA],
      [blob('bb'), layerB],
      [blob('cc'), Buffer.from(cfg('amd64'))],
      [blob('d1'), Buffer.from(manifest('sha256:cc', ['sha256:ba5e', 'sha256:aa']))],
      [blob('d2'), Buffer.from(manifest('sha256:cc', ['sha256:ba5e', 'sha256:aa', 'sha256:bb']))],
      [blob('ee'), Buffer.from(index)],
      [blob('ba5e'), zlib.gzipSync(await tarOf([['bin/base', elf(2, 1, 62)]]))],
      ['index.json', Buffer.from(JSON.stringify({ manifests: [{ digest: 'sha256:ee', mediaType: 'application/vnd.oci.image.index.v1+json' }] }))],
    ]);
    const scan = await scanOciLayout(Readable.from([layout]), new Set(['sha256:ba5e']));
    expect([...scan.layers.keys()].sort()).toEqual(['sha256:aa', 'sha256:bb']);
    const get = async (d: string) => scan.json.get(d)!;
    const images = await platformImages(scan.index, { manifest: get, config: get });
    expect(images).toEqual([
      { platform: 'linux/amd64', layers: ['sha256:ba5e', 'sha256:aa'] },
      { platform: 'linux/arm64', layers: ['sha256:ba5e', 'sha256:aa', 'sha256:bb'] },
    ]);
    // only the asked platforms, in any spelling the platform parser accepts
    expect((await platformImages(scan.index, { manifest: get, config: get }, ['linux/arm64/v8'])).map((i) => i.platform)).toEqual(['linux/arm64']);
    // a single-platform manifest takes its platform from its config
    expect(await platformImages(scan.json.get('sha256:d1')!, { manifest: get, config: get })).toEqual([{ platform: 'linux/amd64', layers: ['sha256:ba5e', 'sha256:aa'] }]);
  });
});

describe('re-export argv and inputs', () => {
  test('the build argv without push, tags, cache export, metadata or attestations, with an OCI tar on stdout', () => {
    const argv = ['docker', 'buildx', 'build', '--builder', 'b', '--platform', 'linux/amd64,linux/arm64', '--tag', 'r/x:v1', '--cache-from', 'type=local,src=/c', '--cache-to', 'type=local,dest=/d', '--metadata-file', '/m', '--push', '--provenance', 'mode=max', '--sbom=true', '--iidfile', '/i', '--load', '--build-arg', 'A=1', '/ctx'];
    expect(reexportArgv(argv)).toEqual(['docker', 'buildx', 'build', '--builder', 'b', '--platform', 'linux/amd64,linux/arm64', '--cache-from', 'type=local,src=/c', '--build-arg', 'A=1', '--provenance=false', '--sbom=false', '--output', 'type=oci,dest=-', '/ctx']);
  });

  test.each([['', 'true'], ['true', 'true'], ['FULL', 'full'], ['false', 'false']])('arch-check %p → %p', (raw, want) => {
    const c = new Collector();
    expect(parseVerifyInputs((n) => (n === 'arch-check' ? raw : ''), c).archCheck).toBe(want);
    expect(c.errors).toEqual([]);
  });

  test('a bad arch-check names the input and the valid values', () => {
    const c = new Collector();
    parseVerifyInputs((n) => (n === 'arch-check' ? 'yes' : n === 'arch-check-ignore' ? '/a/**, b' : ''), c);
    expect(c.errors.map((e) => e.message)).toEqual(['Input "arch-check": "yes" is not valid: use true (the layers this build added), full (every layer) or false']);
    expect(parseVerifyInputs((n) => (n === 'arch-check-ignore' ? '/a/**\nb' : ''), new Collector()).archCheckIgnore).toEqual(['/a/**', 'b']);
  });
});
