import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { readElfHeader } from '../../../../src/oci/elf.js';
import { checkExported, type LayerMemo } from '../../../../src/stages/archcheck/act.js';
import { readRecordFile, RECORD_MAX_BYTES, writeRecordFile } from '../../../../src/stages/archcheck/act-record.js';
import { emptyScan, type LayerScan } from '../../../../src/stages/archcheck/plan.js';
import {
  boundRecord,
  type LayerRecord,
  mergeRecords,
  parseRecord,
  RECORD_VERSION,
  recordedScans,
  serialiseRecord,
  updateRecord,
} from '../../../../src/stages/archcheck/record.js';
import { elf, tarOf } from '../../images.js';

const x86 = readElfHeader(elf(2, 1, 62))!;
const d = (c: string) => `sha256:${c.repeat(64)}`;
function scanOf(part: Partial<LayerScan> = {}): LayerScan {
  return {
    ...emptyScan(),
    paths: new Set(['usr/bin/x']),
    elves: [{ path: 'usr/bin/x', header: x86 }],
    files: 1,
    ...part,
  };
}
const recordOf = (...entries: [string, number][]): LayerRecord =>
  new Map(entries.map(([digest, seen]) => [digest, { scan: scanOf(), seen }]));
const doc = (layers: Record<string, unknown>) => JSON.stringify({ version: RECORD_VERSION, layers });
const good = {
  seen: 1,
  files: 1,
  elves: [{ path: 'usr/bin/x', header: x86 }],
  paths: ['usr/bin/x'],
  whiteouts: [],
  opaque: [''],
};
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'archrecord-'));

describe('the record of checked layers: its form, merge and bound', () => {
  test('serialise then parse gives the same scans back', () => {
    const rec: LayerRecord = new Map([
      [d('a'), { scan: scanOf({ whiteouts: ['etc/old'], opaque: ['opt/d'], files: 7 }), seen: 5 }],
    ]);
    const back = parseRecord(serialiseRecord(rec), 1e15);
    expect(back).toEqual({ record: rec, ignored: 0 });
  });

  test('merge keeps the latest seen of a layer in both; the bound evicts the least recently seen', () => {
    const merged = mergeRecords(recordOf([d('a'), 1], [d('b'), 9]), recordOf([d('a'), 4]));
    expect([...merged].map(([k, v]) => [k, v.seen])).toEqual([
      [d('a'), 4],
      [d('b'), 9],
    ]);
    expect([...boundRecord(recordOf([d('a'), 1], [d('b'), 3], [d('c'), 2]), 2).keys()].sort()).toEqual([
      d('b'),
      d('c'),
    ]);
  });

  test('update: read layers added, used ones seen again, unreadable ones never recorded', () => {
    const read = new Map([
      [d('b'), scanOf()],
      [d('c'), { ...scanOf(), unreadable: 'zstd' }],
    ]);
    const out = updateRecord(recordOf([d('a'), 1]), read, [d('a')], 50);
    expect([...out].map(([k, v]) => [k, v.seen])).toEqual([
      [d('a'), 50],
      [d('b'), 50],
    ]);
  });

  test.each<[string, Record<string, unknown>]>([
    ['a malformed digest', { 'sha256:../../etc': good }],
    ['an upper-case digest', { [`sha256:${'A'.repeat(64)}`]: good }],
    [
      'a header class outside the ELF set',
      { [d('a')]: { ...good, elves: [{ path: 'x', header: { ...x86, class: 128 } }] } },
    ],
    [
      'a header byte order outside the ELF set',
      { [d('a')]: { ...good, elves: [{ path: 'x', header: { ...x86, data: 'XX' } }] } },
    ],
    ['a machine beyond 16 bits', { [d('a')]: { ...good, elves: [{ path: 'x', header: { ...x86, machine: 70000 } }] } }],
    ['a huge path', { [d('a')]: { ...good, paths: ['a'.repeat(5000)] } }],
    ['a path with a newline (a log command)', { [d('a')]: { ...good, paths: ['x\n::error::boom'] } }],
    ['an absolute path', { [d('a')]: { ...good, whiteouts: ['/etc'] } }],
    ['files as a string', { [d('a')]: { ...good, files: '1' } }],
    ['paths as an object', { [d('a')]: { ...good, paths: { 0: 'x' } } }],
    ['seen not a number', { [d('a')]: { ...good, seen: 'now' } }],
    ['an entry that is an array', { [d('a')]: [good] }],
  ])('an entry with %s is left out, the good ones kept', (_n, bad) => {
    const parsed = parseRecord(doc({ ...bad, [d('f')]: good }), 1e15);
    expect([...parsed.record.keys()]).toEqual([d('f')]);
    expect(parsed.ignored).toBe(1);
  });

  test.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 'multiarch-arch-check-record/0', layers: {} })],
    ['layers as an array', JSON.stringify({ version: RECORD_VERSION, layers: [] })],
    ['null', 'null'],
  ])('a record that is %s is left out whole', (_n, text) => {
    const parsed = parseRecord(text, 1e15);
    expect(parsed.record.size).toBe(0);
    expect(parsed.problem).toBeTruthy();
  });
});

