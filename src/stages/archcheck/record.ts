/**
 * The record of checked layers: a layer blob's digest fixes its content, so a layer the arch
 * check has scanned once never needs reading again. Pure: the record's form, its strict reading
 * (it comes from a restored cache entry or a host folder another job may write, so it is
 * untrusted: a malformed entry is left out, never believed), merging and its bound.
 */
import { hasControlCharacter } from '../../lists.js';
import { ELF_BY_ARCH, type ElfClass, type ElfData, type ElfHeader } from '../../oci/elf.js';
import { isBlobDigest } from '../../oci/reference.js';
import type { LayerScan } from './plan.js';

/** A scanner change that alters what a scan holds bumps it: an older record is then left out whole. */
export const RECORD_VERSION = 'multiarch-arch-check-record/1';
/** Layers kept; the least recently seen go first. */
export const RECORD_MAX_LAYERS = 512;
/** Entries a layer's scan may hold (paths, ELF files, whiteouts): a larger layer is just read again. */
export const RECORD_MAX_ENTRIES = 500_000;
/**
 * Entries the whole record may hold, over all its layers: the parsed record lives in Node's heap.
 * The writer keeps to it too (boundRecord), so a record written is a record read.
 */
export const RECORD_MAX_TOTAL_ENTRIES = 1_000_000;
/** The most a record file may unpack to (its JSON text). */
export const RECORD_MAX_UNPACKED = 48 * 1024 * 1024;
const MAX_PATH = 4096;
const MAX_FILES = 100_000_000;

export interface RecordedLayer {
  scan: LayerScan;
  /**
   * When a check last used it (ms since the epoch), so that the bound evicts the layers no check
   * has needed for longest, not the ones a busy repository uses on every run.
   */
  seen: number;
}

/** digest → its scan. */
export type LayerRecord = Map<string, RecordedLayer>;

export interface ParsedRecord {
  record: LayerRecord;
  /** Entries left out as malformed. */
  ignored: number;
  /** Why the whole record was left out. */
  problem?: string;
}

const CLASSES = new Set<unknown>(Object.values(ELF_BY_ARCH).map((h) => h.class));
const DATA = new Set<unknown>(Object.values(ELF_BY_ARCH).map((h) => h.data));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** An image path as a scan names it: relative, no control characters, bounded. */
function isScanPath(v: unknown, allowEmpty = false): v is string {
  return (
    typeof v === 'string' &&
    v.length <= MAX_PATH &&
    (allowEmpty || v.length > 0) &&
    !hasControlCharacter(v) &&
    !v.startsWith('/')
  );
}

function pathList(v: unknown, allowEmpty = false): string[] | undefined {
  if (!Array.isArray(v) || v.length > RECORD_MAX_ENTRIES) return undefined;
  return v.every((p) => isScanPath(p, allowEmpty)) ? (v as string[]) : undefined;
}

function elfHeader(v: unknown): ElfHeader | undefined {
  if (!isObject(v) || !CLASSES.has(v.class) || !DATA.has(v.data) || !isCount(v.machine, 0xffff)) return undefined;
  return { class: v.class as ElfClass, data: v.data as ElfData, machine: v.machine };
}

function elfList(v: unknown): LayerScan['elves'] | undefined {
  if (!Array.isArray(v) || v.length > RECORD_MAX_ENTRIES) return undefined;
  const out: LayerScan['elves'] = [];
  for (const e of v) {
    const header = isObject(e) ? elfHeader(e.header) : undefined;
    if (!header || !isScanPath(e.path)) return undefined;
    out.push({ path: e.path, header });
  }
  return out;
}

/** One entry of the record, or undefined when any field is not what a scan writes. */
function layerEntry(v: unknown, now: number): RecordedLayer | undefined {
  if (!isObject(v) || typeof v.seen !== 'number' || !Number.isFinite(v.seen) || v.seen < 0) return undefined;
  if (!isCount(v.files, MAX_FILES)) return undefined;
  const elves = elfList(v.elves);
  const paths = pathList(v.paths);
  const whiteouts = pathList(v.whiteouts);
  const opaque = pathList(v.opaque, true);
  if (!elves || !paths || !whiteouts || !opaque) return undefined;
  // a `seen` in the future would never be evicted
  const seen = Math.min(v.seen, now);
  return { seen, scan: { elves, paths: new Set(paths), whiteouts, opaque, files: v.files } };
}

/** The entries a scan holds, as the budgets count them. */
export function scanEntries(scan: LayerScan): number {
  return scan.paths.size + scan.elves.length + scan.whiteouts.length + scan.opaque.length;
}

