/**
 * The end of the main step, in one place: the one ::error of a failed run, then the `pushed` output
 * (writePushed: a stage that pushed has written it already, for a job cancelled later) and the step
 * summary, written once whether the run succeeded, failed, was a dry run or a merge with nothing to push.
 */
import { clipMessage, errorMessage, StageError } from '../errors.js';
import type { Host } from '../ports/host.js';
import { type RunReport, writePushed } from '../run/run.js';
import { summaryTable, type Timing } from '../run/summary.js';

/** One ::error for a failed run (its outputs so far stay set); the step fails. */
export function reportFailure(host: Host, err: unknown, runnerTemp: string): void {
  if (err instanceof StageError) {
    host.error(err.message, {
      title: `multiarch-action: ${err.stage} failed`,
      file: err.annotation?.file,
      startLine: err.annotation?.line,
    });
  } else if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') {
    // Node's message names no path ("ENOSPC: no space left on device, write"): say where
    host.error(
      `no space left on device while writing the run's files (temp folder and docker config, under RUNNER_TEMP ${runnerTemp}): free space there and re-run. The post step removes what this run created. (${errorMessage(err)})`,
      { title: 'multiarch-action: disk full' },
    );
  } else {
    host.error(clipMessage(errorMessage(err)), { title: 'multiarch-action failed' });
  }
  host.fail();
}

/** The end of every run: after a failure the `pushed` output too (best effort), then the summary. */
export async function finishReport(
  host: Host,
  report: RunReport,
  timings: Timing[],
  status: 'succeeded' | 'failed',
): Promise<void> {
  if (status === 'failed') {
    // the failure is reported even when the outputs file cannot take one more line
    try {
      writePushed(host, report);
    } catch {
      // the ::error already written is the one to read
    }
  }
  const table = summaryTable(report.refs, report.digest ?? '', report.platforms, report.pushed, timings, {
    imageid: report.imageid,
    cache: report.cache?.hit,
    status,
  });
  await writeSummary(host, table + (report.cache?.markdown ?? '') + report.verification);
}

/** The summary is a report, not the result: one that cannot be written is a warning that says where. */
async function writeSummary(host: Host, markdown: string): Promise<void> {
  try {
    await host.summary(markdown);
  } catch (err) {
    host.warning(clipMessage(errorMessage(err)));
  }
}