describe('the record on disk', () => {
  test('written atomically and read back; a missing file is an empty record, silently', () => {
    const file = path.join(tmp(), 'sub', 'record.json.gz');
    const log: string[] = [];
    expect(readRecordFile({ file }, (m) => log.push(m), 1e15).size).toBe(0);
    writeRecordFile({ file }, recordOf([d('a'), 3]), (m) => log.push(m));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['record.json.gz']);
    expect([...readRecordFile({ file }, (m) => log.push(m), 1e15).keys()]).toEqual([d('a')]);
    expect(log).toEqual([]);
  });

  test('a file over the cap (100 MB), a link, a gzip bomb and garbage are not used: a log line each, no throw', () => {
    const dir = tmp();
    const huge = path.join(dir, 'huge');
    fs.writeFileSync(huge, '');
    fs.truncateSync(huge, 100 * 1024 * 1024);
    expect(fs.statSync(huge).size).toBeGreaterThan(RECORD_MAX_BYTES);
    const link = path.join(dir, 'link');
    fs.symlinkSync('/etc/passwd', link);
    const bomb = path.join(dir, 'bomb');
    fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20)));
    const garbage = path.join(dir, 'garbage');
    fs.writeFileSync(garbage, 'not gzip');
    const log: string[] = [];
    for (const f of [huge, link, bomb, garbage])
      expect(readRecordFile({ file: f }, (m) => log.push(m), 1e15).size).toBe(0);
    expect(log).toHaveLength(4);
  });
});

describe('a judgement from recorded scans is the judgement from read scans', () => {
  test('an OCI layout folder whose added layer is only a placeholder: the record gives the same verdict', async () => {
    const dir = tmp();
    const put = (body: Buffer | string) => {
      const hex = createHash('sha256').update(body).digest('hex');
      fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'blobs', 'sha256', hex), body);
      return `sha256:${hex}`;
    };
    const lower = put(
      zlib.gzipSync(
        await tarOf([
          ['usr/local/bin/tool', elf(2, 1, 62)],
          ['usr/bin/ok', elf(2, 1, 183)],
        ]),
      ),
    );
    const upper = put(
      zlib.gzipSync(
        await tarOf([
          ['usr/bin/ok', elf(2, 1, 62)],
          ['.wh.gone', Buffer.alloc(0)],
        ]),
      ),
    );
    const cf = put('{"os":"linux","architecture":"arm64"}');
    const m = put(JSON.stringify({ config: { digest: cf }, layers: [lower, upper].map((digest) => ({ digest })) }));
    fs.writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({ manifests: [{ digest: m, platform: { os: 'linux', architecture: 'arm64' } }] }),
    );
    const t = { platforms: ['linux/arm64'], skip: new Set<string>(), ignore: () => false };
    const first: LayerMemo = { recorded: new Map(), read: new Map(), used: new Set() };
    const read = await checkExported({ kind: 'layout', path: dir }, { ...t, memo: first }, undefined as never);
    expect([...first.read.keys()].sort()).toEqual([lower, upper].sort());
    // the record as written and read back; the blobs become empty placeholders, never read
    const record = parseRecord(serialiseRecord(updateRecord(new Map(), first.read, [], 1)), 1e15).record;
    for (const l of [lower, upper]) fs.writeFileSync(path.join(dir, 'blobs', 'sha256', l.slice(7)), '');
    const second: LayerMemo = { recorded: recordedScans(record), read: new Map(), used: new Set() };
    const memo = await checkExported({ kind: 'layout', path: dir }, { ...t, memo: second }, undefined as never);
    expect(second.read.size).toBe(0);
    expect(memo.map((v) => ({ ...v, layersRead: 2, layersRecorded: undefined }))).toEqual(
      read.map((v) => ({ ...v, layersRecorded: undefined })),
    );
    expect(memo[0]).toMatchObject({ layersRead: 0, layersRecorded: 2, layersTotal: 2 });
    expect(memo[0]!.wrong).toEqual([
      { path: '/usr/local/bin/tool', arch: 'amd64' },
      { path: '/usr/bin/ok', arch: 'amd64' },
    ]);
  });
});
