import { StageError } from '../errors.js';
import type { Exec } from '../exec.js';

export interface BuildPlanInput {
  builder: string;
  platforms: string[];
  context: string;
  /** '' = buildx's default for the context. */
  file: string;
  buildArgs: string[];
  refs: string[];
  push: boolean;
  metadataFile: string;
  /** --cache-from / --cache-to values (cache stage). */
  cacheFrom?: string[];
  cacheTo?: string[];
}

/** Pure: push on everything but pull requests when push is auto, and only when there is somewhere to push. */
export function decidePush(push: 'auto' | boolean, eventName: string, images: string[]): { push: boolean; reason: string } {
  if (push === true) return { push: true, reason: 'push: true' };
  if (push === false) return { push: false, reason: 'push: false' };
  if (eventName.startsWith('pull_request')) return { push: false, reason: `push: auto on a ${eventName} event builds only` };
  if (images.length === 0) return { push: false, reason: 'push: auto with no images builds only' };
  return { push: true, reason: `push: auto on a ${eventName || 'non-pull-request'} event` };
}

/** Pure: the exact `docker buildx build` argv. */
export function planBuild(p: BuildPlanInput): string[] {
  const argv = ['docker', 'buildx', 'build', '--builder', p.builder, '--platform', p.platforms.join(',')];
  if (p.file) argv.push('--file', p.file);
  for (const arg of p.buildArgs) argv.push('--build-arg', arg);
  for (const ref of p.refs) argv.push('--tag', ref);
  for (const c of p.cacheFrom ?? []) argv.push('--cache-from', c);
  for (const c of p.cacheTo ?? []) argv.push('--cache-to', c);
  argv.push('--metadata-file', p.metadataFile);
  if (p.push) argv.push('--push');
  argv.push(p.context);
  return argv;
}

export interface BuildResult {
  digest: string;
  metadata: string;
}

/** Pull buildx's ERROR line and the Dockerfile location out of its output. */
export function explainBuildFailure(stderr: string): { message: string; file?: string; line?: number } {
  const lines = stderr.split('\n');
  const errorLine = [...lines].reverse().find((l) => /^(ERROR|error):/.test(l.trim()));
  const loc = [...lines].reverse().map((l) => /^\s*(\S*Dockerfile[^:\s]*):(\d+)\s*$/.exec(l)).find((m) => m);
  return {
    message: errorLine?.trim() || lines.filter((l) => l.trim()).slice(-1)[0]?.trim() || 'buildx failed',
    file: loc?.[1],
    line: loc ? Number(loc[2]) : undefined,
  };
}

export interface BuildDeps {
  exec: Exec;
  readFile(p: string): string | undefined;
}

/** Act: run buildx (its progress streams to the log), then read the metadata file. */
export async function runBuild(argv: string[], metadataFile: string, deps: BuildDeps, env?: Record<string, string>): Promise<BuildResult> {
  const res = await deps.exec(env && Object.keys(env).length ? { argv, env } : { argv });
  if (res.code !== 0) {
    const why = explainBuildFailure(res.stderr);
    throw new StageError('build', `docker buildx build failed: ${why.message}`, { file: why.file, line: why.line });
  }
  const metadata = deps.readFile(metadataFile)?.trim() || '{}';
  let digest = '';
  try {
    const parsed = JSON.parse(metadata) as Record<string, unknown>;
    if (typeof parsed['containerimage.digest'] === 'string') digest = parsed['containerimage.digest'];
  } catch {
    // leave digest empty; metadata is still reported as buildx wrote it
  }
  return { digest, metadata };
}
