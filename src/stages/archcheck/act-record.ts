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

/** A record file, or an empty record (with a log line) when it is missing, too large or malformed. */
export function readRecordFile(file: string, log: (m: string) => void): LayerRecord {
  try {
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st) return new Map();
    if (!st.isFile() || st.size > RECORD_MAX_BYTES) {
      log(
        `arch-check: the record of checked layers ${file} is not a file of at most ${RECORD_MAX_BYTES} bytes; not used`,
      );
      return new Map();
    }
    const text = zlib.gunzipSync(fs.readFileSync(file), { maxOutputLength: RECORD_MAX_UNPACKED }).toString('utf8');
    const parsed = parseRecord(text);
    if (parsed.problem) log(`arch-check: the record of checked layers ${file} is ${parsed.problem}; not used`);
    else if (parsed.ignored) log(`arch-check: ${parsed.ignored} malformed entr(ies) of ${file} left out`);
    return parsed.record;
  } catch (err) {
    log(`arch-check: the record of checked layers ${file} cannot be read (${errorMessage(err)}); not used`);
    return new Map();
  }
}

/** Write the record whole (temp file, then rename); a failure is a log line. */
export function writeRecordFile(file: string, record: LayerRecord, log: (m: string) => void): void {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, zlib.gzipSync(serialiseRecord(record)), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    log(`arch-check: the record of checked layers cannot be written to ${file} (${errorMessage(err)})`);
  }
}
