import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

import { errorMessage, EXIT_NOT_FOUND, NOT_ON_PATH } from '../errors.js';
import { SafeLogWriter } from './log-safe.js';

/**
 * The one gateway through which every process is started. Arguments are an argv array and
 * never pass through a shell; secrets go through stdin.
 */
export interface ExecRequest {
  argv: string[];
  /** Written to the process's stdin (e.g. a password for --password-stdin). */
  stdin?: string;
  cwd?: string;
  /**
   * Extra environment variables, merged over the inherited environment (which never holds INPUT_*,
   * STATE_*, ACTIONS_* or the runner's command files: see withheldVariable). Given here, they pass.
   */
  env?: Record<string, string>;
  /** Do not echo the command or stream its output to the log. */
  silent?: boolean;
  /**
   * Give up after this many milliseconds: the process and its children are killed and the result
   * (exit 124, like timeout(1)) names the command. Unset: the gateway's default bound. 0: no bound,
   * only for the build and the push themselves, which take as long as they take.
   */
  timeoutMs?: number;
  /**
   * Hand stdout to this reader as a stream instead of collecting it (a multi-GB tar must not sit in
   * memory); the result's stdout is then ''. Backpressure reaches the process. A reader that throws
   * ends the process and fails the call with its message.
   */
  readStdout?: (stdout: Readable) => Promise<void>;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The process was killed because it did not finish within its bound. */
  timedOut?: boolean;
}

export type Exec = (req: ExecRequest) => Promise<ExecResult>;

/**
 * What a stage's act is given: the run's gateway and its log. A stage that needs more extends it
 * (`interface LoginDeps extends ActDeps { loggedIn(...) }`) instead of declaring its own copy.
 */
export interface ActDeps {
  exec: Exec;
  log(message: string): void;
  warn(message: string): void;
}

/** The exit code of a program found but not runnable, as a shell reports it (127: EXIT_NOT_FOUND). */
export const EXIT_CANNOT_RUN = 126;
export const EXIT_TIMED_OUT = 124;

/** A probe or read-only command that has not answered in 3 minutes is wedged (a hung engine). */
export const DEFAULT_TIMEOUT_MS = 180_000;
/** A command that may pull an image first (a builder's BuildKit, the QEMU installer). */
export const PULL_TIMEOUT_MS = 600_000;
/** The build and the push themselves: as long as they take (the job's own timeout bounds them). */
export const NO_TIMEOUT = 0;

export interface ExecOptions {
  /** Where the echoed command and streamed output go (process.stdout). */
  write?: (text: string) => void;
  /** Aborting kills every process still running (the signal path, see src/ports/signals.ts). */
  signal?: AbortSignal;
  /** The bound of a request that sets none (MULTIARCH_COMMAND_TIMEOUT seconds overrides it). */
  defaultTimeoutMs?: number;
}

/** The name a message uses for a command: its first words, not its (possibly huge) values. */
export function commandName(argv: string[]): string {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-') || words.length === 4 || a.length > 40) break;
    words.push(a);
  }
  return words.join(' ') || String(argv[0]);
}

/**
 * The longest `[command]` line the log gets: enough for every real docker command with its flags,
 * while 5,000 tags would print megabytes on one line (a runner's log viewer stops rendering those).
 */
export const COMMAND_LOG_MAX = 8192;

/** The `[command]` text of an argv: its words up to COMMAND_LOG_MAX, then what was left out. */
export function commandLine(argv: string[]): string {
  let line = '';
  let i = 0;
  for (; i < argv.length; i++) {
    const next = i ? `${line} ${argv[i]}` : argv[i]!;
    if (next.length > COMMAND_LOG_MAX) break;
    line = next;
  }
  if (i === argv.length) return line;
  let rest = 0;
  for (let j = i; j < argv.length; j++) rest += argv[j]!.length + 1;
  return `${line} … (${argv.length - i} more argument(s), ${rest} characters, not shown)`;
}

/** The longest of many strings' lengths, without spreading them onto the call stack (180k arguments overflow it). */
function longest(values: Iterable<string>): number {
  let n = 0;
  for (const v of values) if (v.length > n) n = v.length;
  return n;
}

