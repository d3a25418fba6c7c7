import * as path from 'node:path';

import { StageError } from '../../errors.js';
import { type BuildOptionsPlan, planBuildOptions } from './options.js';

export interface BuildPlanInput {
  builder: string;
  /** [] = the builder's own platform (no --platform, as build-push-action without platforms). */
  platforms: string[];
  context: string;
  /** '' = buildx's default for the context. */
  file: string;
  buildArgs: string[];
  refs: string[];
  /** KEY=VALUE labels (meta stage: generated OCI labels + the labels input). */
  labels?: string[];
  /** level:KEY=VALUE annotations (meta stage). */
  annotations?: string[];
  push: boolean;
  metadataFile: string;
  /** Build options (build-contexts, secrets, provenance, load, …), see options.ts. */
  options?: BuildOptionsPlan;
  /** --cache-from / --cache-to values (cache stage). */
  cacheFrom?: string[];
  cacheTo?: string[];
}

/**
 * Events on which push: auto pushes: a branch or tag push, a schedule (nightly), a manual run
 * (workflow_dispatch), a release, and repository_dispatch (an outside system asking for a rebuild,
 * with a token that can write to the repository) — what `push: ${{ github.event_name !=
 * 'pull_request' }}` meant for build-push-action users, as a list.
 */
export const PUSH_EVENTS = ['push', 'schedule', 'workflow_dispatch', 'release', 'repository_dispatch'] as const;

export interface PushDecision {
  push: boolean;
  reason: string;
  /** An event push: auto does not know: the run builds only, and says how to push. */
  warning?: string;
}

/**
 * Pure: whether this run pushes. auto pushes only on PUSH_EVENTS and only when there is somewhere
 * to push: pull requests and merge queue checks (merge_group: the push comes with the merge's own
 * push event) build only; any other event (delete, workflow_run, issues, …) builds only and says so,
 * since a new or unexpected trigger must not publish images silently.
 */
export function decidePush(
  push: 'auto' | boolean,
  eventName: string,
  images: string[],
  local: { load?: boolean; outputs?: string[]; call?: string } = {},
): PushDecision {
  // check, outline, targets evaluate the build and build nothing: there is no image to push
  if (local.call && local.call !== 'build')
    return { push: false, reason: `call: ${local.call} evaluates the build without building it` };
  if (push === true) return { push: true, reason: 'push: true' };
  if (push === false) return { push: false, reason: 'push: false' };
  if (eventName.startsWith('pull_request'))
    return { push: false, reason: `push: auto on a ${eventName} event builds only` };
  if (eventName === 'merge_group')
    return { push: false, reason: 'push: auto on a merge_group event (merge queue check) builds only' };
  if (local.load) return { push: false, reason: 'push: auto with load: true loads into the local engine only' };
  if (local.outputs?.length)
    return { push: false, reason: 'push: auto with outputs set exports only to those outputs' };
  if (images.length === 0) return { push: false, reason: 'push: auto with no images builds only' };
  if (!(PUSH_EVENTS as readonly string[]).includes(eventName)) {
    const event = eventName || '(none)';
    return {
      push: false,
      reason: `push: auto on a ${event} event builds only`,
      warning: `push: auto pushes only on ${PUSH_EVENTS.join(', ')} events; this ${event} event builds without pushing. Set push: true to push on it.`,
    };
  }
  return { push: true, reason: `push: auto on a ${eventName} event` };
}

/**
 * Pure: load with several platforms needs an image store that holds multi-platform images (the
 * engine's containerd store, with either driver); the classic store holds one platform per tag.
 */
export function checkLoad(load: boolean, platforms: string[], containerdStore: boolean | undefined): void {
  if (!load || platforms.length < 2 || containerdStore !== false) return;
  throw new StageError(
    'build',
    `load: true with ${platforms.length} platforms (${platforms.join(', ')}) needs the Docker engine's containerd image store, which holds multi-platform images; this engine uses the classic image store, which holds one platform per tag. Set platforms to one, use push, or enable the containerd image store ({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd)`,
  );
}

/** Pure: the exact `docker buildx build` argv. */
export function planBuild(p: BuildPlanInput): string[] {
  const argv = ['docker', 'buildx', 'build', '--builder', p.builder];
  if (p.platforms.length) argv.push('--platform', p.platforms.join(','));
  if (p.file) argv.push('--file', p.file);
  for (const arg of p.buildArgs) argv.push('--build-arg', arg);
  for (const ref of p.refs) argv.push('--tag', ref);
  for (const label of p.labels ?? []) argv.push('--label', label);
  for (const a of p.annotations ?? []) argv.push('--annotation', a);
  for (const c of p.cacheFrom ?? []) argv.push('--cache-from', c);
  for (const c of p.cacheTo ?? []) argv.push('--cache-to', c);
  argv.push('--metadata-file', p.metadataFile);
  if (p.push) argv.push('--push');
  if (p.options) argv.push(...planBuildOptions(p.options));
  argv.push(p.context);
  return argv;
}

/**
 * Pull buildx's final ERROR line, the failing step and the Dockerfile location out of its
 * output. buildx prints the location as "<name>:<line>" right above a "-----" excerpt of the
 * Dockerfile, <name> being the file's base name; `dockerfile` (workspace-relative) replaces it
 * when the base names match, so the annotation points at the real file.
 */
export function explainBuildFailure(
  stderr: string,
  dockerfile?: string,
): { message: string; file?: string; line?: number } {
  const lines = stderr.split(/\r?\n/);
  const errorLine = [...lines].reverse().find((l) => /^(ERROR|error):/.test(l.trim()));
  let message =
    errorLine?.trim().replace(/^(ERROR|error):\s*/, '') ||
    lines
      .filter((l) => l.trim())
      .slice(-1)[0]
      ?.trim() ||
    'buildx failed';
  const step = [...lines]
    .reverse()
    .map((l) => /^ > (\[.+\] .+):$/.exec(l))
    .find((m) => m);
  if (step && !message.includes(step[1]!)) message = `${step[1]}: ${message}`;
  let file: string | undefined;
  let line: number | undefined;
  for (let i = lines.length - 2; i >= 0; i--) {
    const m = /^(\S[^\s:]*):(\d+)$/.exec(lines[i]!.trim());
    if (m && /^-{10,}$/.test(lines[i + 1]!.trim())) {
      file = m[1];
      line = Number(m[2]);
      break;
    }
  }
  if (file && dockerfile && path.basename(dockerfile) === path.basename(file)) file = dockerfile;
  return { message, file, line };
}
