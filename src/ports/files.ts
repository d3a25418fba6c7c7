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
  /** The path with every symbolic link resolved; undefined when it does not exist. */
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
  realPath: (p) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  },
};
