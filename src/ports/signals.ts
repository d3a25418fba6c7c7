/**
 * The one signal path, for the action's main step and the CLI. Ctrl-C, a CI job timeout (GitLab
 * sends SIGTERM) or a cancelled workflow (the runner sends SIGINT, then SIGTERM) must never leave
 * the run's credentials or secret files behind, nor docker processes running on.
 *
 * A closed terminal or a dropped SSH session (SIGHUP) is a stop like the others.
 *
 * On the first SIGINT, SIGTERM or SIGHUP: every process the run started is killed (they run in their own
 * process groups, so a terminal's Ctrl-C reaches only us), then the same cleanup as the post step
 * runs, then the process exits 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP), as a shell reports it. The action's
 * main step has no cleanup of its own: the state it saved as it went tells its post step what to
 * remove, and the runner runs post after a cancellation too. A second signal while the cleanup
 * runs removes the run's files at once (credentials first of all) and exits.
 */
import { errorMessage } from '../errors.js';

export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** Where signals come from and how the process ends (node's `process` in production). */
export interface SignalSource {
  on(signal: StopSignal, handler: () => void): void;
  off(signal: StopSignal, handler: () => void): void;
  exit(code: number): void;
}

export interface StopPath {
  /** Kill every running process of the run; none starts after this. */
  abort(): void;
  /** The post step's cleanup (the CLI's; a no-op for the action's main step). */
  cleanup(): Promise<void>;
  /** The last resort of a second signal: remove the run's files now, synchronously. */
  removeNow(): void;
  log(message: string): void;
}

export const processSignals: SignalSource = {
  on: (s, h) => void process.on(s, h),
  off: (s, h) => void process.off(s, h),
  exit: (code) => process.exit(code),
};

/** Install the stop path; returns the function that removes it (a run that finished normally). */
export function onStopSignals(source: SignalSource, stop: StopPath): () => void {
  let stopping = false;
  const handlers = new Map<StopSignal, () => void>();
  for (const signal of Object.keys(STOP_SIGNALS) as StopSignal[]) {
    const code = STOP_SIGNALS[signal];
    const handler = () => {
      if (stopping) {
        stop.log(`${signal} again: removing the run's files now and exiting`);
        attempt(stop, () => stop.removeNow());
        source.exit(code);
        return;
      }
      stopping = true;
      stop.log(
        `${signal}: stopping the run's docker commands, then removing its builder, credentials and temporary files`,
      );
      attempt(stop, () => stop.abort());
      void stop
        .cleanup()
        .catch((err: unknown) => stop.log(`cleanup after ${signal} failed: ${errorMessage(err)}`))
        .finally(() => source.exit(code));
    };
    handlers.set(signal, handler);
    source.on(signal, handler);
  }
  return () => handlers.forEach((h, s) => source.off(s, h));
}

function attempt(stop: StopPath, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    stop.log(`while stopping: ${errorMessage(err)}`);
  }
}
