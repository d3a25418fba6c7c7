/**
 * The step summary (GITHUB_STEP_SUMMARY; the CLI renders the same rows in the terminal): its table,
 * and summaryText, the one way a value reaches any summary section.
 */

/** Ahead of escaping, so an entity or escape is never cut in half. */
const TEXT_MAX = 2000;
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
// C0 and C1 controls, DEL, the Unicode line and paragraph separators (CommonMark and browsers break
// lines there), and the bidirectional overrides (text that reads other than it is)
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function controlPicture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `\u27e8U+${code.toString(16).toUpperCase().padStart(4, '0')}\u27e9`;
}

/**
 * Every control character of `text` (line breaks and separators, C0 and C1, DEL, bidirectional
 * overrides) as a visible placeholder: `\r` → ␍, ESC → ␛, U+2028 → ⟨U+2028⟩. The one way a value
 * a command printed is shown as one line of plain text, in a summary or in the log.
 */
export function visibleControls(text: string): string {
  return text.replace(CONTROL, controlPicture);
}

function escapeLine(line: string): string {
  let out = '';
  for (const c of line) out += HTML[c] ?? (ASCII_PUNCTUATION.test(c) ? `\\${c}` : c);
  return visibleControls(out);
}

/**
 * Any value (command output, a file name from an image, a tag, a platform or label a registry
 * gave) as inert text inside a summary table cell or heading: `& < >` as HTML entities, every other
 * ASCII punctuation backslash-escaped (CommonMark allows it for all of them), so no Markdown, HTML,
 * table cell break or autolink (`www.`, `https://`, `a@b.c`) can form, and every control character
 * a visible placeholder (`\r` → ␍, U+2028 → ⟨U+2028⟩), so no line break either. With `lines`,
 * the value's own line breaks (\n, \r\n) become `<br>`. Values longer than `max` characters are cut.
 */
export function summaryText(value: string, opts: { lines?: boolean; max?: number } = {}): string {
  const max = opts.max ?? TEXT_MAX;
  const chars = [...value];
  const shown = chars.length > max ? `${chars.slice(0, max).join('')}… (${chars.length - max} more characters)` : value;
  return opts.lines ? shown.split(/\r?\n/).map(escapeLine).join('<br>') : escapeLine(shown);
}

/** Summary markdown read back as text (the terminal's rendering; tests): summaryText undone, our tags kept. */
export function summaryPlain(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(amp|lt|gt);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>' })[e]!);
}

export interface Timing {
  stage: string;
  seconds: number;
}

export interface SummaryExtra {
  imageid?: string;
  /** Layer cache result ('-' when there is none). */
  cache?: string;
  status?: 'succeeded' | 'failed';
}

export function summaryTable(
  refs: string[],
  digest: string,
  platforms: string[],
  pushed: boolean,
  timings: Timing[],
  extra: SummaryExtra = {},
): string {
  const rows = [
    '### multiarch-action',
    '',
    '| | |',
    '|---|---|',
    `| images | ${refs.map((r) => `<code>${summaryText(r)}</code>`).join('<br>') || '(untagged)'} |`,
    `| digest | ${digest ? `<code>${summaryText(digest)}</code>` : '-'} |`,
    `| platforms | ${summaryText(platforms.join(', '))} |`,
    `| pushed | ${pushed ? 'yes' : 'no'} |`,
    ...(extra.imageid ? [`| image ID | <code>${summaryText(extra.imageid)}</code> |`] : []),
    `| cache | ${extra.cache ? summaryText(extra.cache) : '-'} |`,
    ...(extra.status ? [`| result | ${extra.status} |`] : []),
    `| stage times | ${timings.map((t) => `${summaryText(t.stage)} ${t.seconds.toFixed(1)}s`).join(', ')} |`,
    '',
  ];
  return rows.join('\n');
}
