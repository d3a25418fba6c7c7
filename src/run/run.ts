import type { Completed } from '../context/github-api.js';
import type { RunContext } from '../context/run-context.js';
import type { Inputs } from '../inputs/index.js';
import type { PushDecision } from '../inputs/push.js';
import type { Deps } from '../ports/deps.js';
import type { ActDeps, Exec } from '../ports/exec.js';
import type { Host } from '../ports/host.js';
import type { StateStore } from './state.js';
import type { Timing } from './summary.js';

/**
 * One run of the main step, shared by the stages' wiring (src/stages/<stage>/wiring.ts): what was parsed, where it works,
 * and the exec gateway every docker call goes through (dry run and the per-job DOCKER_CONFIG
 * already applied).
 */
export interface Run extends Deps {
  ctx: RunContext;
  inputs: Inputs;
  push: PushDecision;
  /** The gateway of this run: Deps.exec with the dry run and the run's DOCKER_CONFIG applied. */
  exec: Exec;
  state: StateStore;
  tempDir: string;
  dockerConfig: string;
  timings: Timing[];
  /** Run `fn` as a named, timed log group (a row of the summary's stage times). */
  timed<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The event context completed from the GitHub API, read while the engine is probed. */
  repoApi: Promise<Completed>;
  /** What the summary and the failure path need, filled in as the run goes. */
  report: RunReport;
}

/**
 * What the run tells at its end, whatever happened (src/pipeline/report.ts: the `pushed` output,
 * through writePushed, and the step summary, once). Each stage's wiring fills in its part as it goes.
 */
export interface RunReport {
  refs: string[];
  /** The image's digest; '(dry run)' when nothing was built. */
  digest?: string;
  /** The platforms built (the inputs'), or those the merged index holds. */
  platforms: string[];
  imageid?: string;
  /** The push itself succeeded (a later verify or smoke failure does not undo it). */
  pushed: boolean;
  cache?: { hit: string; markdown: string };
  /** Markdown from verification (smoke results), also after a failed smoke test. */
  verification: string;
}

/** What a stage's act is given: the run's gateway, its log lines as info, its warnings as warnings. */
export function actDeps(run: Pick<Run, 'exec' | 'host'>): ActDeps {
  return { exec: run.exec, log: (m) => run.host.info(m), warn: (m) => run.host.warning(m) };
}

/**
 * The `pushed` output from the report: did the push happen (a later verify or smoke failure does
 * not undo it). Written as soon as a stage pushed, so a job cancelled later keeps it, and again by
 * the report at the end of every run (src/pipeline/report.ts).
 */
export function writePushed(host: Pick<Host, 'setOutput'>, report: Pick<RunReport, 'pushed'>): void {
  host.setOutput('pushed', String(report.pushed));
}

export function timedGroup(host: Host, now: () => number, timings: Timing[]): Run['timed'] {
  return async (name, fn) => {
    const start = now();
    try {
      return await host.group(name, fn);
    } finally {
      const seconds = (now() - start) / 1000;
      timings.push({ stage: name, seconds });
      // the summary rounds to tenths; a debug log (and the bench) keeps the milliseconds
      host.debug(`stage time: ${name} ${seconds.toFixed(3)}s`);
    }
  };
}
