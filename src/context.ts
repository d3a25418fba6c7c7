import * as fs from 'node:fs';

/** What the pipeline knows about the run: read once from the environment, then passed around. */
export interface RunContext {
  workspace: string;
  runnerTemp: string;
  eventName: string;
  /** Full git ref, e.g. refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge. */
  ref: string;
  sha: string;
  repository: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  job: string;
  /** The event payload (GITHUB_EVENT_PATH), {} when absent or unreadable. */
  payload: Record<string, unknown>;
}

export function readRunContext(env: NodeJS.ProcessEnv, cwd: string): RunContext {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH && fs.existsSync(env.GITHUB_EVENT_PATH)) {
    try {
      payload = JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch {
      payload = {};
    }
  }
  return {
    workspace: env.GITHUB_WORKSPACE || cwd,
    runnerTemp: env.RUNNER_TEMP || `${env.TMPDIR || '/tmp'}`,
    eventName: env.GITHUB_EVENT_NAME || '',
    ref: env.GITHUB_REF || '',
    sha: env.GITHUB_SHA || '',
    repository: env.GITHUB_REPOSITORY || '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    runId: env.GITHUB_RUN_ID || '',
    runAttempt: env.GITHUB_RUN_ATTEMPT || '',
    job: env.GITHUB_JOB || '',
    payload,
  };
}
