import { errorMessage, InputError } from '../errors.js';
import { parseBool } from '../lists.js';

/** How an input is read: trimmed (as core.getInput) unless raw (metadata-action's sep-* inputs). */
export interface GetOptions {
  raw?: boolean;
}

/** Reads input values: the runner's INPUT_* (action) or --flags (CLI). */
export type Getter = (name: string, opts?: GetOptions) => string;

/** Where paths in the inputs are resolved and checked. */
export interface InputEnv {
  workspace: string;
  exists(p: string): boolean;
  /** Where a path really leads, links resolved (Files.realPath); unset: the link rule is not checked. */
  realPath?(p: string): string | undefined;
  /** A file's text, undefined when it cannot be read (then what it holds is not checked). */
  readFile?(p: string): string | undefined;
}

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
      this.errors.push(err instanceof InputError ? err : new InputError(input, errorMessage(err)));
      return fallback;
    }
  }

  /** A true/false input ('' = fallback); anything else is an error saying what each value means. */
  bool(input: string, raw: string, fallback: boolean, meaning = 'true or false'): boolean {
    return this.field(
      input,
      () => {
        try {
          return parseBool(raw) ?? fallback;
        } catch {
          throw new Error(`"${raw}" is not valid: use ${meaning}`);
        }
      },
      fallback,
    );
  }

  fail(input: string, detail: string): void {
    this.errors.push(new InputError(input, detail));
  }

  has(input: string): boolean {
    return this.errors.some((e) => e.input === input);
  }
}
