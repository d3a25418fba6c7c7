import * as fs from 'node:fs';
import * as path from 'node:path';

import { gitContext, probeGit } from '../context/git.js';
import { errorMessage } from '../errors.js';
import type { ActionSpec } from '../inputs/action-spec.js';
import { runMain } from '../pipeline/main.js';
import { runPost } from '../pipeline/post.js';
import { realActionsCache } from '../ports/actions-cache.js';
import { createArtifactStore } from '../ports/artifacts.js';
import type { Deps } from '../ports/deps.js';
import type { Exec } from '../ports/exec.js';
import type { Files } from '../ports/files.js';
import { safeTerminal } from '../ports/log-safe.js';
import { once } from '../ports/once.js';
import { onStopSignals, type SignalSource } from '../ports/signals.js';
import { inputValues, parseCliArgs, renderHelp } from './args.js';
import { createCliHost, renderMarkdownForTerminal, type Terminal } from './terminal-host.js';

export interface CliDeps {
  spec: ActionSpec;
  term: Terminal;
  exec: Exec;
  files: Files;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now(): number;
  /** Folder for the synthesized event payload and the run's temp folder (RUNNER_TEMP). */
  tempParent: string;
  /** Told the host's masking function, to mask what processes stream to the terminal too. */
  onMask?(mask: (text: string) => string): void;
  /**
   * The signal path (src/ports/signals.ts): where SIGINT/SIGTERM come from, how the run's processes are
   * stopped, and the gateway the cleanup uses (never stopped). Without it, signals are not handled.
   */
  signals?: { source: SignalSource; abort(): void; cleanupExec: Exec };
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The one line that says which event, ref and commit the run takes from the checkout. */
function contextLine(git: ReturnType<typeof gitContext>, problem: string | undefined): string {
  const noRef = problem ? `(no ref: ${problem})` : '(no ref: detached HEAD without a tag)';
  const where = git.env.GITHUB_REPOSITORY ? `in ${git.env.GITHUB_SERVER_URL}/${git.env.GITHUB_REPOSITORY}` : '';
  const sha = (git.env.GITHUB_SHA || '').slice(0, 12);
  return `context: ${git.env.GITHUB_EVENT_NAME} ${git.env.GITHUB_REF || noRef} ${sha} ${where}`.trimEnd();
}

/** The runner's variables come from the checkout, not from whatever the shell has exported. */
function runnerEnv(shell: NodeJS.ProcessEnv, ...layers: Record<string, string>[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...shell };
  for (const k of Object.keys(env)) if (/^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/.test(k)) delete env[k];
  return Object.assign(env, ...layers);
}

/**
 * `multiarch-action build [--flags]`: the action's own pipeline (runMain) with a terminal host and
 * the context of the local git checkout, then its cleanup (runPost), then outputs and summary.
 * Returns the exit code: 0 ok, 1 build failed, 2 bad usage (unknown flag or invalid input).
 */
export async function runCli(argv: string[], cli: CliDeps): Promise<number> {
  // every line the CLI prints is made safe once, here (it may run inside a workflow step)
  const d = { ...cli, term: safeTerminal(cli.term) };
  const args = parseCliArgs(argv, d.spec);
  if (args.command === 'help') {
    d.term.out(renderHelp(d.spec));
    return args.errors.length ? EXIT_USAGE : EXIT_OK;
  }
  const jsonDir = args.outputJson ? path.dirname(path.resolve(d.cwd, args.outputJson)) : undefined;
  if (jsonDir && !fs.existsSync(jsonDir))
    args.errors.push(
      `--output-json: folder ${jsonDir} does not exist: create it first, or give a path in an existing folder`,
    );
  if (args.errors.length) {
    for (const e of args.errors) d.term.err(`multiarch-action: ${e}\n`);
    d.term.err('Run "multiarch-action --help" for the flags.\n');
    return EXIT_USAGE;
  }

  const host = createCliHost(inputValues(d.spec, args.inputs, d.env), d.term, { debug: d.env.RUNNER_DEBUG === '1' });
  d.onMask?.(host.mask);
  const probe = await probeGit(d.exec, d.cwd);
  const git = gitContext(probe, d.env);
  const runDir = fs.mkdtempSync(path.join(d.tempParent, 'multiarch-cli-'));
  const eventPath = path.join(runDir, 'event.json');
  fs.writeFileSync(eventPath, JSON.stringify(git.payload, null, 2));
  const runnerTemp = path.join(runDir, 'temp');
  fs.mkdirSync(runnerTemp);
  if (probe.problem) {
    host.warning(
      `no git context: ${probe.problem}. Tags and labels from git refs (branch, tag, sha) are empty; run inside a checkout with a commit, or give the tags with --tags`,
    );
  }
  host.info(contextLine(git, probe.problem));
  const env = runnerEnv(d.env, git.env, {
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: d.cwd,
    RUNNER_TEMP: runnerTemp,
    // the host folder that outlasts the run (entries/cli.ts gives it a default): tools, the arch check's record
    ...(d.env.RUNNER_TOOL_CACHE ? { RUNNER_TOOL_CACHE: d.env.RUNNER_TOOL_CACHE } : {}),
  });
  const deps: Deps = {
    host,
    exec: d.exec,
    files: d.files,
    env,
    cwd: d.cwd,
    now: d.now,
    actionsCache: realActionsCache(env),
    artifacts: createArtifactStore(env),
  };

  // the same cleanup as the action's post step, once, whether the run ends or a signal stops it
  const cleanup = once(() =>
    host.group('cleanup', async () => {
      try {
        await runPost({ ...deps, exec: d.signals?.cleanupExec ?? d.exec });
      } catch (err) {
        host.warning(`cleanup failed: ${errorMessage(err)}`);
      }
      fs.rmSync(runDir, { recursive: true, force: true });
    }),
  );
  const removeSignalPath = d.signals
    ? onStopSignals(d.signals.source, {
        abort: () => d.signals!.abort(),
        cleanup,
        removeNow: () => fs.rmSync(runDir, { recursive: true, force: true }),
        log: (m) => host.warning(m),
      })
    : () => undefined;
  try {
    await runMain(deps);
  } catch (err) {
    host.error(errorMessage(err), { title: 'multiarch-action failed' });
    host.fail();
  }
  await cleanup();
  removeSignalPath();

  printOutputs(d.term, host);
  // after the outputs are printed: a file that cannot be written loses nothing the build made
  if (args.outputJson && !writeOutputJson(path.resolve(d.cwd, args.outputJson), host)) return EXIT_FAILED;
  if (!host.failed()) return EXIT_OK;
  return host.errorTitles.some((t) => t.startsWith('Invalid input')) ? EXIT_USAGE : EXIT_FAILED;
}

function printOutputs(term: Terminal, host: ReturnType<typeof createCliHost>): void {
  if (host.outputs.size) {
    term.out('\n== outputs\n');
    for (const [name, value] of host.outputs) {
      const shown =
        name === 'metadata' && value.length > 200 ? `${value.slice(0, 200)}… (${value.length} characters)` : value;
      const lines = host.mask(shown).split('\n');
      term.out(
        `${name}: ${lines[0] ?? ''}\n${lines
          .slice(1)
          .map((l) => `${' '.repeat(name.length + 2)}${l}\n`)
          .join('')}`,
      );
    }
  }
  for (const md of host.summaries) term.out(`\n${host.mask(renderMarkdownForTerminal(md))}\n`);
}

/** Write the outputs as JSON; false (and one error naming the file) when that fails (ENOENT, ENOSPC…). */
function writeOutputJson(file: string, host: ReturnType<typeof createCliHost>): boolean {
  try {
    fs.writeFileSync(file, `${JSON.stringify(Object.fromEntries(host.outputs), null, 2)}\n`);
    return true;
  } catch (err) {
    host.error(`cannot write the outputs to ${file}: ${errorMessage(err)}. The outputs are printed above.`, {
      title: '--output-json',
    });
    return false;
  }
}
