import type { Collector, Getter } from './collect.js';

export interface DryRunInputs {
  /** Plan every stage, print it and set the outputs, but run no docker command that changes anything. */
  dryRun: boolean;
}

export function parseDryRunInputs(get: Getter, c: Collector): DryRunInputs {
  return { dryRun: c.bool('dry-run', get('dry-run'), false) };
}
