import { parse } from 'shell-quote';

import { parseList } from '../lists.js';
import type { Collector, Getter } from './collect.js';
import type { StepForm } from './form.js';

/** arch-check: true checks what the build made, full also the base image's files, false skips. */
export type ArchCheckMode = 'true' | 'false' | 'full';

/**
 * Pure: split a smoke-test command into argv. Quotes and backslashes work as in a shell;
 * $VARS are kept literally (they are not the host's); pipes, redirections and && are refused,
 * since there is no shell: write `sh -c '...'` for those.
 */
export function splitCommand(command: string): string[] {
  const argv: string[] = [];
  for (const entry of parse(command, (key: string) => `$${key}`)) {
    if (typeof entry === 'string') argv.push(entry);
    else if ('op' in entry && entry.op === 'glob') argv.push((entry as { pattern: string }).pattern);
    else if ('op' in entry) {
      throw new Error(`"${entry.op}" needs a shell, and the command runs without one: write it as sh -c '...'`);
    }
    // comments are dropped
  }
  if (argv.length === 0) throw new Error('is empty: give a command to run in the image, e.g. uname -m');
  return argv;
}

export interface VerifyInputs {
  /** Check base images' platforms before building. */
  preflight: boolean;
  /** Read the pushed index back and check its platforms (only when pushing). */
  verify: boolean;
  /** argv to run in the image once per platform; [] = no smoke test. */
  smokeTest: string[];
  /** Extra attempts for a push that fails on a transient registry error. */
  pushRetries: number;
  /** Bound of each platform's smoke-test run in seconds; 0 = none. */
  smokeTestTimeout: number;
  /** Compare every platform's ELF files with the platform: the build's own layers (true), all (full), or not. */
  archCheck: ArchCheckMode;
  /** Image paths or globs the arch check skips. */
  archCheckIgnore: string[];
  /**
   * Wrong-architecture files are warnings, not a failure: arch-check left unset in build-push-action's
   * form, so a step pasted from build-push-action never fails where build-push-action passes.
   */
  archCheckWarnOnly: boolean;
}

export function parseVerifyInputs(get: Getter, c: Collector, form: StepForm = 'multiarch'): VerifyInputs {
  const preflight = c.bool('preflight', get('preflight'), true);
  const verify = c.bool('verify', get('verify'), true);
  const smokeTest = c.field('smoke-test', () => (get('smoke-test').trim() ? splitCommand(get('smoke-test')) : []), []);
  const pushRetries = c.field(
    'push-retries',
    () => {
      const raw = get('push-retries').trim();
      if (raw === '') return 3;
      if (!/^\d+$/.test(raw) || Number(raw) > 10)
        throw new Error(`"${raw}" is not valid: use a whole number from 0 (no retries) to 10`);
      return Number(raw);
    },
    3,
  );
  const smokeTestTimeout = c.field(
    'smoke-test-timeout',
    () => {
      const raw = get('smoke-test-timeout').trim();
      if (raw === '') return 300;
      if (!/^\d+$/.test(raw)) throw new Error(`"${raw}" is not valid: use a whole number of seconds (0: no limit)`);
      return Number(raw);
    },
    300,
  );
  const archCheck = c.oneOf<ArchCheckMode>('arch-check', get('arch-check'), ['true', 'full', 'false'], 'true', {
    meaning: 'true (the layers this build added), full (every layer) or false',
  });
  const archCheckIgnore = parseList(get('arch-check-ignore'));
  const archCheckWarnOnly = form === 'build-push-action' && get('arch-check').trim() === '';
  return { preflight, verify, smokeTest, pushRetries, smokeTestTimeout, archCheck, archCheckIgnore, archCheckWarnOnly };
}
