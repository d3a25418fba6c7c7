/**
 * The one rule for every path an input names: a path in the workspace (which a pull request, a
 * fork's too, controls) must still be in the workspace once its links are resolved. A link there
 * to a host file or folder would hand that file to the build (a secret file linked to
 * /proc/self/environ hands over buildx's environment; a context linked to a host folder copies it
 * into the image), or let an exporter write outside the workspace.
 */
import * as path from 'node:path';

import { parse } from 'csv-parse/sync';

import type { BuildInputs } from './build.js';
import type { BuilderInputs } from './builder.js';
import type { BuildOptionInputs } from './buildopts.js';
import type { CacheInputs } from './cache.js';
import type { Collector, Getter, InputEnv } from './collect.js';
import type { SignInputs } from './sign.js';

export const ALLOW_OUTSIDE_INPUT = 'allow-outside-workspace';

export interface WorkspacePathInputs {
  /** allow-outside-workspace: a path that leads out of the workspace is a warning, not an error. */
  allowOutsideWorkspace: boolean;
  /** With allowOutsideWorkspace: one warning per path that leads out, for the input pass to print. */
  outsideWorkspace: string[];
}

/** One local path an input names, exactly as the command will open it (absolute). */
export interface NamedPath {
  input: string;
  /** What the path is, for the message: `secret "npmrc"`, `build context "assets"`. */
  what: string;
  path: string;
}

/** `p` is `dir` or inside it (lexically: no link is resolved here). */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The rule, over a link resolver (Files.realPath): where `p` really leads when it is a path in the
 * workspace that leads out of it; undefined when it stays in, or when it was never in the
 * workspace (a path the workflow names outside it, e.g. in RUNNER_TEMP, is the workflow's own
 * choice, not the repository's). A link loop is left to the command, which cannot open it either.
 */
export function leavesWorkspace(
  p: string,
  workspace: string,
  realPath: (p: string) => string | undefined,
): string | undefined {
  const realWs = realPath(workspace) ?? workspace;
  if (!isInside(p, workspace) && !isInside(p, realWs)) return undefined;
  const real = realPath(p);
  return real !== undefined && !isInside(real, realWs) ? real : undefined;
}

/** How a reader opens a file and resolves its links (Files, or the input pass's InputEnv). */
export interface FileReader {
  readFile?(p: string): string | undefined;
  /** Unset: links are not resolved, and the rule is not checked (as the input pass does without it). */
  realPath?(p: string): string | undefined;
}

/**
 * The rule for every reader of a workspace file (the Dockerfile: the input pass, preflight, the
 * arch check): a path in the workspace whose links lead out of it is not read, unless
 * allow-outside-workspace says the build is meant to read it. `outside` is where it leads when it
 * was not read; `text` is undefined when it was not read or cannot be.
 */
export function readInWorkspace(
  p: string,
  workspace: string,
  reader: FileReader,
  allowOutside: boolean,
): { text?: string; outside?: string } {
  const outside = reader.realPath ? leavesWorkspace(p, workspace, reader.realPath) : undefined;
  if (outside !== undefined && !allowOutside) return { outside };
  return { text: reader.readFile?.(p) };
}

/** A build-contexts source that is a local folder (or an OCI layout folder): its path; else undefined. */
export function localContextSource(source: string): string | undefined {
  const layout = /^oci-layout:\/\/(.+)$/.exec(source);
  if (layout) {
    // oci-layout://<path>[:<tag>][@<digest>]
    const noDigest = layout[1]!.replace(/@[a-z0-9]+:[a-f0-9]+$/i, '');
    const base = path.basename(noDigest);
    return base.includes(':') ? noDigest.slice(0, noDigest.length - base.length + base.indexOf(':')) : noDigest;
  }
  // docker-image://, https://, git://, ssh://, target:, git@host:…, github.com/… are not local
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) || /^git@/.test(source) || /^github\.com\//.test(source)) return undefined;
  return source;
}

/** The CSV fields of an --output / --cache-* entry as buildx reads them. */
function csvFields(entry: string): string[] {
  try {
    return (parse(entry, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][])[0] ?? [];
  } catch {
    return []; // buildx rejects it itself; nothing to resolve
  }
}

/** Where an outputs entry writes (dest=, or a bare folder), '' for none or stdout (-). */
function outputDest(entry: string): string {
  const fields = csvFields(entry);
  const dest = fields.find((f) => f.startsWith('dest='))?.slice('dest='.length);
  if (dest !== undefined) return dest === '-' ? '' : dest;
  return fields.length === 1 && !fields[0]!.includes('=') && fields[0] !== '-' ? fields[0]! : '';
}

