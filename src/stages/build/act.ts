import { StageError } from '../../errors.js';
import { type ActDeps, NO_TIMEOUT } from '../../ports/exec.js';
import type { Files } from '../../ports/files.js';
import type { SecretFile } from './options.js';
import { explainBuildFailure } from './plan.js';

/**
 * The build's act: write the planned secret files, run buildx (its progress streams to the log),
 * read back what it wrote. The argv and everything it names are planned in plan.ts / options.ts.
 */

export interface BuildResult {
  digest: string;
  metadata: string;
  /** Content of buildx's --iidfile ('' when none). */
  imageid: string;
  /** buildx's progress output (plain), for the per-platform time report. */
  log?: string;
}

export interface BuildRunOptions {
  iidFile?: string;
  /** Workspace-relative Dockerfile, for the failure annotation. */
  dockerfile?: string;
  /** Extra environment for buildx (e.g. variables named by secret-envs). */
  env?: Record<string, string>;
  /** The call input: with check, buildx prints what the checks found on stdout. */
  call?: string;
}

export interface BuildDeps extends Pick<ActDeps, 'exec'> {
  readFile(p: string): string | undefined;
}

/** Write each secret value to its planned file, 0600 (the run's temp folder: post removes it). */
export function writeSecretFiles(secrets: SecretFile[], files: Pick<Files, 'writeFile'>): void {
  for (const s of secrets) files.writeFile(s.path, s.content, 0o600);
}

/** Run buildx, then read the metadata file (and the image ID file). */
export async function runBuild(
  argv: string[],
  metadataFile: string,
  deps: BuildDeps,
  opts: BuildRunOptions = {},
): Promise<BuildResult> {
  const res = await deps.exec({
    argv,
    timeoutMs: NO_TIMEOUT,
    ...(opts.env && Object.keys(opts.env).length ? { env: opts.env } : {}),
  });
  if (res.code !== 0 && /^check\b/.test(opts.call ?? '') && res.stdout.trim()) {
    // as build-push-action: the checks' findings (stdout) are the failure, pointing at the Dockerfile line
    const where = explainBuildFailure(res.stdout, opts.dockerfile);
    throw new StageError('build', `build checks (call: ${opts.call}) found problems:\n${res.stdout.trim()}`, {
      file: where.file,
      line: where.line,
    });
  }
  if (res.code !== 0) {
    const why = explainBuildFailure(res.stderr, opts.dockerfile);
    throw new StageError('build', `docker buildx build failed: ${why.message}`, { file: why.file, line: why.line });
  }
  return { ...readBuildResult(metadataFile, opts.iidFile, deps), log: res.stderr };
}

/** What buildx wrote: its metadata (the digest in it) and the image ID. */
function readBuildResult(
  metadataFile: string,
  iidFile: string | undefined,
  deps: Pick<BuildDeps, 'readFile'>,
): Omit<BuildResult, 'log'> {
  const metadata = deps.readFile(metadataFile)?.trim() || '{}';
  let digest = '';
  try {
    const parsed = JSON.parse(metadata) as Record<string, unknown>;
    if (typeof parsed['containerimage.digest'] === 'string') digest = parsed['containerimage.digest'];
  } catch {
    // leave digest empty; metadata is still reported as buildx wrote it
  }
  const imageid = iidFile ? (deps.readFile(iidFile)?.trim() ?? '') : '';
  return { digest, metadata, imageid };
}
