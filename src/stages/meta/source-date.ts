/**
 * reproducible: the build's SOURCE_DATE_EPOCH, the time of the commit it builds. Where it comes
 * from, first found wins: the user's own SOURCE_DATE_EPOCH build-arg, the SOURCE_DATE_EPOCH
 * environment variable, the checkout's git (the commit time of the sha), the event payload
 * (head_commit, commits[]), the GitHub API's commit (a job without a checkout).
 */
import { isEpochSeconds, SOURCE_DATE_EPOCH, userSourceDate } from '../../inputs/reproducible.js';

export type SourceDateOrigin = 'build-arg' | 'environment' | 'git' | 'event payload' | 'GitHub API';

export interface SourceDate {
  /** Whole seconds since 1970. */
  epoch: string;
  from: SourceDateOrigin;
}

/** What each place says (undefined: it says nothing); ISO dates for the payload's and the API's. */
export interface SourceDateClues {
  buildArgs: string[];
  env?: string;
  git?: string;
  payloadDate?: string;
  apiDate?: string;
}

/** Pure: an ISO 8601 date as whole seconds, undefined when it is not a date. */
export function isoToEpoch(iso: string | undefined): string | undefined {
  const ms = iso ? Date.parse(iso) : NaN;
  const epoch = Number.isFinite(ms) && ms >= 0 ? String(Math.floor(ms / 1000)) : undefined;
  // held to the rule a user's value meets (a payload may carry a year 275760)
  return epoch !== undefined && isEpochSeconds(epoch) ? epoch : undefined;
}

/**
 * Pure: the source date by the order above, undefined when nothing says. The user's value (build-arg,
 * environment) is taken as given: the input pass has already refused one that is not whole seconds.
 */
export function pickSourceDate(c: SourceDateClues): SourceDate | undefined {
  const found: [string | undefined, SourceDateOrigin][] = [
    [c.git && isEpochSeconds(c.git) ? c.git : undefined, 'git'],
    [isoToEpoch(c.payloadDate), 'event payload'],
    [isoToEpoch(c.apiDate), 'GitHub API'],
  ];
  const hit = found.find(([value]) => value !== undefined);
  return userSourceDate(c.buildArgs, c.env) ?? (hit ? { epoch: hit[0]!, from: hit[1] } : undefined);
}

/** Pure: the log line saying which source date the build uses and where it came from. */
export function describeSourceDate(d: SourceDate, sha: string): string {
  const when = new Date(Number(d.epoch) * 1000).toISOString();
  const of =
    d.from === 'build-arg' || d.from === 'environment'
      ? `your own, from the ${d.from}`
      : `commit ${sha.slice(0, 12) || '(no sha)'}, from ${d.from}`;
  return `reproducible: ${SOURCE_DATE_EPOCH}=${d.epoch} (${when}, ${of}); image timestamps are rewritten to it`;
}
