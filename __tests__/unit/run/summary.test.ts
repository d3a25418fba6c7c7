/**
 * summaryText: whatever a value holds reaches the job summary as the text it is: no Markdown, HTML,
 * autolink, table cell or line break of its own (rendered here as GitHub renders GFM, linkify on).
 */
/* eslint-disable no-control-regex -- control characters are what these tests feed in */
import { summaryPlain, summaryTable, summaryText } from '../../../src/run/summary.js';
import { archCheckSummary } from '../../../src/stages/archcheck/plan.js';
import { timesSummary } from '../../../src/stages/archcheck/times.js';
import { cacheSummary } from '../../../src/stages/cache/act.js';
import { smokeSummary } from '../../../src/stages/verify/smoke.js';
import { HOSTILE, injectedCommands } from '../runner-log.js';
import { HOSTILE_MARKDOWN, renderSummary } from '../summary-render.js';

function hostileTable(value: string): string {
  return summaryTable([`r.io/app:${value}`], value, [value], true, [{ stage: value, seconds: 1 }], {
    imageid: value,
    cache: value,
  });
}

describe('summaryText: a value as inert summary text', () => {
  test.each(HOSTILE_MARKDOWN)('%j renders as its own text in every cell of the table', (value) => {
    const r = renderSummary(hostileTable(value));
    expect(r.foreign).toEqual([]);
    expect(r.headings).toEqual(['multiarch-action']);
    // the same rows as a plain value: no cell added or lost
    expect(r.text.split('\n').length).toBe(renderSummary(hostileTable('v')).text.split('\n').length);
    // every run of text between control characters and spaces is there to read
    const parts = value.split(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e]+/).filter(Boolean);
    for (const part of parts) expect(r.text).toContain(part);
  });

  test('control characters become visible placeholders, never a line break', () => {
    expect(summaryText('a\rb\nc\u2028d\u0000e\u001bf\u007fg\u0085h\u202ei')).toBe(
      'a␍b␊c⟨U+2028⟩d␀e␛f␡g⟨U+0085⟩h⟨U+202E⟩i',
    );
    expect(summaryText('a\r\nb\nc\rd', { lines: true })).toBe('a<br>b<br>c␍d');
  });

  test('HTML is entities, every other ASCII punctuation is backslash-escaped, other text stays', () => {
    expect(summaryText('<b>&</b>')).toBe('&lt;b&gt;&amp;&lt;\\/b&gt;');
    expect(summaryText('[x](y)')).toBe('\\[x\\]\\(y\\)');
    expect(summaryText('linux/arm64 x86_64 ü 日本')).toBe('linux\\/arm64 x86\\_64 ü 日本');
  });

  test.each(HOSTILE)('runner commands %j stay one line of text (no ::command at a line start)', (value) => {
    const md = hostileTable(value);
    expect(md.split('\n').some((l) => /^\s*::/.test(l))).toBe(false);
    expect(injectedCommands(md)).toEqual([]);
    expect(renderSummary(md).foreign).toEqual([]);
  });

  test('a leading "-" is text, not a list item or an option', () => {
    expect(summaryText('-rf --help')).toBe('\\-rf \\-\\-help');
    expect(renderSummary(`- ${summaryText('- x')}\n`).text).toBe('- x');
  });

  test('100 kB: cut to a bounded cell that says how much was left out', () => {
    const big = `${'<x>'.repeat(20_000)}\n${'y'.repeat(40_000)}`;
    const out = summaryText(big, { lines: true });
    expect(out.length).toBeLessThan(20_000);
    expect(summaryPlain(out)).toMatch(/… \(98001 more characters\)$/);
    expect(renderSummary(`| a |\n|---|\n| ${out} |\n`).foreign).toEqual([]);
    expect(summaryText('x'.repeat(100), { max: 10 })).toBe('xxxxxxxxxx… \\(90 more characters\\)');
  });

  test('summaryPlain reads the text back, our markup kept', () => {
    for (const v of HOSTILE_MARKDOWN) {
      const line = v.replace(/[\r\n\u2028\u2029\u0000-\u001f\u007f-\u009f\u202e]/g, '');
      expect(summaryPlain(summaryText(line))).toBe(line);
    }
    expect(summaryPlain(`<code>${summaryText('a&lt;b')}</code>`)).toBe('<code>a&lt;b</code>');
  });
});

describe('every summary section: hostile values render as text', () => {
  const all = HOSTILE_MARKDOWN.join('\n');
  test('smoke test output (one line per line), its command and platform', () => {
    const md = smokeSummary(
      [
        { platform: 'linux/amd64', code: 0, output: all },
        { platform: `linux/arm64${HOSTILE_MARKDOWN[1]}`, code: 1, output: HOSTILE_MARKDOWN[10]! },
      ],
      ['sh', '-c', all],
    );
    const r = renderSummary(md);
    expect(r.foreign).toEqual([]);
    // one heading, ours, holding the whole command as text
    expect(r.headings).toHaveLength(1);
    expect(r.headings[0]).toMatch(/^smoke test: sh -c # HACKED: all checks passed␊a␍# HACKED cr␊/);
    expect(r.text).toContain('[x](https://evil.example/x)\n![x](https://evil.example/t.png)');
  });

  test('arch check platforms and architectures, step names, cache lines', () => {
    const v = HOSTILE_MARKDOWN[7]!;
    const verdict = { platform: v, checked: 1, files: 1, layersRead: 1, layersTotal: 1, unreadable: [] };
    const md = [
      archCheckSummary([{ ...verdict, wrong: [{ path: `/${v}`, arch: v }] }], 'true'),
      timesSummary({ [v]: { emulated: true, seconds: 1, steps: 1, cached: 0, slowest: [{ step: v, seconds: 1 }] } }),
      cacheSummary({ hit: '', key: v, cacheFrom: [], cacheTo: [], env: {}, lines: HOSTILE_MARKDOWN } as never),
    ].join('\n');
    const r = renderSummary(md);
    expect(r.foreign).toEqual([]);
    expect(r.headings).toEqual(['arch check', 'time per platform', 'layer cache']);
  });

  test('the check itself sees what an unescaped value would start', () => {
    const r = renderSummary(`| a |\n|---|\n| x\r# HACKED [l](u) ![i](u) <img src=x> www.evil.example |\n`);
    expect(r.foreign).toEqual(expect.arrayContaining(['link_open', 'image i', 'html_inline <img src=x>']));
    expect(r.headings[0]).toMatch(/^HACKED/);
  });
});