/** The environment's largest variable when it is what broke the spawn; else ''. */
function bigVariable(env: Record<string, string> | undefined): string {
  let name = '';
  let size = 0;
  for (const [k, v] of Object.entries(env ?? {}))
    if (k.length + v.length + 1 > size) [name, size] = [k, k.length + v.length + 1];
  // the kernel refuses any one string over 128 KiB (MAX_ARG_STRLEN); more than 64 KiB crowds the rest
  return size > 64 * 1024 ? `; the environment variable ${name} alone has ${size} characters` : '';
}

/** A spawn that threw or failed: a failed result like a shell's, never an exception. */
function spawnFailure(argv: string[], err: unknown, env?: Record<string, string>): ExecResult {
  const e = err as NodeJS.ErrnoException;
  const name = commandName(argv);
  if (e?.code === 'ENOENT')
    return { code: EXIT_NOT_FOUND, stdout: '', stderr: `${argv[0]}: ${NOT_ON_PATH}; cannot run ${name}` };
  if (e?.code === 'E2BIG') {
    let total = 0;
    for (const a of argv) total += a.length + 1;
    return {
      code: EXIT_CANNOT_RUN,
      stdout: '',
      stderr: `cannot start ${name}: its command line is too long for the system (spawn E2BIG; ${argv.length} arguments, ${total} characters in all; the longest argument has ${longest(argv)} characters${bigVariable(env)}): shorten the value`,
    };
  }
  const nul = argv.findIndex((a) => a.includes('\0'));
  if (nul >= 0) {
    const shown = JSON.stringify(argv[nul]!.slice(0, 60)).replace(/\\u0000/g, '\\0');
    return {
      code: EXIT_CANNOT_RUN,
      stdout: '',
      stderr: `cannot start ${name}: argument ${nul} (${shown}…) contains a NUL byte, which no command line can carry: remove it from the value it comes from`,
    };
  }
  return {
    code: EXIT_CANNOT_RUN,
    stdout: '',
    stderr: `cannot start ${name}: ${(e as Error | undefined)?.message ?? String(err)}`,
  };
}

/** Kill a child and everything it started: it leads its own process group (detached). */
function killTree(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone already: the child itself, if it is still there
  }
}

/**
 * The runner's command files: a process that can write them sets outputs, state, PATH and the
 * environment of every later step. Only the action itself writes them.
 */
const RUNNER_FILES = ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];

/**
 * A variable no child process inherits: the action's inputs (INPUT_*: passwords, github-token),
 * the post step's state (STATE_*), the runner's service tokens and addresses (ACTIONS_*: the
 * runtime token, the OIDC token request, the cache and results services) and the runner's command
 * files. docker, buildx, git and the credential helpers and kubectl plugins docker starts need
 * none of them; a request that needs one passes it in its own `env` (the gha cache's token to
 * buildx). A deny-list, not an allow-list: those helpers and plugins read variables of their own
 * (AWS_*, KUBECONFIG, CLOUDSDK_*, proxies, SSH_AUTH_SOCK, DOCKER_*, BUILDX_*, …) that no list
 * here could name.
 */
export function withheldVariable(name: string): boolean {
  const n = name.toUpperCase();
  return /^(?:INPUT_|STATE_|ACTIONS_)/.test(n) || RUNNER_FILES.includes(n);
}

/** The environment a child process starts with: the base environment less what is withheld, then the request's own. */
export function childEnv(
  baseEnv: NodeJS.ProcessEnv,
  reqEnv: Record<string, string> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined && !withheldVariable(k)) env[k] = v;
  return Object.assign(env, reqEnv ?? {});
}

/** Stops `child` after `bound` ms (0: never), then reports the timeout; returns the timer to clear. */
function deadline(child: ChildProcess, bound: number, onTimeout: () => void): NodeJS.Timeout | undefined {
  if (bound <= 0) return undefined;
  return setTimeout(() => {
    killTree(child);
    // not waiting for 'close': a grandchild that left the group may hold the pipes open
    child.stdout?.destroy();
    child.stderr?.destroy();
    onTimeout();
  }, bound);
}

/**
 * The real gateway, on node's child_process (spawn, no shell). Never throws for what a command
 * does: a non-zero exit, a spawn that fails (synchronously, like E2BIG, or later, like ENOENT), a
 * timeout and an abort are all results (only an empty argv, a caller's bug, throws). @actions/exec is not used: it neither kills a process on a timeout nor catches a
 * synchronous spawn error, and it streams output unfiltered (see log-safe.ts).
 */
