import { artifactModule } from './lazy.js';
import { artifactServiceAvailable } from './services.js';

/** What shard and merge need of the Actions artifact service (the real one below; fakes in tests). */
export interface ArtifactStore {
  /** This run has the service (inside GitHub Actions, not on GitHub Enterprise Server). */
  readonly available: boolean;
  /** Start loading the client while other work runs (a failure shows where it is used). */
  warmUp(): void;
  /** Upload the files of dir (relative names kept) as one artifact. */
  upload(name: string, files: string[], dir: string): Promise<void>;
  /** This workflow run's artifacts. */
  list(): Promise<{ id: number; name: string }[]>;
  /** Download (and unpack) one artifact into dir. */
  download(id: number, dir: string): Promise<void>;
}

/**
 * The real Actions artifact service, through @actions/artifact (loaded on first use: only shard and
 * merge runs need it). Shard results are kept one day: only this run's merge job reads them.
 */
export function createArtifactStore(env: NodeJS.ProcessEnv): ArtifactStore {
  const client = async () => (await artifactModule()).default;
  return {
    available: artifactServiceAvailable(env),
    warmUp: () => void artifactModule().catch(() => undefined),
    async upload(name, files, dir) {
      await (await client()).uploadArtifact(name, files, dir, { retentionDays: 1 });
    },
    async list() {
      const { artifacts } = await (await client()).listArtifacts();
      return artifacts.map((a) => ({ id: a.id, name: a.name }));
    },
    async download(id, dir) {
      await (await client()).downloadArtifact(id, { path: dir });
    },
  };
}
