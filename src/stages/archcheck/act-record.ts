/**
 * The record of checked layers on disk (record.ts): gzip-compressed JSON, read with a size cap
 * (compressed and unpacked), written whole to a temp file then renamed, so a reader never sees
 * half of one. Every problem is a log line: the check then just reads those layers.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { errorMessage } from '../../errors.js';
import { type LayerRecord, parseRecord, RECORD_MAX_UNPACKED, serialiseRecord } from './record.js';

/** The record's file name, in the layer cache folder and in the host folder. */
export const RECORD_FILE = 'multiarch-arch-check-record.json.gz';
/** The largest record file read (it may unpack to RECORD_MAX_UNPACKED). */
export const RECORD_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Where a record file is, and, for the host folder (shared by every job on the machine), the
 * folder from which each folder down to the file must be private (privateFolders).
 */
export interface RecordPlace {
  file: string;
  privateFrom?: string;
}

/**
 * The file's bytes, or undefined when there is none. One descriptor, opened without following a
 * link and without blocking (a FIFO put in its place would hang the step), then checked to be a
 * regular file and read to at most the cap: a swap between a check and the read changes nothing.
 */
function readCapped(file: string, cap: number): Buffer | undefined {
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > cap) throw new Error(`not a file of at most ${cap} bytes`);
    const buf = Buffer.alloc(Math.min(st.size, cap) + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = fs.readSync(fd, buf, got, buf.length - got, null);
    if (got > cap) throw new Error(`not a file of at most ${cap} bytes`);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether each folder from `root` down to `dir` is private to this user: a real folder (no link),
 * owned by this uid, writable by no one else. `create`: a missing one is made (0700) first.
 */
export function privateFolders(root: string, dir: string, create: boolean): boolean {
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return false;
  const uid = process.getuid?.();
  let at = root;
  for (const part of ['', ...rel.split(path.sep).filter(Boolean)]) {
    at = path.join(at, part);
    let st = fs.lstatSync(at, { throwIfNoEntry: false });
    if (!st && create) {
      fs.mkdirSync(at, { mode: 0o700, recursive: at === root });
      st = fs.lstatSync(at);
    }
    if (!st || !st.isDirectory() || (uid !== undefined && st.uid !== uid) || st.mode & 0o022) return false;
  }
  return true;
}

/** Whether a place may be used; a shared folder that is not private is skipped with a log line. */
function usable(place: RecordPlace, create: boolean, log: (m: string) => void): boolean {
  if (!place.privateFrom) return true;
  const dir = path.dirname(place.file);
  if (!create && !fs.existsSync(dir)) return false;
  if (privateFolders(place.privateFrom, dir, create)) return true;
  log(
    `arch-check: the record of checked layers in ${dir} is not used: a folder under ${place.privateFrom} is a link, another user's or writable by others`,
  );
  return false;
}

/**
 * A record file, or an empty record (with a log line) when it is missing, too large or malformed.
 * `now`: the run's clock, past which no `seen` is believed.
 */
export function readRecordFile(place: RecordPlace, log: (m: string) => void, now: number): LayerRecord {
  const { file } = place;
  try {
    if (!usable(place, false, log)) return new Map();
    const bytes = readCapped(file, RECORD_MAX_BYTES);
    if (!bytes) return new Map();
    const text = zlib.gunzipSync(bytes, { maxOutputLength: RECORD_MAX_UNPACKED }).toString('utf8');
    const parsed = parseRecord(text, now);
    if (parsed.problem) log(`arch-check: the record of checked layers ${file} is ${parsed.problem}; not used`);
    else if (parsed.ignored)
      log(`arch-check: ${parsed.ignored} entr(ies) of ${file} left out (malformed or past the record's bounds)`);
    return parsed.record;
  } catch (err) {
    log(`arch-check: the record of checked layers ${file} cannot be read (${errorMessage(err)}); not used`);
    return new Map();
  }
}

/** Write the record whole (a new temp file beside it, then rename); a failure is a log line. */
export function writeRecordFile(place: RecordPlace, record: LayerRecord, log: (m: string) => void): void {
  const { file } = place;
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  let made = false;
  try {
    if (place.privateFrom) {
      if (!usable(place, true, log)) return;
    } else fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': never through a file or link already there
    fs.writeFileSync(temp, zlib.gzipSync(serialiseRecord(record)), { mode: 0o600, flag: 'wx' });
    made = true;
    fs.renameSync(temp, file);
  } catch (err) {
    if (made) fs.rmSync(temp, { force: true });
    log(`arch-check: the record of checked layers cannot be written to ${file} (${errorMessage(err)})`);
  }
}
