/**
 * actions/checkout for the workflow runner: a copy of a local git repository at the requested
 * ref, into the requested path, with only the sparse-checkout paths when they are given. Real git
 * reads the commit (git archive), so a workflow that asks for the wrong ref or leaves a file out
 * of its sparse checkout gets exactly what GitHub would give it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CheckoutRequest {
  /** The repository's folder (a git repository). */
  gitDir: string;
  ref: string;
  /** The job's workspace; `path` is taken inside it. */
  workspace: string;
  path: string;
  /** sparse-checkout lines; empty: the whole tree. */
  sparse: string[];
  /** sparse-checkout-cone-mode: true (folders) or false (gitignore-style patterns). */
  cone: boolean;
}

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

/**
 * Whether a file is in the sparse checkout. Non-cone patterns are read as gitignore reads them,
 * for the forms workflows use: a name without a slash matches that name at any depth (a folder
 * then brings all of its files), a path with a slash is anchored at the root.
 */
export function inSparse(file: string, patterns: string[], cone: boolean): boolean {
  const parts = file.split('/');
  return patterns.some((raw) => {
    const p = raw.trim().replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p) return false;
    if (cone || p.includes('/')) return file === p || file.startsWith(`${p}/`);
    return parts.includes(p);
  });
}

/** Check out `ref` of the repository into workspace/path; returns the commit checked out. */
export function checkout(req: CheckoutRequest): string {
  const commit = git(req.gitDir, ['rev-parse', '--verify', `${req.ref}^{commit}`]).trim();
  const dest = path.resolve(req.workspace, req.path || '.');
  if (!dest.startsWith(path.resolve(req.workspace))) throw new Error(`checkout: path ${req.path} leaves the workspace`);
  fs.mkdirSync(dest, { recursive: true });
  let files = git(req.gitDir, ['ls-tree', '-r', '--name-only', '-z', commit]).split('\0').filter(Boolean);
  // cone mode always has the root's own files
  if (req.sparse.length)
    files = files.filter((f) => inSparse(f, req.sparse, req.cone) || (req.cone && !f.includes('/')));
  if (!files.length) return commit;
  const tar = execFileSync('git', ['-C', req.gitDir, 'archive', '--format=tar', commit, '--', ...files], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dest], { input: tar });
  return commit;
}
