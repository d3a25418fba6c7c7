import { parseBool } from '../lists.js';
import { splitCommand } from '../stages/smoke.js';
import type { Collector, Getter } from './collect.js';

export interface VerifyInputs {
  /** Check base images' platforms before building. */
  preflight: boolean;
  /** Read the pushed index back and check its platforms (only when pushing). */
  verify: boolean;
  /** argv to run in the image once per platform; [] = no smoke test. */
  smokeTest: string[];
  /** Extra attempts for a push that fails on a transient registry error. */
  pushRetries: number;
}

function bool(c: Collector, get: Getter, name: string, fallback: boolean): boolean {
  return c.field(
    name,
    () => {
      try {
        return parseBool(get(name)) ?? fallback;
      } catch {
        throw new Error(`"${get(name)}" is not valid: use true or false`);
      }
    },
    fallback,
  );
}

export function parseVerifyInputs(get: Getter, c: Collector): VerifyInputs {
  const preflight = bool(c, get, 'preflight', true);
  const verify = bool(c, get, 'verify', true);
  const smokeTest = c.field('smoke-test', () => (get('smoke-test').trim() ? splitCommand(get('smoke-test')) : []), []);
  const pushRetries = c.field(
    'push-retries',
    () => {
      const raw = get('push-retries').trim();
      if (raw === '') return 3;
      if (!/^\d+$/.test(raw) || Number(raw) > 10) throw new Error(`"${raw}" is not valid: use a whole number from 0 (no retries) to 10`);
      return Number(raw);
    },
    3,
  );
  return { preflight, verify, smokeTest, pushRetries };
}
