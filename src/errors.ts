/** The exit code of a program that could not be found, as a shell reports it. */
export const EXIT_NOT_FOUND = 127;
/** The exec gateway's words for a program that is not installed (programNotFound reads them). */
export const NOT_ON_PATH = 'command not found (not on PATH)';
/**
 * An oversized value (e.g. a 100 kB tag or platform) is quoted back shortened: the message must say
 * what is wrong, not repeat the whole input (twice) in the log and the annotation.
 */
export function clipLongWords(text: string, max = 256): string {
  return text.replace(new RegExp(`\\S{${max + 1},}`, 'g'), (w) => `${w.slice(0, 60)}…(${w.length} characters)`);
}

/**
 * Every failure message, shortened: long words clipped (see clipLongWords), then the whole cut at
 * `max` characters with a marker saying how much was left out. A stage error quoting a 100 kB value
 * (or a command's whole stderr) stays one readable ::error line, not a 300 kB one.
 */
export function clipMessage(text: string, max = 4000): string {
  const t = clipLongWords(text);
  return t.length <= max ? t : `${t.slice(0, max)}…(${t.length - max} more characters left out)`;
}

/** A problem with one action input, found before any docker command runs. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`Input "${input}": ${clipLongWords(detail)}`);
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

/**
 * The gateway could not start the program at all (it answers 127, as a shell does, with its
 * NOT_ON_PATH words). A 127 with other text is a real exit code (e.g. `docker run` of a missing
 * command) and not this.
 */
export function programNotFound(res: { code: number; stderr: string }): boolean {
  return res.code === EXIT_NOT_FOUND && res.stderr.includes(NOT_ON_PATH);
}

/** How many of a command's last error lines a message quotes: its error comes last, after any progress output. */
export const PROBLEM_LINES = 10;

/**
 * What failed, for a stage's message: the one place a command result becomes words. A program
 * that is not installed is said as such; else the command's own error text (stderr, else stdout),
 * whole when short and its last PROBLEM_LINES lines when long (a build's progress comes before its
 * error, and `docker run` adds a usage hint after it, so neither "the last line" nor "all of it"
 * reads right); else its exit code.
 */
export function commandProblem(argv: string[], res: { code: number; stderr: string; stdout?: string }): string {
  if (programNotFound(res)) {
    const tool = argv[0] ?? '';
    return tool === 'docker'
      ? 'docker CLI not found on PATH: install Docker (the docker CLI with its buildx plugin) or put it on PATH'
      : `${tool} not found on PATH: install it or put it on PATH`;
  }
  const lines = (res.stderr.trim() || res.stdout?.trim() || '').split(/\r?\n/).filter((l) => l.trim());
  if (lines.length === 0) return `exit ${res.code}`;
  if (lines.length <= PROBLEM_LINES) return lines.join('\n');
  return `…(${lines.length - PROBLEM_LINES} earlier lines)\n${lines.slice(-PROBLEM_LINES).join('\n')}`;
}

/** A stage's first docker command found no engine: what failed, and what to do. */
export function engineUnreachable(stage: string, res: { code: number; stderr: string }): StageError {
  if (programNotFound(res)) return new StageError(stage, commandProblem(['docker'], res));
  return new StageError(
    stage,
    `cannot reach the Docker engine: ${commandProblem(['docker'], res)}. Start dockerd (or Docker Desktop), or point DOCKER_HOST / the docker context at a running engine.`,
  );
}

/** A stage that could not do its job; the message says what to do about it. */
export class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
    /** Optional file/line for an ::error annotation. */
    readonly annotation?: { file?: string; line?: number },
  ) {
    super(clipMessage(message));
    this.name = 'StageError';
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  // an Error from another realm (a vm context, a worker) is not instanceof this one's
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(err);
}

/**
 * The one place a URL's credentials are taken out of words: `scheme://user:pass@host` is shown
 * as `scheme://***@host` (a download mirror's URL may carry them; logs and annotations never do).
 */
export function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}
