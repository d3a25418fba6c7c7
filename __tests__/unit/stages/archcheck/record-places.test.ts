import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { readElfHeader } from '../../../../src/oci/elf.js';
import { privateFolders, readRecordFile, writeRecordFile } from '../../../../src/stages/archcheck/act-record.js';
import { emptyScan } from '../../../../src/stages/archcheck/plan.js';
import type { LayerRecord } from '../../../../src/stages/archcheck/record.js';
import { recordPlaces } from '../../../../src/stages/archcheck/wiring.js';
import { fakeRun } from '../../fakes.js';
import { elf } from '../../images.js';

const x86 = readElfHeader(elf(2, 1, 62))!;
const d = (c: string) => `sha256:${c.repeat(64)}`;
const rec: LayerRecord = new Map([
  [d('a'), { scan: { ...emptyScan(), paths: new Set(['x']), elves: [{ path: 'x', header: x86 }], files: 1 }, seen: 1 }],
]);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'archplaces-'));

describe('the host folder record: one a repository, private folders only', () => {
  test('keyed by the repository (its sha256), or local without one', () => {
    const tools = tmp();
    const repo = 'octo/app';
    const run = fakeRun({}, { env: { RUNNER_TOOL_CACHE: tools, GITHUB_REPOSITORY: repo } });
    const hash = createHash('sha256').update(repo).digest('hex');
    const host = {
      file: path.join(tools, 'multiarch-action', 'arch-check', hash, 'record.json.gz'),
      privateFrom: path.join(tools, 'multiarch-action'),
    };
    expect(recordPlaces(run, { restored: '/r', saved: '/s' })).toEqual({
      read: [{ file: '/r/multiarch-arch-check-record.json.gz' }, host],
      write: [{ file: '/s/multiarch-arch-check-record.json.gz' }, host],
    });
    const cli = fakeRun({}, { env: { RUNNER_TOOL_CACHE: tools, GITHUB_REPOSITORY: '' } });
    expect(recordPlaces(cli).read[0]?.file).toBe(
      path.join(tools, 'multiarch-action', 'arch-check', 'local', 'record.json.gz'),
    );
  });

  test('written with its folders 0700 and the file 0600, then read back', () => {
    const root = path.join(tmp(), 'multiarch-action');
    const place = { file: path.join(root, 'arch-check', 'x', 'record.json.gz'), privateFrom: root };
    const log: string[] = [];
    expect(readRecordFile(place, (m) => log.push(m), 1e15).size).toBe(0);
    writeRecordFile(place, rec, (m) => log.push(m));
    for (const dir of [root, path.join(root, 'arch-check'), path.dirname(place.file)])
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(place.file).mode & 0o777).toBe(0o600);
    expect([...readRecordFile(place, (m) => log.push(m), 1e15).keys()]).toEqual([d('a')]);
    expect(log).toEqual([]);
  });

  test.each([
    ['group-writable', (dir: string) => fs.chmodSync(dir, 0o770)],
    ['world-writable', (dir: string) => fs.chmodSync(dir, 0o707)],
    [
      'a link',
      (dir: string) => {
        const real = `${dir}-real`;
        fs.renameSync(dir, real);
        fs.symlinkSync(real, dir);
      },
    ],
  ])('a folder on the way that is %s is neither read nor written: one info line', (_n, spoil) => {
    const root = path.join(tmp(), 'multiarch-action');
    const place = { file: path.join(root, 'arch-check', 'x', 'record.json.gz'), privateFrom: root };
    writeRecordFile(place, rec, () => undefined);
    const before = fs.readFileSync(place.file);
    spoil(path.join(root, 'arch-check'));
    const log: string[] = [];
    expect(readRecordFile(place, (m) => log.push(m), 1e15).size).toBe(0);
    writeRecordFile(place, new Map(), (m) => log.push(m));
    expect(fs.readFileSync(place.file)).toEqual(before);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/not used/);
  });

  test('privateFolders refuses a folder outside its root', () => {
    const root = tmp();
    expect(privateFolders(path.join(root, 'a'), root, false)).toBe(false);
  });
});

describe('reading the record: one descriptor, no link, no block, bounded', () => {
  test('a FIFO, a device and a link in its place are not read: a log line each, no hang', () => {
    const dir = tmp();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(dir, 'link');
    const real = path.join(dir, 'real');
    fs.writeFileSync(real, zlib.gzipSync('{}'));
    fs.symlinkSync(real, link);
    const log: string[] = [];
    for (const file of [fifo, '/dev/zero', link])
      expect(readRecordFile({ file }, (m) => log.push(m), 1e15).size).toBe(0);
    expect(log).toHaveLength(3);
    for (const l of log) expect(l).toMatch(/cannot be read/);
  });

  test('a write leaves the record alone in its folder (the temp file renamed)', () => {
    const dir = tmp();
    const file = path.join(dir, 'record.json.gz');
    writeRecordFile({ file }, rec, () => undefined);
    expect(fs.readdirSync(dir)).toEqual(['record.json.gz']);
  });
});
