import type { AnnotationProps, Host } from '../ports/host.js';
import { summaryPlain } from '../run/summary.js';

/** Where the terminal host writes; process.stdout/stderr in the CLI, buffers in tests. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
}

export interface CliHost extends Host {
  /** Outputs set so far, in the order first set. */
  readonly outputs: Map<string, string>;
  /** Variables exportVariable was given (a runner would hand them to later steps). */
  readonly exported: Map<string, string>;
  /** Markdown handed to summary(), in order. */
  readonly summaries: string[];
  /** Annotation titles of the errors reported (e.g. "Invalid input: platforms"). */
  readonly errorTitles: string[];
  failed(): boolean;
  /** Mask every registered secret in a text (for anything the CLI prints itself). */
  mask(text: string): string;
}

/**
 * The Host of the CLI: logs to the terminal (warnings and errors to stderr), keeps outputs and
 * state in memory (the CLI runs the cleanup itself, with the same state), masks secrets in
 * everything it prints, prints a header per group.
 */
export function createCliHost(inputs: Record<string, string>, term: Terminal, opts: { debug?: boolean } = {}): CliHost {
  const secrets = new Set<string>();
  const state = new Map<string, string>();
  const outputs = new Map<string, string>();
  const exported = new Map<string, string>();
  const summaries: string[] = [];
  const errorTitles: string[] = [];
  let failed = false;
  const mask = (text: string): string => {
    let t = text;
    // longest first, so a secret containing another is masked whole
    for (const s of [...secrets].sort((a, b) => b.length - a.length)) t = t.split(s).join('***');
    return t;
  };
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const where = (p?: AnnotationProps) => (p?.file ? ` (${p.file}${p.startLine ? `:${p.startLine}` : ''})` : '');
  return {
    outputs,
    exported,
    summaries,
    errorTitles,
    failed: () => failed,
    mask,
    getInput: (name, opts) => (opts?.raw ? (inputs[name] ?? '') : (inputs[name] ?? '').trim()),
    info: (m) => term.out(line(mask(m))),
    warning: (m, p) => term.err(line(mask(`warning: ${p?.title ? `${p.title}: ` : ''}${m}${where(p)}`))),
    error: (m, p) => {
      if (p?.title) errorTitles.push(p.title);
      term.err(line(mask(`error: ${p?.title ? `${p.title}: ` : ''}${m}${where(p)}`)));
    },
    debug: (m) => {
      if (opts.debug) term.err(line(mask(`debug: ${m}`)));
    },
    setOutput: (n, v) => {
      outputs.set(n, v);
    },
    // no later step to hand them to: kept (the CLI prints the outputs, not these)
    exportVariable: (n, v) => {
      exported.set(n, v);
    },
    setSecret: (v) => {
      if (v) secrets.add(v);
    },
    saveState: (n, v) => {
      state.set(n, v);
    },
    getState: (n) => state.get(n) ?? '',
    group: async (name, fn) => {
      term.out(`\n== ${name}\n`);
      return fn();
    },
    summary: async (md) => {
      summaries.push(md);
    },
    fail: () => {
      failed = true;
    },
  };
}

/** Render the markdown the pipeline writes to the step summary for a terminal: tables boxed, markup dropped. */
export function renderMarkdownForTerminal(md: string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let table: string[][] = [];
  // our markup dropped first, then the values' escapes undone (summaryText)
  const plain = (s: string) =>
    summaryPlain(
      s
        .replace(/<br\s*\/?>/g, ', ')
        .replace(/<\/?code>/g, '')
        .replace(/(?<!\\)`([^`]*)`/g, '$1')
        .replace(/\*\*([^*]*)\*\*/g, '$1'),
    ).trim();
  const flush = () => {
    if (!table.length) return;
    const rows = table.filter((r) => !r.every((c) => /^:?-+:?$/.test(c) || c === ''));
    const widths: number[] = [];
    for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
    const sep = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
    out.push(sep);
    for (const r of rows) out.push(`| ${widths.map((w, i) => (r[i] ?? '').padEnd(w)).join(' | ')} |`);
    out.push(sep);
    table = [];
  };
  for (const l of lines) {
    const t = l.trim();
    if (t.startsWith('|') && t.endsWith('|') && t.length > 1) {
      const cells = t
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(plain);
      table.push(cells);
      continue;
    }
    flush();
    out.push(plain(t.replace(/^#+\s*/, '')));
  }
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
