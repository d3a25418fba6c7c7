/**
 * reproducible: the build's SOURCE_DATE_EPOCH, the time of the commit it builds. Where it comes
 * from, first found wins: the user's own SOURCE_DATE_EPOCH build-arg, the SOURCE_DATE_EPOCH
 * environment variable, the checkout's git (the commit time of the sha), the event payload
 * (head_commit, commits[]), the GitHub API's commit (a job without a checkout).
 */
import { EPOCH_SECONDS, SOURCE_DATE_EPOCH, userEpochArg } from '../../inputs/reproducible.js';

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
  return epoch !== undefined && EPOCH_SECONDS.test(epoch) ? epoch : undefined;
}

/**
 * Pure: the source date by the order above, undefined when nothing says. A user's value (build-arg,
 * environment) that is not whole seconds is an error: it would win, and BuildKit would refuse it.
 */
export function pickSourceDate(c: SourceDateClues): SourceDate | undefined {
  const arg = userEpochArg(c.buildArgs);
  // a bare SOURCE_DATE_EPOCH build-arg is the environment's value, read by buildx itself
  const env = c.env?.trim() || undefined;
  const user: [string | undefined, SourceDateOrigin][] = [
    [arg, 'build-arg'],
    [env, 'environment'],
  ];
  for (const [value, from] of user) {
    if (value === undefined) continue;
    if (!EPOCH_SECONDS.test(value))
      throw new Error(`${SOURCE_DATE_EPOCH} from the ${from} must be whole seconds since 1970, e.g. 1700000000`);
    return { epoch: value, from };
  }
  const found: [string | undefined, SourceDateOrigin][] = [
    [c.git && EPOCH_SECONDS.test(c.git) ? c.git : undefined, 'git'],
    [isoToEpoch(c.payloadDate), 'event payload'],
    [isoToEpoch(c.apiDate), 'GitHub API'],
  ];
  const hit = found.find(([value]) => value !== undefined);
  return hit ? { epoch: hit[0]!, from: hit[1] } : undefined;
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
