import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Exec } from './exec.js';
import type { Host } from './host.js';
import type { CacheFolders, CacheService } from './stages/cache-act.js';

/** Filesystem operations the pipeline needs, injectable for tests. */
export interface Files {
  exists(p: string): boolean;
  readFile(p: string): string | undefined;
  makeTempDir(parent: string, prefix: string): string;
  remove(p: string): void;
}

export interface Deps {
  host: Host;
  exec: Exec;
  files: Files;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now(): number;
  /** The Actions cache service and folder operations of the layer cache (default: the real ones). */
  cacheService?: CacheService;
  cacheFolders?: CacheFolders;
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
};
