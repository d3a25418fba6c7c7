/** The ports a run is given: the entries give the real ones, tests give fakes (__tests__/unit/fakes.ts). */
import type { ActionsCache } from './actions-cache.js';
import type { ArtifactStore } from './artifacts.js';
import type { Exec } from './exec.js';
import type { Files } from './files.js';
import type { Host } from './host.js';

export interface Deps {
  host: Host;
  exec: Exec;
  files: Files;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now(): number;
  /** The layer cache's Actions cache service and folders (the entries give realActionsCache). */
  actionsCache: ActionsCache;
  /** The Actions artifact service of shard results (the entries give createArtifactStore). */
  artifacts: ArtifactStore;
}
