import type { Host } from '../ports/host.js';

/**
 * What main leaves for post, typed. Saved after each resource is created (never at import),
 * so a main step that dies half-way still tells post what to clean up.
 */
export interface RunState {
  /** Per-run scratch folder, removed by post. */
  tempDir?: string;
  /** A builder this run created, removed by post. */
  builder?: string;
  /** keep-state: post removes the builder with --keep-state (its BuildKit state volume stays). */
  keepState?: boolean;
  /** use: true: the builder that was current before; post makes it current again before removing `builder`. */
  previousBuilder?: string;
  /** Per-job docker config folder (credentials, cli-plugins/docker-buildx), removed by post. */
  dockerConfig?: string;
  /** Registries logged in to inside dockerConfig ('' = Docker Hub), logged out by post. */
  logins?: string[];
  /**
   * The shared layer cache folders under RUNNER_TEMP this run locks (written before it takes the
   * lock): post removes a folder and its lock while this run still holds the lock (main was
   * stopped during a restore or save), never while another run does.
   */
  cacheDirs?: string[];
  /** Run-unique local tags the smoke test loaded (main removes them; post again if main stopped first). */
  smokeImages?: string[];
  /**
   * The smoke test's containers, named before any starts: a stopped `docker run` leaves its container
   * running (the image of a pull request, with network), so post and a signal remove them.
   */
  smokeContainers?: string[];
}

const KEY = 'multiarch';

export class StateStore {
  private current: RunState = {};
  constructor(private readonly host: Host) {}

  update(patch: Partial<RunState>): void {
    this.current = { ...this.current, ...patch };
    this.host.saveState(KEY, JSON.stringify(this.current));
  }

  load(): RunState {
    const raw = this.host.getState(KEY);
    if (!raw) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as RunState) : {};
    } catch {
      return {};
    }
  }
}
