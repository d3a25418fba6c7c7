/** A problem with one action input, found before any docker command runs. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly detail: string,
  ) {
    super(`Input "${input}": ${detail}`);
    this.name = 'InputError';
  }
}

/** Several input problems at once, so a user fixes them all in one go. */
export class InputErrors extends Error {
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'InputErrors';
  }
}

/** A stage that could not do its job; the message says what to do about it. */
export class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
    /** Optional file/line for an ::error annotation. */
    readonly annotation?: { file?: string; line?: number },
  ) {
    super(message);
    this.name = 'StageError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
