/**
 * Pure: buildx's own option grammars, checked in the input pass so a value with no meaning is an
 * input error naming the input, not a docker error after QEMU, the builder and the build have run.
 * Each check throws an Error (a Collector names the input) saying what would be valid.
 */
import { parse } from 'csv-parse/sync';

import { hasControlCharacter } from '../lists.js';
import { checkOperand } from '../ports/argv.js';

/** A Dockerfile stage name as BuildKit takes it (`FROM … AS name`, `--target`, `--no-cache-filter`). */
const STAGE_NAME = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
/** A docker network name (docker's own rule), for `network`. */
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** An attribute key of buildx's CSV options (type=…,mode=…,builder-id=…). */
const CSV_KEY = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;

/** Cache backends buildx's --cache-from/--cache-to know. */
export const CACHE_TYPES = ['registry', 'local', 'inline', 'gha', 's3', 'azblob'] as const;
/** Exporters buildx's --output knows. */
export const OUTPUT_TYPES = ['registry', 'image', 'docker', 'oci', 'local', 'tar', 'cacheonly'] as const;

/** One line, no control characters: a value that becomes one argv element of a buildx option. */
export function checkOneLine(v: string, what: string): void {
  if (hasControlCharacter(v)) throw new Error(`${what} must be one line with no control characters`);
}

/** A stage name (`target`, `no-cache-filters`). */
export function checkStageName(v: string): string {
  checkOneLine(v, 'a stage name');
  if (!STAGE_NAME.test(v))
    throw new Error(
      `"${v}" is not a Dockerfile stage name: a letter, then letters, digits, "_", "." or "-" (the name after FROM … AS)`,
    );
  return v;
}

/** A stage the Dockerfile has (when its stages are known). */
export function checkStageExists(name: string, stages: string[] | undefined, dockerfile: string): void {
  if (!stages || stages.includes(name.toLowerCase())) return;
  throw new Error(
    stages.length
      ? `"${name}" is not a stage of ${dockerfile}: its stages are ${stages.join(', ')}`
      : `"${name}" is not a stage of ${dockerfile}, which names no stage (FROM … AS name)`,
  );
}

/** `network`: default, none, host, or a docker network name (the docker driver's user networks). */
export function checkNetwork(v: string): string {
  checkOneLine(v, 'a network');
  if (!NETWORK_NAME.test(v))
    throw new Error(
      `"${v}" is not a network mode: use default, none or host (or, with the docker driver, a network name)`,
    );
  return v;
}

/** buildx's CSV option value → [key, value] fields; each field must be key=value. */
export function csvFields(v: string, example: string): [string, string][] {
  checkOneLine(v, 'each entry');
  let record: string[];
  try {
    record = (parse(v, { relax_column_count: true, relax_quotes: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    throw new Error(`"${v}" is not a comma-separated list of key=value: use e.g. ${example}`);
  }
  return record.map((f) => {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    if (eq <= 0 || !CSV_KEY.test(key)) throw new Error(`"${f}" in "${v}" is not key=value: use e.g. ${example}`);
    return [key, f.slice(eq + 1)];
  });
}

function typeOf(fields: [string, string][], types: readonly string[], v: string, example: string): string {
  const type = fields.find(([k]) => k === 'type')?.[1];
  if (type === undefined) throw new Error(`"${v}" has no type=: use e.g. ${example}`);
  if (!types.includes(type)) throw new Error(`type "${type}" is not one of ${types.join(', ')}: use e.g. ${example}`);
  return type;
}

/**
 * `provenance` and `sbom`: true, false, or the attestation's key=value attributes (buildx's
 * `--provenance mode=max,builder-id=…`, `--sbom generator=…`); the type is the input's own.
 */
export function checkAttestShorthand(v: string, type: 'provenance' | 'sbom'): string {
  if (/^(?:true|false)$/i.test(v)) return v;
  const example = type === 'provenance' ? 'true, false, mode=max or mode=min' : 'true, false or generator=<image>';
  const fields = csvFields(v, example);
  for (const [k, val] of fields) {
    if (k === 'type') throw new Error(`"${v}": type is set by the ${type} input itself; use e.g. ${example}`);
    checkAttrValue(k, val, v);
  }
  return v;
}

/** The attribute values buildx gives a meaning to (mode, disabled, inline-only). */
function checkAttrValue(key: string, value: string, v: string): void {
  if (key === 'mode' && value !== 'min' && value !== 'max') throw new Error(`"${v}": mode must be min or max`);
  if ((key === 'disabled' || key === 'inline-only') && !/^(?:true|false)$/i.test(value))
    throw new Error(`"${v}": ${key} must be true or false`);
  if (key === 'generator') checkOperand(value, 'an SBOM generator image');
}

/** One `attests` entry: type=sbom|provenance and its key=value attributes. */
export function checkAttest(v: string): string {
  const example = 'type=provenance,mode=max or type=sbom';
  const fields = csvFields(v, example);
  typeOf(fields, ['sbom', 'provenance'], v, example);
  for (const [k, val] of fields) checkAttrValue(k, val, v);
  return v;
}

/** One `cache-from`/`cache-to` entry: type=…,key=value (buildx's CSV), or a bare registry ref. */
export function checkCacheEntry(v: string, input: 'cache-from' | 'cache-to'): string {
  const example = input === 'cache-to' ? 'type=registry,ref=ghcr.io/o/app:cache,mode=max' : 'type=gha';
  checkOneLine(v, 'each entry');
  checkOperand(v, 'a cache entry');
  // buildx reads a value without "=" as type=registry,ref=<value>
  if (!v.includes('=') && !v.includes(',') && !/\s/.test(v)) return v;
  typeOf(csvFields(v, example), CACHE_TYPES, v, example);
  return v;
}

/** One `outputs` entry: type=…,key=value (buildx's CSV), `-` (tar to stdout) or a bare folder (local). */
export function checkOutput(v: string): string {
  const example = 'type=registry, type=local,dest=out or type=image,push=true';
  checkOneLine(v, 'each entry');
  if (v === '-' || (!v.includes('=') && !v.includes(','))) {
    checkOperand(v === '-' ? 'x' : v, 'an output folder');
    return v;
  }
  typeOf(csvFields(v, example), OUTPUT_TYPES, v, example);
  return v;
}
