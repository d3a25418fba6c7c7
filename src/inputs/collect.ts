import { InputError } from '../errors.js';

/** Reads raw input values: the runner's INPUT_* (action) or --flags (CLI). */
export type Getter = (name: string) => string;

/**
 * Collects input problems so every bad input is reported at once. `field` runs a parser for one
 * input and records its error (naming the input) instead of throwing.
 */
export class Collector {
  readonly errors: InputError[] = [];

  field<T>(input: string, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (err) {
      this.errors.push(err instanceof InputError ? err : new InputError(input, err instanceof Error ? err.message : String(err)));
      return fallback;
    }
  }

  fail(input: string, detail: string): void {
    this.errors.push(new InputError(input, detail));
  }

  has(input: string): boolean {
    return this.errors.some((e) => e.input === input);
  }
}
