/**
 * The one rule for values that reach a command line as operands (a registry for docker login, a
 * BuildKit endpoint, an image reference from a Dockerfile): a value that starts with "-" would be
 * read as an option (`docker login --help` exits 0, and the log would say "logged in"). Such a value
 * is refused where it enters: an input error naming the input, or, for a value a Dockerfile decides,
 * skipped with a warning. Commands that accept it also get `--` before their operands.
 */
import { clipLongWords } from '../errors.js';

export function readsAsOption(value: string): boolean {
  return value.startsWith('-');
}

/** Throws (for a Collector to name the input) when `value` would be read as an option, not as `what`. */
export function checkOperand(value: string, what: string): void {
  if (readsAsOption(value)) {
    throw new Error(`"${clipLongWords(value, 80)}" starts with "-": docker would read it as an option, not as ${what}`);
  }
}
