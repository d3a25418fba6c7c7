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
  /**
   * A Dockerfile's stage names (oci/dockerfile.ts's stageNames, loaded by the input pass only when
   * target or no-cache-filters is set); unset: the stages those name are not checked.
   */
  stageNames?(dockerfile: string): string[] | undefined;
}

/** How Collector.oneOf reads a value and words its error. */
export interface OneOfWords<T> {
  /** What each value means, for the error ("auto (…), true (…) or false"). */
  meaning?: string;
  /** What the value is not ("not a buildx driver"). */
  notA?: string;
  /** Compared as written (by default lower-cased first). */
  exact?: boolean;
  /** The value the parse goes on with after an error. */
  invalid?: T;
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

  /**
   * An input that names one of `values` ('' = `fallback`; compared lower-cased unless `exact`);
   * anything else is an error `"<value>" is <notA>: use <meaning>` (by default "not valid" and the
   * values), and the parse goes on with `invalid` (by default `fallback`).
   */
  oneOf<T extends string>(input: string, raw: string, values: readonly T[], fallback: T, words: OneOfWords<T> = {}): T {
    const shown = raw.trim();
    const v = (words.exact ? shown : shown.toLowerCase()) || fallback;
    if ((values as readonly string[]).includes(v)) return v as T;
    this.fail(input, `"${shown}" is ${words.notA ?? 'not valid'}: use ${words.meaning ?? values.join(', ')}`);
    return words.invalid ?? fallback;
  }

  fail(input: string, detail: string): void {
    this.errors.push(new InputError(input, detail));
  }

  has(input: string): boolean {
    return this.errors.some((e) => e.input === input);
  }
}