/** The folder a type=local cache entry reads (src=) or writes (dest=); '' for other types. */
function localCacheDir(entry: string, key: 'src' | 'dest'): string {
  const fields = csvFields(entry);
  if (!fields.includes('type=local')) return '';
  return fields.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1) ?? '';
}

export type PathSources = Pick<BuildInputs, 'context' | 'contextIsRemote' | 'file'> &
  Pick<BuilderInputs, 'buildkitdConfig'> &
  Pick<BuildOptionInputs, 'buildContexts' | 'secretFiles' | 'ssh' | 'outputs'> &
  Pick<CacheInputs, 'cacheFrom' | 'cacheTo'> &
  Partial<Pick<SignInputs, 'signKeyFile'>>;

/** Pure: every local path the inputs name, resolved against the workspace (buildx's working folder). */
export function namedPaths(i: PathSources, workspace: string): NamedPath[] {
  const at = (p: string) => path.resolve(workspace, p);
  const found: NamedPath[] = [];
  const add = (input: string, what: string, p: string) => {
    if (p) found.push({ input, what, path: at(p) });
  };
  if (!i.contextIsRemote) add('context', 'the build context', i.context);
  // a relative file in a git context is a path in that repository, not here
  if (i.file && path.isAbsolute(i.file)) add('file', 'the Dockerfile', i.file);
  for (const b of i.buildContexts) {
    const eq = b.indexOf('=');
    add('build-contexts', `build context ${JSON.stringify(b.slice(0, eq))}`, localContextSource(b.slice(eq + 1)) ?? '');
  }
  for (const s of i.secretFiles) add('secret-files', `secret ${JSON.stringify(s.id)}`, s.path);
  for (const s of i.ssh) {
    // id=path[,path]: key files or an agent socket; `default` or a bare id is the agent of SSH_AUTH_SOCK
    const eq = s.indexOf('=');
    if (eq < 0) continue;
    for (const p of s.slice(eq + 1).split(',')) add('ssh', `ssh ${JSON.stringify(s.slice(0, eq))}`, p.trim());
  }
  add('buildkitd-config', 'the BuildKit config', i.buildkitdConfig);
  for (const o of i.outputs) add('outputs', 'an output folder', outputDest(o));
  for (const e of i.cacheFrom) add('cache-from', 'a local cache', localCacheDir(e, 'src'));
  for (const e of i.cacheTo) add('cache-to', 'a local cache', localCacheDir(e, 'dest'));
  add('sign-key', 'the signing key', i.signKeyFile ?? '');
  return found;
}

/**
 * allow-outside-workspace, and the rule applied to every path the inputs name: an input error for
 * each that leads out (naming the input, the path and where it leads), or with the opt-out a
 * warning. Values are JSON-quoted: a file name may hold a newline and a runner command.
 */
export function parseWorkspacePaths(
  get: Getter,
  c: Collector,
  env: InputEnv,
  sources: PathSources,
): WorkspacePathInputs {
  const allowOutsideWorkspace = c.bool(
    ALLOW_OUTSIDE_INPUT,
    get(ALLOW_OUTSIDE_INPUT),
    false,
    'true (a path that leads out of the workspace is used, with a warning) or false (it is an input error)',
  );
  const outsideWorkspace: string[] = [];
  if (!env.realPath) return { allowOutsideWorkspace, outsideWorkspace };
  // an input already in error (a file that does not exist) is reported once, for that
  const failed = new Set(c.errors.map((e) => e.input));
  for (const n of namedPaths(sources, env.workspace)) {
    if (failed.has(n.input)) continue;
    const real = leavesWorkspace(n.path, env.workspace, env.realPath);
    if (real === undefined) continue;
    const where = `${n.what} ${JSON.stringify(path.relative(env.workspace, n.path) || '.')} leads through a link to ${JSON.stringify(real)}, outside the workspace`;
    if (allowOutsideWorkspace)
      outsideWorkspace.push(`${n.input}: ${where}; used because ${ALLOW_OUTSIDE_INPUT} is true`);
    else
      c.fail(
        n.input,
        `${where}: a link in the repository must not reach host files; use a path inside the workspace (or set ${ALLOW_OUTSIDE_INPUT}: true if the build is meant to read it)`,
      );
  }
  return { allowOutsideWorkspace, outsideWorkspace };
}
