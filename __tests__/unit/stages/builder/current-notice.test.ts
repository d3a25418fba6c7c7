/**
 * build-push-action's form adopting the builder an earlier step left current: its notice names the
 * builder, driver and endpoint `docker buildx inspect` printed, command output and so untrusted.
 * Through the builder stage with the real Actions host (stdout captured, read as the runner reads it).
 */
import type { ExecRequest } from '../../../../src/ports/exec.js';
import type { Host } from '../../../../src/ports/host.js';
import { createActionsHost } from '../../../../src/ports/host-actions.js';
import { builderStage } from '../../../../src/stages/builder/wiring.js';
import { fakeEngine, fakeRun } from '../../fakes.js';
import { runnerCommands } from '../../runner-log.js';

const BIG = 100_000;
/** Each tries to start a runner command, break the notice's line, or flood it. */
const HOSTILE: [string, string][] = [
  ['a line break and a command', 'x\n::error::injected-lf'],
  ['a carriage return and a command', 'x\r::warning::injected-cr'],
  ['an escaped line break', 'x%0A::error::injected-escaped%0D%0A::error::again'],
  ['add-mask', '::add-mask::x'],
  ['stop-commands', '::stop-commands::token'],
  ['the legacy form', 'x##[error]injected-legacy'],
  ['a 100 kB value', 'e'.repeat(BIG)],
  ['control characters', 'tcp://h\u001b[2K\u001b]8;;http://x\u0007\u0000\u0008\u007f\u009b'],
  ['U+2028 and U+2029', 'x\u2028::error::injected-ls\u2029::error::injected-ps'],
  ['U+0085', 'x\u0085::error::injected-nel'],
  ['a bidirectional override', 'tcp://h\u202egnp.exe'],
];

/** `docker buildx inspect` of the current builder, with `over` in place of a field's value. */
function inspectText(over: { name?: string; driver?: string; endpoint?: string }): string {
  return [
    `Name:          ${over.name ?? 'builder-1'}`,
    `Driver:        ${over.driver ?? 'docker-container'}`,
    'Last Activity: 2024-05-01 10:00:00 +0000 UTC',
    '',
    'Nodes:',
    'Name:      builder-10',
    `Endpoint:  ${over.endpoint ?? 'unix:///var/run/docker.sock'}`,
    'Status:    running',
    'Platforms: linux/amd64',
    '',
  ].join('\n');
}

/** The builder stage in build-push-action's form (full references in tags, no builder input). */
async function stageWith(current: string, host: (base: Host) => Host): Promise<void> {
  const engine = fakeEngine((req: ExecRequest) =>
    req.argv.join(' ') === 'docker buildx inspect'
      ? { stdout: current }
      : req.argv[2] === 'inspect'
        ? { stdout: inspectText({}) }
        : {},
  );
  const run = fakeRun({ tags: 'r.io/o/app:v1' }, { deps: { exec: engine } });
  await builderStage({ ...run, host: host(run.host) });
}

/** What the real Actions host printed for the stage (file commands left to the fake: not the log). */
async function logOf(current: string, withNotice = true): Promise<string> {
  const actions = createActionsHost({});
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((c: string | Uint8Array) => ((out += c.toString()), true)) as typeof process.stdout.write;
  try {
    await stageWith(current, (base) => ({
      ...base,
      info: actions.info,
      warning: actions.warning,
      debug: actions.debug,
      notice: withNotice ? actions.notice : undefined,
    }));
  } finally {
    process.stdout.write = write;
  }
  return out;
}

/** The notices the stage gave its host, as given. */
async function noticesOf(current: string): Promise<string[]> {
  const notices: string[] = [];
  await stageWith(current, (base) => ({ ...base, notice: (m) => void notices.push(m) }));
  return notices;
}

const FIELDS: [string, (v: string) => string][] = [
  ['endpoint', (v) => inspectText({ endpoint: v })],
  ['endpoint on the next line', (v) => inspectText({ endpoint: `\n${v}` })],
  ['driver', (v) => inspectText({ driver: `docker-container${v}` })],
  ['name', (v) => inspectText({ name: `builder-1${v}` })],
];
const CASES = FIELDS.flatMap(([field, text]) =>
  HOSTILE.map(([what, value]) => [`${field}: ${what}`, text(value)] as [string, string]),
);

test('the notice names the builder, its driver and endpoint', async () => {
  expect(await noticesOf(inspectText({}))).toEqual([
    "builder builder-1 (driver docker-container, endpoint unix:///var/run/docker.sock): the current builder, an earlier step's (e.g. setup-buildx-action), as build-push-action uses it; set builder or driver to choose another",
  ]);
});

describe('a hostile value in the current builder inspect output', () => {
  test.each(CASES)('%s: the log runs no command but the notice, whole on one line', async (_name, current) => {
    const log = await logOf(current);
    const commands = runnerCommands(log).filter((c) => !c.startsWith('debug'));
    // the builder's name is held to its own grammar: a hostile one is no name, and nothing is adopted
    if (commands.length === 0) return expect(await noticesOf(current)).toEqual([]);
    expect(commands).toEqual([
      expect.stringMatching(/^notice::builder builder-1.*; set builder or driver to choose another$/),
    ]);
    const lines = log.split(/\r\n|\r|\n/).filter((l) => l.startsWith('::notice::'));
    expect(lines).toEqual([expect.stringMatching(/; set builder or driver to choose another$/)]);
  });

  test.each(CASES)('%s: without annotations (a log line) no command either', async (_name, current) => {
    expect(runnerCommands(await logOf(current, false)).filter((c) => !c.startsWith('debug'))).toEqual([]);
  });

  test.each(CASES)('%s: the notice is one short line of visible characters', async (_name, current) => {
    for (const notice of await noticesOf(current)) {
      // no line break of any kind, no control character, no bidirectional override
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      expect(notice).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(notice.length).toBeLessThan(600);
    }
  });
});
