/** Bytes of test images: ELF headers and tar archives (layers, OCI layouts), for the arch check's tests. */
import * as tar from 'tar-stream';

/** A minimal ELF header: class, byte order, e_type (2 static executable, 3 PIE/shared), e_machine. */
export function elf(cls: 1 | 2, data: 1 | 2, machine: number, type = 2, length = 64): Buffer {
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

/** A tar of entries: [name, content | 'dir' | {symlink}] */
export async function tarOf(entries: [string, Buffer | 'dir' | 'link'][]): Promise<Buffer> {
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