/**
 * Read a record's text; anything malformed is left out (counted), never a failure. Layers past
 * the total-entries budget are left out too (counted); `now` is the latest `seen` believed.
 */
export function parseRecord(text: string, now: number): ParsedRecord {
  const record: LayerRecord = new Map();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { record, ignored: 0, problem: 'not JSON' };
  }
  if (!isObject(doc) || doc.version !== RECORD_VERSION || !isObject(doc.layers))
    return { record, ignored: 0, problem: `not a ${RECORD_VERSION} record` };
  let ignored = 0;
  let entries = 0;
  for (const [digest, v] of Object.entries(doc.layers)) {
    const entry = isBlobDigest(digest) ? layerEntry(v, now) : undefined;
    const size = entry ? scanEntries(entry.scan) : 0;
    if (entry && record.size < RECORD_MAX_LAYERS * 4 && entries + size <= RECORD_MAX_TOTAL_ENTRIES) {
      record.set(digest, entry);
      entries += size;
    } else ignored++;
  }
  return { record, ignored };
}

/**
 * The record as written: the bound applied, and the least recently seen layers left out past
 * `maxBytes` (the reader's unpacked cap), so every record written is one the reader takes.
 */
export function serialiseRecord(record: LayerRecord, maxBytes = RECORD_MAX_UNPACKED): string {
  const head = `{"version":${JSON.stringify(RECORD_VERSION)},"layers":{`;
  const parts: string[] = [];
  let bytes = head.length + 2;
  for (const [digest, { scan, seen }] of boundRecord(record)) {
    const part = `${JSON.stringify(digest)}:${JSON.stringify(entryJson(scan, seen))}`;
    const size = Buffer.byteLength(part) + 1;
    if (bytes + size > maxBytes) break;
    parts.push(part);
    bytes += size;
  }
  return `${head}${parts.join(',')}}}`;
}

/** One entry as written. */
function entryJson(scan: LayerScan, seen: number): Record<string, unknown> {
  return {
    seen,
    files: scan.files,
    elves: scan.elves,
    paths: [...scan.paths],
    whiteouts: scan.whiteouts,
    opaque: scan.opaque,
  };
}

/** Several records as one; a layer in more than one keeps its latest `seen` (its content is the same). */
export function mergeRecords(...records: LayerRecord[]): LayerRecord {
  const out: LayerRecord = new Map();
  for (const r of records)
    for (const [d, e] of r) {
      const had = out.get(d);
      if (!had || had.seen < e.seen) out.set(d, e);
    }
  return out;
}

/**
 * At most `max` layers and `maxEntries` entries over all of them (the reader's budgets): the
 * least recently seen are evicted until it fits.
 */
export function boundRecord(
  record: LayerRecord,
  max = RECORD_MAX_LAYERS,
  maxEntries = RECORD_MAX_TOTAL_ENTRIES,
): LayerRecord {
  const out: LayerRecord = new Map();
  let entries = 0;
  for (const [d, e] of [...record].sort((a, b) => b[1].seen - a[1].seen)) {
    const size = scanEntries(e.scan);
    if (out.size >= max || entries + size > maxEntries) break;
    out.set(d, e);
    entries += size;
  }
  return out;
}

/**
 * Whether a scan may be recorded: a layer that could not be read, or one the reader would refuse
 * (its own checks, layerEntry, and the total budget), is read again.
 */
function recordable(scan: LayerScan): boolean {
  return !scan.unreadable && scanEntries(scan) <= RECORD_MAX_TOTAL_ENTRIES && !!layerEntry(entryJson(scan, 0), 0);
}

/**
 * The record after a check: the layers it read are added, the recorded layers it used are seen
 * again (`now`), and the bound is applied.
 */
export function updateRecord(
  record: LayerRecord,
  read: Map<string, LayerScan>,
  used: Iterable<string>,
  now: number,
): LayerRecord {
  const out: LayerRecord = new Map(record);
  for (const d of used) {
    const e = out.get(d);
    if (e) out.set(d, { ...e, seen: now });
  }
  for (const [d, scan] of read) if (isBlobDigest(d) && recordable(scan)) out.set(d, { scan, seen: now });
  return boundRecord(out);
}

/** The scans a record holds, by digest (what the check uses in place of reading). */
export function recordedScans(record: LayerRecord): Map<string, LayerScan> {
  return new Map([...record].map(([d, e]) => [d, e.scan]));
}
