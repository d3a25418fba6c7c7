import { parse } from 'csv-parse/sync';

export interface ListOptions {
  /** Commas do not separate items: each line (or quoted record) is one item. */
  ignoreComma?: boolean;
}

/**
 * build-push-action's list syntax: items separated by newlines (and commas unless ignoreComma),
 * `#` starts a comment line, double quotes keep commas and newlines inside one item.
 */
export function parseList(value: string, opts: ListOptions = {}): string[] {
  if (!value.trim()) return [];
  const records = parse(value, {
    columns: false,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    comment: '#',
    comment_no_infix: true,
    trim: true,
  }) as string[][];
  const items: string[] = [];
  for (const record of records) {
    if (opts.ignoreComma) items.push(record.join(','));
    else items.push(...record);
  }
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** true/false input (YAML 1.2 core booleans, like core.getBooleanInput); undefined when empty. */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new Error('must be true or false');
}

/** Whether a value holds a control character (a newline among them): one rule for every one-line value. */
export function hasControlCharacter(v: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(v);
}

/**
 * One key=value field of buildx's CSV attributes (an exporter's, a cache's, a secret's), quoted as
 * its CSV reader expects when it holds a comma, a quote or a line break.
 */
export function buildxCsvField(key: string, value: string): string {
  const kv = `${key}=${value}`;
  return /[",\n\r]/.test(kv) ? `"${kv.replace(/"/g, '""')}"` : kv;
}
