import { createCliHost, renderMarkdownForTerminal } from '../../../src/cli/terminal-host.js';
import { summaryTable } from '../../../src/run/summary.js';
import { smokeSummary } from '../../../src/stages/verify/smoke.js';

function term() {
  const t = { stdout: '', stderr: '', out: (s: string) => (t.stdout += s), err: (s: string) => (t.stderr += s) };
  return t;
}

describe('the CLI host', () => {
  test('inputs, outputs and state in memory; secrets masked in what it prints', async () => {
    const t = term();
    const host = createCliHost({ images: ' a/b ' }, t);
    expect(host.getInput('images')).toBe('a/b');
    expect(host.getInput('nope')).toBe('');
    host.setSecret('hunter2');
    host.setSecret('');
    host.info('login with hunter2');
    host.warning('again hunter2', { title: 'login' });
    host.error('bad', { title: 'Invalid input: platforms', file: 'Dockerfile', startLine: 3 });
    expect(t.stdout).toBe('login with ***\n');
    expect(t.stderr).toContain('warning: login: again ***');
    expect(t.stderr).toContain('error: Invalid input: platforms: bad (Dockerfile:3)');
    expect(host.errorTitles).toEqual(['Invalid input: platforms']);
    expect(host.mask('x hunter2 y')).toBe('x *** y');
    host.saveState('multiarch', '{"tempDir":"/t"}');
    expect(host.getState('multiarch')).toBe('{"tempDir":"/t"}');
    expect(host.getState('other')).toBe('');
    host.setOutput('tags', 'a/b:1');
    expect([...host.outputs]).toEqual([['tags', 'a/b:1']]);
    expect(host.failed()).toBe(false);
    host.fail();
    expect(host.failed()).toBe(true);
    await expect(host.group('build', async () => 7)).resolves.toBe(7);
    expect(t.stdout).toContain('\n== build\n');
    await host.summary('| a | b |');
    expect(host.summaries).toEqual(['| a | b |']);
  });

  test('debug only with RUNNER_DEBUG', () => {
    const quiet = term();
    createCliHost({}, quiet).debug('x');
    expect(quiet.stderr).toBe('');
    const loud = term();
    createCliHost({}, loud, { debug: true }).debug('x');
    expect(loud.stderr).toBe('debug: x\n');
  });
});

describe('renderMarkdownForTerminal: the step summary as a terminal table', () => {
  test("the pipeline's summary table", () => {
    const md = summaryTable(['r/a:1', 'r/a:latest'], 'sha256:abc', ['linux/amd64', 'linux/arm64'], true, [
      { stage: 'build', seconds: 1.25 },
    ]);
    const text = renderMarkdownForTerminal(md);
    const lines = text.split('\n');
    expect(lines[0]).toBe('multiarch-action');
    expect(text).toContain('| images      | r/a:1, r/a:latest        |');
    expect(text).toContain('| pushed      | yes                      |');
    expect(text).toMatch(/^\+-+\+-+\+$/m);
    expect(text).not.toContain('`');
    // every row of the table is as wide as the others
    const rows = lines.filter((l) => l.startsWith('|') || l.startsWith('+'));
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  });

  test('escaped pipes and markup', () => {
    expect(renderMarkdownForTerminal('## Title **bold**\n\n| k | v |\n|---|---|\n| a\\|b | `c` |')).toBe(
      'Title bold\n\n+-----+---+\n| k   | v |\n| a|b | c |\n+-----+---+',
    );
  });

  test('a hostile smoke output reads as its text in one cell, control characters as placeholders', () => {
    const output = 'a | b\r# HACKED [x](y) <img src=x> \\| \u001b[31m\nsecond &amp; line';
    const md = smokeSummary([{ platform: 'linux/amd64', code: 0, output }], ['sh', '-c', 'echo `x` | y']);
    const text = renderMarkdownForTerminal(md);
    expect(text).toContain('smoke test: sh -c echo `x` | y');
    expect(text).toContain('| linux/amd64 | ok     | a | b␍# HACKED [x](y) <img src=x> \\| ␛[31m, second &amp; line |');
  });
});
