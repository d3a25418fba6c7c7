import type { RunContext } from './context.js';
import type { Deps, Files } from './deps.js';
import type { Exec } from './exec.js';
import type { Host } from './host.js';
import type { Inputs } from './inputs/index.js';
import type { Completed } from './meta/repo-api.js';
import type { StateStore } from './state.js';
import type { Timing } from './summary.js';

/**
 * One run of the main step, shared by its steps (src/steps.ts): what was parsed, where it works,
 * and the exec gateway every docker call goes through (dry run and the per-job DOCKER_CONFIG
 * already applied).
 */
export interface Run {
  deps: Deps;
  host: Host;
  files: Files;
  ctx: RunContext;
  inputs: Inputs;
  push: { push: boolean; reason: string };
  exec: Exec;
  state: StateStore;
  tempDir: string;
  dockerConfig: string;
  timings: Timing[];
  /** Run `fn` as a named, timed log group. */
  stage<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The event context completed from the GitHub API, read while the engine is probed. */
  repoApi: Promise<Completed>;
  /** What the summary and the failure path need, filled in as the run goes. */
  report: RunReport;
}

export interface RunReport {
  refs: string[];
  digest?: string;
  imageid?: string;
  /** The push itself succeeded (a later verify or smoke failure does not undo it). */
  pushed: boolean;
  cache?: { hit: string; markdown: string };
  /** Markdown from verification (smoke results), also after a failed smoke test. */
  verification: string;
}

export function timedStage(host: Host, now: () => number, timings: Timing[]): Run['stage'] {
  return async (name, fn) => {
    const start = now();
    try {
      return await host.group(name, fn);
    } finally {
      timings.push({ stage: name, seconds: (now() - start) / 1000 });
    }
  };
}
