import { readElfHeader } from '../../../../src/oci/elf.js';
import { emptyScan, type LayerScan } from '../../../../src/stages/archcheck/plan.js';
import {
  boundRecord,
  type LayerRecord,
  parseRecord,
  RECORD_MAX_TOTAL_ENTRIES,
  RECORD_VERSION,
  serialiseRecord,
  updateRecord,
} from '../../../../src/stages/archcheck/record.js';
import { elf } from '../../images.js';

const x86 = readElfHeader(elf(2, 1, 62))!;
const d = (c: string) => `sha256:${c.repeat(64)}`;
const scanOf = (n: number, part: Partial<LayerScan> = {}): LayerScan => ({
  ...emptyScan(),
  paths: new Set(Array.from({ length: n }, (_, i) => `p/${i}`)),
  elves: [{ path: 'p/0', header: x86 }],
  files: n,
  ...part,
});

describe("the record of checked layers: the writer keeps to the reader's budgets", () => {
  test('the total-entries bound evicts the least recently seen layers until it fits', () => {
    const rec: LayerRecord = new Map([
      [d('a'), { scan: scanOf(5), seen: 1 }],
      [d('b'), { scan: scanOf(5), seen: 3 }],
      [d('c'), { scan: scanOf(5), seen: 2 }],
    ]);
    // 6 entries a layer (5 paths, 1 ELF file): two fit in 12
    expect([...boundRecord(rec, 512, 12).keys()]).toEqual([d('b'), d('c')]);
  });

  test('a record past the unpacked cap is written without its oldest layers, and reads back whole', () => {
    const rec: LayerRecord = new Map([
      [d('a'), { scan: scanOf(50), seen: 1 }],
      [d('b'), { scan: scanOf(50), seen: 2 }],
    ]);
    const full = serialiseRecord(rec);
    const text = serialiseRecord(rec, full.length - 10);
    expect(text.length).toBeLessThan(full.length - 10);
    const back = parseRecord(text, 1e15);
    expect(back).toEqual({ record: new Map([[d('b'), rec.get(d('b'))]]), ignored: 0 });
  });

  test('the reader leaves out layers past the total-entries budget', () => {
    const big = { seen: 1, files: 1, elves: [], whiteouts: [], opaque: [] };
    const paths = Array.from({ length: Math.floor(RECORD_MAX_TOTAL_ENTRIES * 0.4) }, (_, i) => `p${i}`);
    const text = JSON.stringify({
      version: RECORD_VERSION,
      layers: { [d('a')]: { ...big, paths }, [d('b')]: { ...big, paths }, [d('c')]: { ...big, paths } },
    });
    const parsed = parseRecord(text, 10);
    expect([...parsed.record.keys()]).toEqual([d('a'), d('b')]);
    expect(parsed.ignored).toBe(1);
  });

  test('a scan with a path the reader refuses is not recorded (it is read again)', () => {
    const read = new Map<string, LayerScan>([
      [d('a'), scanOf(1, { paths: new Set(['x\n::error::boom']) })],
      [d('b'), scanOf(1, { whiteouts: ['/abs'] })],
      [d('c'), scanOf(1, { elves: [{ path: 'y'.repeat(5000), header: x86 }] })],
      [d('e'), scanOf(1)],
    ]);
    expect([...updateRecord(new Map(), read, [], 5).keys()]).toEqual([d('e')]);
  });

  test('a seen in the future is clamped to now, so it can be evicted', () => {
    const entry = { seen: 9e15, files: 1, elves: [], paths: ['x'], whiteouts: [], opaque: [] };
    const parsed = parseRecord(JSON.stringify({ version: RECORD_VERSION, layers: { [d('a')]: entry } }), 1000);
    expect(parsed.record.get(d('a'))?.seen).toBe(1000);
  });
});
