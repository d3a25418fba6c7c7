/**
 * What the GitHub runner does with a step's log, for tests: split it into lines as the runner does
 * (\r, \n, \r\n), parse each line both ways the runner does (`::cmd::` at the start after leading
 * whitespace, and the legacy `##[cmd]` anywhere in the line), honour ::stop-commands::, and return
 * the commands it would run, as "name props::data".
 */
const REGISTERED = [
  'add-mask',
  'add-path',
  'set-env',
  'set-output',
  'save-state',
  'error',
  'warning',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
  'add-matcher',
  'remove-matcher',
];

interface Parsed {
  name: string;
  info: string;
  data: string;
}

function parseV2(line: string, names: Set<string>): Parsed | undefined {
  const m = line.replace(/^[\s\u0085]+/, '');
  if (!m.startsWith('::')) return undefined;
  const end = m.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = m.slice(2, end);
  const name = info.split(' ')[0]!;
  return names.has(name) ? { name, info, data: m.slice(end + 2) } : undefined;
}

function parseLegacy(line: string, names: Set<string>): Parsed | undefined {
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const rb = line.indexOf(']', at);
  if (rb < 0) return undefined;
  const info = line.slice(at + 3, rb);
  const name = info.split(' ')[0]!;
  return names.has(name) ? { name, info, data: line.slice(rb + 1) } : undefined;
}

export function runnerCommands(log: string): string[] {
  const names = new Set(REGISTERED);
  const found: string[] = [];
  let stopToken: string | undefined;
  for (const line of log.split(/\r\n|\r|\n/)) {
    const cmd = parseV2(line, names) ?? parseLegacy(line, names);
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.name === stopToken) {
        names.delete(stopToken);
        stopToken = undefined;
      }
      continue;
    }
    if (cmd.name === 'stop-commands') {
      stopToken = cmd.data;
      names.add(stopToken);
      continue;
    }
    found.push(`${cmd.info}::${cmd.data}`);
  }
  return found;
}

/** Commands in a log other than the ones this action issues itself (annotations, groups, masks, debug). */
export function injectedCommands(
  log: string,
  own: RegExp = /^(group|endgroup|debug|add-mask|error title=|warning)/,
): string[] {
  return runnerCommands(log).filter((c) => !own.test(c));
}

/** Hostile values: each tries to start a runner command in a different way. */
export const HOSTILE = [
  'x\n::error::injected-lf',
  'x\r::warning::injected-cr',
  'x\r\n::add-mask::injected-crlf',
  'x\n::stop-commands::injectedtoken',
  'x\n  ::notice::injected-indented',
  'x\n\u0085::error::injected-nel',
  'x ##[error]injected-legacy',
  '::set-output name=pushed::injected-start',
];
