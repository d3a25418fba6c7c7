import type { Exec } from './exec.js';

/** Commands that only read: allowed to run during a dry run. Matched on the argv prefix. */
const READ_ONLY: string[][] = [
  ['docker', 'version'],
  ['docker', 'info'],
  ['docker', 'inspect'],
  ['docker', 'image', 'inspect'],
  ['docker', 'image', 'ls'],
  ['docker', 'context', 'ls'],
  ['docker', 'context', 'inspect'],
  ['docker', 'context', 'show'],
  ['docker', 'manifest', 'inspect'],
  ['docker', 'buildx', 'version'],
  ['docker', 'buildx', 'ls'],
  ['docker', 'buildx', 'imagetools', 'inspect'],
  ['git', 'rev-parse'],
  ['git', 'log'],
  ['git', 'show'],
  ['git', 'describe'],
];

/** `docker buildx inspect` reads, unless it is asked to --bootstrap (which starts a builder). */
export function isReadOnly(argv: string[]): boolean {
  if (argv[0] === 'docker' && argv[1] === 'buildx' && argv[2] === 'inspect') return !argv.includes('--bootstrap');
  return READ_ONLY.some((p) => p.every((w, i) => argv[i] === w));
}

/**
 * The exec gateway for `dry-run: true`: read-only probes run, every other command is only printed
 * and reported as succeeded with empty output. Nothing that changes state runs.
 */
export function dryRunExec(real: Exec, log: (m: string) => void): Exec {
  return async (req) => {
    if (isReadOnly(req.argv)) return real(req);
    log(`dry-run: not running ${JSON.stringify(req.argv)}`);
    return { code: 0, stdout: '', stderr: '' };
  };
}
