import * as actionsExec from '@actions/exec';

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

/** A gateway that adds `env` to every request (e.g. the per-job DOCKER_CONFIG for every later docker call). */
export function withEnv(exec: Exec, env: Record<string, string>): Exec {
  return (req) => exec({ ...req, env: { ...env, ...(req.env ?? {}) } });
}
