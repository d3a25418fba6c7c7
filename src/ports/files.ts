import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Filesystem operations the pipeline needs, injectable for tests. */
export interface Files {
  exists(p: string): boolean;
  readFile(p: string): string | undefined;
  makeTempDir(parent: string, prefix: string): string;
  remove(p: string): void;
  /** Write a file, creating it with `mode` (e.g. 0o600 for secrets). */
  writeFile(p: string, content: string, mode?: number): void;
  /** Create a symbolic link at `p` pointing to `target`. */
  symlink(target: string, p: string): void;
  /** Create a folder (and its parents). */
  makeDir(p: string): void;
  /** Names in a folder; [] when it does not exist. */
  listDir(p: string): string[];
  /**
   * Where the path really leads: every symbolic link on it resolved (a dangling one too), the part
   * that does not exist yet kept as written; undefined for a link loop. See resolveLinks.
   */
  realPath?(p: string): string | undefined;
}

export const realFiles: Files = {
  exists: (p) => fs.existsSync(p),
  readFile: (p) => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  makeTempDir: (parent, prefix) => {
    const base = parent && fs.existsSync(parent) ? parent : os.tmpdir();
    return fs.mkdtempSync(path.join(base, prefix));
  },
  remove: (p) => fs.rmSync(p, { recursive: true, force: true }),
  writeFile: (p, content, mode = 0o600) => {
    fs.writeFileSync(p, content, { mode });
    fs.chmodSync(p, mode);
  },
  symlink: (target, p) => fs.symlinkSync(target, p),
  makeDir: (p) => void fs.mkdirSync(p, { recursive: true }),
  listDir: (p) => {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
  realPath: (p) => resolveLinks(path.resolve(p)),
};

/** As the kernel gives up on a path with more links than this (ELOOP), or longer than this (ENAMETOOLONG). */
const MAX_LINKS = 40;
const PATH_MAX = 4096;

/**
 * Where an absolute path really leads: fs.realpathSync where it exists; where it does not (a file
 * buildx will create, or a dangling link whose target a command would create), its existing part
 * resolved and the rest appended, following a dangling link to its target. A link loop (or more
 * than 40 links, or a path longer than PATH_MAX) is undefined: no command could open it either.
 */
export function resolveLinks(p: string, links = 0): string | undefined {
  if (links > MAX_LINKS || p.length > PATH_MAX) return undefined;
  try {
    return fs.realpathSync(p);
  } catch {
    // missing, a loop, or a dangling link: resolve the folder, then look at the last name itself
  }
  const parent = path.dirname(p);
  const dir = parent === p ? p : resolveLinks(parent, links);
  if (dir === undefined) return undefined;
  const here = path.join(dir, path.basename(p));
  let target: string;
  try {
    if (!fs.lstatSync(here).isSymbolicLink()) return here;
    target = fs.readlinkSync(here);
  } catch {
    return here; // nothing there yet
  }
  return resolveLinks(path.resolve(dir, target), links + 1);
}
