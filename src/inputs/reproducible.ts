import { InputError } from '../errors.js';
import type { Collector, Getter } from './collect.js';

export interface ReproducibleInputs {
  /**
   * Same commit, same image digests: SOURCE_DATE_EPOCH is the commit's time (unless the user set
   * one) and the image exporter rewrites every timestamp to it (see src/stages/meta/source-date.ts).
   */
  reproducible: boolean;
}

/** The build-arg that carries the source date, as BuildKit and the Dockerfile frontend read it. */
export const SOURCE_DATE_EPOCH = 'SOURCE_DATE_EPOCH';

/**
 * The one rule for a SOURCE_DATE_EPOCH value, wherever it comes from (the user's, git's, a payload's
 * or the API's date): whole seconds since 1970, at most 12 digits (year 33658: inside what a Date
 * can hold, so the created label never throws).
 */
export function isEpochSeconds(value: string): boolean {
  return /^\d{1,12}$/.test(value);
}

/** The user's own `SOURCE_DATE_EPOCH=value` build-arg, undefined when there is none (a bare name is the environment's). */
export function userEpochArg(buildArgs: string[]): string | undefined {
  const arg = buildArgs.find((a) => a.startsWith(`${SOURCE_DATE_EPOCH}=`));
  return arg === undefined ? undefined : arg.slice(SOURCE_DATE_EPOCH.length + 1);
}

/**
 * The user's own source date, first found wins: the `SOURCE_DATE_EPOCH=value` build-arg, then the
 * environment's value (a bare build-arg name is the environment's, which buildx reads itself).
 * Under reproducible the input pass holds both to isEpochSeconds, so what this returns is checked.
 */
export function userSourceDate(
  buildArgs: string[],
  env: string | undefined,
): { epoch: string; from: 'build-arg' | 'environment' } | undefined {
  const arg = userEpochArg(buildArgs);
  if (arg !== undefined) return { epoch: arg, from: 'build-arg' };
  const value = env?.trim();
  return value ? { epoch: value, from: 'environment' } : undefined;
}

/**
 * reproducible, and its rules with the inputs it meets: the engine's own builder (driver docker)
 * cannot rewrite timestamps (its image exporter unpacks into the engine: "exporter option
 * rewrite-timestamp conflicts with unpack"), and a SOURCE_DATE_EPOCH build-arg must be whole seconds.
 */
export function parseReproducibleInputs(
  get: Getter,
  c: Collector,
  given: { driver: string; builder: string; buildArgs: string[] },
): ReproducibleInputs {
  const reproducible = c.bool(
    'reproducible',
    get('reproducible'),
    false,
    'true (same commit, same image digests) or false',
  );
  if (!reproducible) return { reproducible };
  if (given.driver === 'docker' && !given.builder) {
    c.fail(
      'reproducible',
      "true cannot be used with driver: docker: the engine's own builder cannot rewrite image timestamps (its exporter refuses rewrite-timestamp with unpack); use driver: auto (it then creates a docker-container builder) or docker-container, or remove reproducible",
    );
  }
  const arg = userEpochArg(given.buildArgs);
  if (arg !== undefined && !isEpochSeconds(arg)) {
    c.fail(
      'build-args',
      `${SOURCE_DATE_EPOCH} must be whole seconds since 1970 (e.g. ${SOURCE_DATE_EPOCH}=1700000000) with reproducible: true`,
    );
  }
  return { reproducible };
}

/**
 * The environment's SOURCE_DATE_EPOCH wins over the commit's time under reproducible, so it must be
 * whole seconds too; checked with the other environment rules, before any docker command.
 */
export function sourceDateEnvError(i: ReproducibleInputs, env: NodeJS.ProcessEnv): InputError | undefined {
  const value = userSourceDate([], env[SOURCE_DATE_EPOCH])?.epoch;
  if (!i.reproducible || value === undefined || isEpochSeconds(value)) return undefined;
  return new InputError(
    'reproducible',
    `the environment's ${SOURCE_DATE_EPOCH} is not whole seconds since 1970 (e.g. 1700000000): fix or unset it, or set reproducible: false`,
  );
}
