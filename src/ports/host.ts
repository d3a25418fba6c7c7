/**
 * Everything the pipeline needs from the world it runs in, besides processes (see exec.ts).
 * The GitHub Action implementation sits on @actions/core (host-actions.ts); tests and the CLI
 * provide their own.
 */
export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
}

export interface Host {
  /** Value of an input as the runner passes it, trimmed unless `raw`; '' when unset. */
  getInput(name: string, opts?: { raw?: boolean }): string;
  info(message: string): void;
  warning(message: string, props?: AnnotationProps): void;
  /** A ::notice annotation where the host has them (else info). */
  notice?(message: string): void;
  error(message: string, props?: AnnotationProps): void;
  debug(message: string): void;
  setOutput(name: string, value: string): void;
  /** Set an environment variable for this and every later step of the job (GITHUB_ENV). */
  exportVariable(name: string, value: string): void;
  /** Mask a value in all later log output. */
  setSecret(value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Append markdown to the job summary (no-op where there is none). */
  summary(markdown: string): Promise<void>;
  /**
   * The job's OIDC token for `audience` (the runner's ACTIONS_ID_TOKEN_REQUEST_URL; the job needs
   * id-token: write). Absent where the host has none (the CLI). The token is masked by the host.
   */
  idToken?(audience: string): Promise<string>;
  /** Mark the step failed (exit code 1) without printing anything. */
  fail(): void;
}
