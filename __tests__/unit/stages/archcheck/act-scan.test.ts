import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { scanLayer } from '../../../../src/stages/archcheck/act-scan.js';
import { elf, tarOf } from '../../images.js';

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

  test.each([
    ['plain', (b: Buffer) => b],
    ['gzip', (b: Buffer) => zlib.gzipSync(b)],
  ])('%s tar: headers, paths, whiteouts', async (_n, enc) => {
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
});
