import type { ActionSpec, InputSpec } from '../inputs/action-spec.js';
import { parseBool } from '../lists.js';

/** Options of the CLI itself (not action inputs). Kept few, so they never clash with an input. */
export const CLI_OPTIONS = [
  { name: 'help', description: 'Show this help and exit.' },
  { name: 'output-json', description: 'Also write the outputs as a JSON object to this file.', value: 'FILE' },
] as const;

export interface CliArgs {
  command: 'build' | 'help';
  /** Values of the inputs given as flags, by input name (lists joined with newlines). */
  inputs: Record<string, string>;
  outputJson?: string;
  /** Usage problems: unknown flag, missing value, unknown command. Non-empty → exit code 2. */
  errors: string[];
}

/** A true/false input (action.yml's default is true or false): the only kind a bare flag can set. */
export function isBooleanInput(i: InputSpec): boolean {
  return /^(true|false)$/.test(i.default.trim());
}

/** parseBool's words: a boolean flag takes the next argument only when it is one of them. */
function isBoolWord(v: string): boolean {
  try {
    return parseBool(v) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Pure: argv (after `node cli.js`) → command and input values. Every input of action.yml is a
 * `--name value` or `--name=value` flag. A true/false input may be given bare (`--dry-run`
 * means "true"); it takes the next argument only when that is true/false, so
 * `--dry-run build` is the flag and the command. Any other flag needs a value: given bare it is
 * a usage error naming the flag (never the value "true": `--images` alone is no image "true").
 * A flag given twice adds lines (`--tags a --tags b` = "a\nb"), as a list input reads them.
 */
export function parseCliArgs(argv: string[], spec: ActionSpec): CliArgs {
  const byName = new Map<string, InputSpec>(spec.inputs.map((i) => [i.name, i]));
  const out: CliArgs = { command: 'build', inputs: {}, errors: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      out.command = 'help';
      continue;
    }
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) out.errors.push(`unknown option ${arg}`);
      else positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = (accept: (v: string) => boolean = () => true): string | undefined => {
      if (value !== undefined) return value;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2) || !accept(next)) return undefined;
      i++;
      return next;
    };
    if (name === 'output-json') {
      const v = takeValue();
      if (!v) out.errors.push('--output-json needs a file name');
      else out.outputJson = v;
      continue;
    }
    if (!byName.has(name)) {
      out.errors.push(`unknown option --${name}${suggest(name, [...byName.keys()])}`);
      // skip its value, if it has one, so the rest of the line is still read correctly
      takeValue();
      continue;
    }
    const boolean = isBooleanInput(byName.get(name)!);
    const v = boolean ? (takeValue(isBoolWord) ?? 'true') : takeValue();
    if (v === undefined) {
      out.errors.push(
        `--${name} needs a value (--${name} VALUE or --${name}=VALUE); only true/false inputs can be given bare`,
      );
      continue;
    }
    out.inputs[name] = name in out.inputs ? `${out.inputs[name]}\n${v}` : v;
  }
  if (out.command !== 'help') {
    const [cmd, ...rest] = positional;
    if (cmd === undefined) out.errors.push('missing command: use "build" (see --help)');
    else if (cmd === 'help') out.command = 'help';
    else if (cmd !== 'build') out.errors.push(`unknown command "${cmd}": use "build"`);
    if (rest.length)
      out.errors.push(`unexpected argument${rest.length > 1 ? 's' : ''} ${rest.map((r) => `"${r}"`).join(' ')}`);
  }
  return out;
}

/**
 * Environment variables an input is read from: the runner's INPUT_<NAME> (spaces as _, hyphens kept),
 * and the same with hyphens as _ (INPUT_REGISTRY_AUTH), which a shell can set.
 */
export function inputEnvNames(name: string): string[] {
  const runner = `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
  const shell = runner.replace(/-/g, '_');
  return runner === shell ? [runner] : [runner, shell];
}

/**
 * Raw input values as the runner would pass them: a flag, else INPUT_<NAME> from the environment
 * (the runner's own convention: keeps e.g. a password out of the command line), else action.yml's default.
 */
export function inputValues(
  spec: ActionSpec,
  given: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const i of spec.inputs) {
    // a ${{ … }} default is the runner's to evaluate; the CLI has no such context
    const fallback = /^\$\{\{.*\}\}$/.test(i.default.trim()) ? '' : i.default;
    // untrimmed, as the runner passes them: the host trims (a raw sep-tags keeps its space)
    values[i.name] =
      given[i.name] ??
      inputEnvNames(i.name)
        .map((n) => env[n])
        .find((v) => v !== undefined) ??
      fallback;
  }
  return values;
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => distance(k, name) <= 2 || k.startsWith(name) || name.startsWith(k));
  return close.length
    ? ` (did you mean ${close
        .slice(0, 3)
        .map((c) => `--${c}`)
        .join(', ')}?)`
    : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

/** --help, generated from action.yml so the two never disagree. */
export function renderHelp(spec: ActionSpec, width = 100): string {
  const lines = [
    `multiarch-action build [--flags]`,
    '',
    wrap(spec.description, width, ''),
    '',
    'Runs the same pipeline as the GitHub Action, outside GitHub, on the local git checkout',
    '(branch, tag at HEAD, sha and remote give the context a GitHub push event would). Every',
    'action input is a flag of the same name: --name value or --name=value; a true/false input',
    'given bare (--dry-run) means true, every other flag needs a value; list inputs take a comma or',
    'newline separated list, or the flag repeated.',
    'An input not given as a flag is read from INPUT_<NAME> (e.g. INPUT_PASSWORD), as on a runner.',
    '',
    'Inputs (from action.yml):',
  ];
  for (const i of spec.inputs) {
    lines.push(`  --${i.name}${i.required ? ' (required)' : ''}`);
    lines.push(wrap(i.description, width, '      '));
    lines.push(`      default: ${i.default === '' ? '""' : JSON.stringify(i.default)}`);
  }
  lines.push('', 'Options:');
  for (const o of CLI_OPTIONS)
    lines.push(`  --${o.name}${'value' in o ? ` ${o.value}` : ''}`, wrap(o.description, width, '      '));
  lines.push('', 'Outputs (printed at the end):');
  for (const o of spec.outputs) lines.push(`  ${o.name}`, wrap(o.description, width, '      '));
  lines.push('', 'Exit codes: 0 ok, 1 build failed, 2 bad usage (unknown flag or invalid input).', '');
  return lines.join('\n');
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.length > indent.length && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent;
    }
    line += (line.length > indent.length ? ' ' : '') + w;
  }
  if (line.length > indent.length) lines.push(line);
  return lines.join('\n');
}
