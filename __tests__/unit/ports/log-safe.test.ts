import { createCliHost } from '../../../src/cli/terminal-host.js';
import { createActionsHost } from '../../../src/ports/host-actions.js';
import { isCommandLine, safeLog, SafeLogWriter, safeTerminal } from '../../../src/ports/log-safe.js';
import { HOSTILE, runnerCommands } from '../runner-log.js';

describe('runner-log emulation (the test oracle)', () => {
  test('reads unprotected hostile values as commands', () => {
    // each either runs a command of its own or (stop-commands) swallows the ones after it
    for (const v of HOSTILE) expect(runnerCommands(`${v}\n::error::probe`)).not.toEqual(['error::probe']);
  });
  test('stop-commands pauses until its token', () => {
    expect(runnerCommands('::stop-commands::t1\n::error::a\n::t1::\n::error::b')).toEqual(['error::b']);
  });
});

describe('safeLog: no value starts a runner command', () => {
  test.each(HOSTILE)('%j', (v) => {
    expect(runnerCommands(safeLog(v))).toEqual([]);
    expect(runnerCommands(safeLog(`before ${v} after\n`))).toEqual([]);
  });

  test('text without command-like lines is unchanged, line breaks included', () => {
    for (const t of ['plain', 'a\nb\r\nc\rd\n', 'ipv6 ::1 is fine mid-line', '']) expect(safeLog(t)).toBe(t);
  });

  test('a command-like line is kept byte for byte (so masking still matches it), between a fresh token', () => {
    let n = 0;
    const out = safeLog('ok\n::error::x\n::warning::y\nok2', () => `tok${++n}`);
    expect(out).toBe('ok\n::stop-commands::tok1\n::error::x\n::warning::y\n::tok1::\nok2');
  });

  test('no extra line break when the text ends on a command-like line (core.info adds it)', () => {
    expect(safeLog('::error::x', () => 't')).toBe('::stop-commands::t\n::error::x\n::t::');
    expect(safeLog('::error::x\n', () => 't')).toBe('::stop-commands::t\n::error::x\n::t::\n');
  });

  test('our own ::add-mask:: before and after still works', () => {
    const log = `::add-mask::s3cret\n${safeLog(HOSTILE.join('\n'))}\n::add-mask::other\n`;
    expect(runnerCommands(log)).toEqual(['add-mask::s3cret', 'add-mask::other']);
  });

  test('isCommandLine: what the runner trims (U+0085 too) and the legacy form anywhere', () => {
    expect(isCommandLine('\u0085 ::x')).toBe(true);
    expect(isCommandLine('a ##[b')).toBe(true);
    expect(isCommandLine('a :: b')).toBe(false);
  });
});

describe('SafeLogWriter: streamed output', () => {
  test('a command split across chunks is still seen whole', () => {
    let out = '';
    const w = new SafeLogWriter((t) => (out += t));
    for (const chunk of ['line 1\n:', ':error::', 'x\nline', ' 3 ##', '[warning]y', '']) w.write(chunk);
    w.end();
    expect(runnerCommands(out)).toEqual([]);
    expect(out.replace(/::stop-commands::\S+\n|::[0-9a-f-]{36}::\n?/g, '')).toBe(
      'line 1\n::error::x\nline 3 ##[warning]y\n',
    );
  });

  test('an endless line is passed on in pieces, each safe', () => {
    let out = '';
    const w = new SafeLogWriter((t) => (out += t), 10);
    w.write('::error::abcdefghijklmnop');
    expect(out).toContain('abcdefghijklmnop');
    expect(runnerCommands(out)).toEqual([]);
  });
});

describe('the hosts print through safeLog', () => {
  test('the Actions host: info lines; annotations and groups are escaped by @actions/core', async () => {
    let out = '';
    const write = process.stdout.write;
    process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
    try {
      const host = createActionsHost({});
      host.setSecret('s3cret-value');
      for (const v of HOSTILE) {
        host.info(`labels: ${v}`);
        host.warning(`w ${v}`);
        host.error(`e ${v}`, { title: `t ${v}` });
        await host.group(`g ${v}`, async () => undefined);
      }
    } finally {
      process.stdout.write = write;
    }
    const cmds = runnerCommands(out);
    expect(cmds.filter((c) => !/^(add-mask::|warning::|error title=|group::|endgroup::)/.test(c))).toEqual([]);
    expect(cmds).toContain('add-mask::s3cret-value');
    expect(cmds.filter((c) => c.startsWith('error')).length).toBe(HOSTILE.length);
    // one annotation per call: a hostile value stays inside its annotation's (escaped) text
    expect(cmds.filter((c) => c.startsWith('warning')).length).toBe(HOSTILE.length);
    expect(cmds.filter((c) => c.startsWith('group')).length).toBe(HOSTILE.length);
  });

  test('the CLI terminal: every line it prints', () => {
    let out = '';
    const term = safeTerminal({ out: (t: string) => void (out += t), err: (t: string) => void (out += t) });
    const host = createCliHost({}, term);
    for (const v of HOSTILE) {
      host.info(v);
      host.warning(v);
      host.error(v, { title: v });
    }
    expect(runnerCommands(out)).toEqual([]);
  });
});
