import * as actionsExec from '@actions/exec';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * The one gateway through which every process is started. Arguments are an argv array and
 * never pass through a shell; secrets go through stdin.
 */
export interface ExecRequest {
  argv: string[];
  /** Written to the process's stdin (e.g. a password for --password-stdin). */
  stdin?: string;
  cwd?: string;
  /** Extra environment variables, merged over the current environment. */
  env?: Record<string, string>;
  /** Do not echo the command or stream its output to the log. */
  silent?: boolean;
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
}

export type Exec = (req: ExecRequest) => Promise<ExecResult>;

function quoteTool(tool: string): string {
  // @actions/exec splits its first argument like a command line; quote a tool path with spaces.
  return /[\s"]/.test(tool) ? `"${tool.replace(/"/g, '\\"')}"` : tool;
}

/** The real gateway, on @actions/exec (spawn without a shell). Never throws for a non-zero exit. */
export function createExec(baseEnv: NodeJS.ProcessEnv = process.env): Exec {
  return async (req) => {
    const [tool, ...args] = req.argv;
    if (!tool) throw new Error('exec: empty argv');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
    Object.assign(env, req.env ?? {});
    if (req.readStdout) return execStreaming(tool, args, env, req);
    try {
      const out = await actionsExec.getExecOutput(quoteTool(tool), args, {
        ignoreReturnCode: true,
        silent: req.silent ?? false,
        cwd: req.cwd,
        env,
        input: req.stdin !== undefined ? Buffer.from(req.stdin) : undefined,
      });
      return { code: out.exitCode, stdout: out.stdout, stderr: out.stderr };
    } catch (err) {
      // spawn failure (e.g. docker not installed): report as a failed command, 127 like a shell
      return { code: 127, stdout: '', stderr: err instanceof Error ? err.message : String(err) };
    }
  };
}

/** spawn without a shell; stdout goes to req.readStdout, stderr is collected (and echoed unless silent). */
function execStreaming(tool: string, args: string[], env: Record<string, string>, req: ExecRequest): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { cwd: req.cwd, env, stdio: [req.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    let stderr = '';
    let readerError: unknown;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!req.silent) process.stderr.write(d);
    });
    if (req.stdin !== undefined) child.stdin?.end(req.stdin);
    const reading = req.readStdout!(child.stdout).catch((err: unknown) => {
      readerError = err;
      child.stdout.resume();
      child.kill();
    });
    child.on('error', (err) => resolve({ code: 127, stdout: '', stderr: err.message }));
    child.on('close', (code) => {
      void reading.then(() => {
        if (readerError !== undefined) resolve({ code: code || 1, stdout: '', stderr: `${stderr}${readerError instanceof Error ? readerError.message : String(readerError)}` });
        else resolve({ code: code ?? 1, stdout: '', stderr });
      });
    });
  });
}

/**
 * An Exec whose every process also gets `overlay` in its environment (a request's own env still
 * wins). Used for the run's per-job DOCKER_CONFIG, so every stage's docker call sees it.
 */
export function withEnv(exec: Exec, overlay: Record<string, string>): Exec {
  return (req) => exec({ ...req, env: { ...overlay, ...(req.env ?? {}) } });
}
