import { parseBool } from '../lists.js';
import type { Collector, Getter } from './collect.js';

export interface DryRunInputs {
  /** Plan every stage, print it and set the outputs, but run no docker command that changes anything. */
  dryRun: boolean;
}

export function parseDryRunInputs(get: Getter, c: Collector): DryRunInputs {
  const dryRun = c.field(
    'dry-run',
    () => {
      try {
        return parseBool(get('dry-run')) ?? false;
      } catch {
        throw new Error(`"${get('dry-run')}" is not valid: use true or false`);
      }
    },
    false,
  );
  return { dryRun };
}
