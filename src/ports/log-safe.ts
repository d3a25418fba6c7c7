import { randomUUID } from 'node:crypto';

/**
 * The one rule for what this action prints to the runner's log: no value (an input, an event
 * field, a Dockerfile line, a command's output) can start a workflow command.
 *
 * The runner splits its log on \r, \n and \r\n, and reads a line as a command when it starts with
 * `::` after leading whitespace, or (the legacy form) when it contains `##[` anywhere. @actions/core
 * escapes the data of ::error/::warning/::debug/::group, but core.info and what @actions/exec echoes
 * and streams are written as they are.
 *
 * A line that would be read as a command is printed unchanged between `::stop-commands::<token>` and
 * `::<token>::` with a fresh random token, as the runner's documentation recommends for untrusted
 * output. Why this rather than rewriting the line (e.g. a zero-width character after the first `:`):
 * the text stays byte for byte what the value was, so the runner's masking of secrets still matches
 * it; and why per line rather than around a whole command's output: commands stay on everywhere
 * else, so our own ::add-mask::, ::group:: and annotations issued while a build streams still work.
 */
const BREAKS = /(\r\n|\r|\n)/;

/** What .NET's TrimStart skips (char.IsWhiteSpace): JavaScript's \s plus U+0085. */
const COMMAND_START = /^[\s\u0085]*::/;

/** Would the runner read this one line (no line break in it) as a workflow command? */
export function isCommandLine(line: string): boolean {
  return COMMAND_START.test(line) || line.includes('##[');
}

/**
 * Pure: `text` made safe to print. Lines that are not commands, and the line breaks between them,
 * are kept as they are; each run of command-like lines is wrapped in stop-commands. `newToken` is
 * injectable for tests.
 */
export function safeLog(text: string, newToken: () => string = randomUUID): string {
  if (!text.includes('::') && !text.includes('##[')) return text;
  const parts = text.split(BREAKS);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i]!;
    const brk = parts[i + 1] ?? '';
    if (!isCommandLine(line)) {
      out += line + brk;
      continue;
    }
    // the following command-like lines go under the same token
    let block = line + (brk || '\n');
    let last = brk;
    while (i + 2 < parts.length && isCommandLine(parts[i + 2]!)) {
      i += 2;
      last = parts[i + 1] ?? '';
      block += parts[i]! + (last || '\n');
    }
    const token = newToken();
    // no break after the resume line when the text ended without one (the caller ends the line)
    out += `::stop-commands::${token}\n${block}::${token}::${last ? '\n' : ''}`;
  }
  return out;
}

/**
 * A writable end for a process's streamed output: whole lines are made safe and passed on, a
 * partial line is held until its break arrives (a command split across two chunks is still seen
 * whole), and `end()` passes on what is left. A line longer than `maxLine` is passed on in pieces.
 */
export class SafeLogWriter {
  private pending = '';
  constructor(
    private readonly out: (text: string) => void,
    private readonly maxLine = 64 * 1024,
  ) {}

  write(text: string): void {
    this.pending += text;
    const cut = Math.max(this.pending.lastIndexOf('\n'), this.pending.lastIndexOf('\r'));
    if (cut >= 0) {
      this.out(safeLog(this.pending.slice(0, cut + 1)));
      this.pending = this.pending.slice(cut + 1);
    }
    if (this.pending.length > this.maxLine) this.end();
  }

  end(): void {
    if (!this.pending) return;
    const rest = this.pending;
    this.pending = '';
    this.out(safeLog(`${rest}\n`));
  }
}

/** A terminal whose every write is made safe (the CLI's, which may run inside a workflow step). */
export function safeTerminal<T extends { out(text: string): void; err(text: string): void }>(term: T): T {
  return { ...term, out: (t: string) => term.out(safeLog(t)), err: (t: string) => term.err(safeLog(t)) };
}