export function createExec(baseEnv: NodeJS.ProcessEnv = process.env, opts: ExecOptions = {}): Exec {
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  const envSeconds = Number(baseEnv.MULTIARCH_COMMAND_TIMEOUT);
  const defaultMs = envSeconds > 0 ? envSeconds * 1000 : (opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  const running = new Set<ChildProcess>();
  opts.signal?.addEventListener('abort', () => running.forEach(killTree), { once: true });
  return (req) =>
    new Promise<ExecResult>((resolve) => {
      const [tool, ...args] = req.argv;
      if (!tool) throw new Error('exec: empty argv');
      const env = childEnv(baseEnv, req.env);
      const log = req.silent ? undefined : new SafeLogWriter(write);
      log?.write(`[command]${commandLine(req.argv)}\n`);
      if (opts.signal?.aborted)
        return resolve({
          code: 130,
          stdout: '',
          stderr: `${commandName(req.argv)}: not started, the run was interrupted`,
        });
      let child: ChildProcess;
      try {
        child = spawn(tool, args, { cwd: req.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      } catch (err) {
        log?.end();
        return resolve(spawnFailure(req.argv, err, env));
      }
      running.add(child);
      let stdout = '';
      let stderr = '';
      let done = false;
      let readerFailed = false;
      const finish = (res: ExecResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        running.delete(child);
        log?.end();
        resolve(res);
      };
      const bound = req.timeoutMs ?? defaultMs;
      const timer = deadline(child, bound, () => {
        const what = `${commandName(req.argv)} did not answer within ${Math.round(bound / 1000)} s and was stopped`;
        finish({
          code: EXIT_TIMED_OUT,
          stdout,
          stderr: stderr ? `${stderr.trimEnd()}\n${what}` : what,
          timedOut: true,
        });
      });
      let reading: Promise<void> | undefined;
      if (req.readStdout) {
        reading = req.readStdout(child.stdout!).catch((err: unknown) => {
          killTree(child);
          child.stdout!.resume();
          const why = errorMessage(err);
          stderr = stderr ? `${stderr.trimEnd()}\n${why}` : why;
          readerFailed = true;
        });
      } else {
        child.stdout!.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          log?.write(d);
        });
      }
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        log?.write(d);
      });
      child.on('error', (err) => finish(spawnFailure(req.argv, err, env)));
      // killed by a signal: 128 + its number, as a shell reports it; a streamed stdout is read to its end first
      child.on('close', (code, signal) => {
        const exit = code ?? 128 + (signal ? constants.signals[signal] : 0);
        void (reading ?? Promise.resolve()).then(() =>
          finish({ code: readerFailed ? exit || 1 : exit, stdout, stderr }),
        );
      });
      // a process that exits without reading its stdin must not fail the run with EPIPE
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(req.stdin ?? '');
    });
}

/**
 * An Exec whose every process also gets `overlay` in its environment (a request's own env still
 * wins). Used for the run's per-job DOCKER_CONFIG, so every stage's docker call sees it.
 */
export function withEnv(exec: Exec, overlay: Record<string, string>): Exec {
  return (req) => exec({ ...req, env: { ...overlay, ...(req.env ?? {}) } });
}

/** How much of one argv or one answer a debug line shows. */
const DEBUG_CLIP = 4000;

/**
 * An Exec that tells every request and its answer at the debug tier (`core.debug`: shown when the
 * user turns on step debug logging): the argv as JSON, so each element is seen as the command got
 * it; the names of the variables a request sets, never their values; never stdin (passwords go
 * there); then the exit code and, for a silent request (a probe), what it answered.
 */
export function withDebug(exec: Exec, debug: (message: string) => void): Exec {
  const clip = (t: string) => (t.length > DEBUG_CLIP ? `${t.slice(0, DEBUG_CLIP)}… (${t.length} characters)` : t);
  return async (req) => {
    const envNames = Object.keys(req.env ?? {});
    debug(`exec: ${clip(JSON.stringify(req.argv))}${envNames.length ? ` with ${envNames.join(', ')} set` : ''}`);
    const res = await exec(req);
    const answer = req.silent && res.stdout.trim() ? `, answered: ${clip(res.stdout.trim())}` : '';
    debug(`exec: ${commandName(req.argv)}: exit ${res.code}${answer}`);
    return res;
  };
}
