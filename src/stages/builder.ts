import { StageError } from '../errors.js';
import type { Exec } from '../exec.js';

export interface BuilderProbe {
  /** `docker buildx version` output, undefined when buildx is missing. */
  buildxVersion?: string;
  /** The engine's storage driver status pairs (docker info .DriverStatus). */
  driverStatus: [string, string][];
  /** Current docker context: the name of its default `docker`-driver builder. */
  dockerContext: string;
}

export interface BuilderPlan {
  name: string;
  driver: 'docker';
  buildxVersion: string;
}

export function usesContainerdStore(driverStatus: [string, string][]): boolean {
  return driverStatus.some(([k, v]) => k === 'driver-type' && v === 'io.containerd.snapshotter.v1');
}

/** Parse `docker buildx version` ("github.com/docker/buildx v0.13.1 abc…" or "… 0.13.1+ds1 …"). */
export function parseBuildxVersion(text: string): string | undefined {
  const m = /\bv?(\d+\.\d+\.\d+)/.exec(text);
  return m?.[1];
}

/** Pure: which builder to use. For now, the engine's own `docker` driver on the containerd store. */
export function planBuilder(probe: BuilderProbe): BuilderPlan {
  const version = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
  if (!version) {
    throw new StageError(
      'builder',
      'docker buildx is not installed: install the buildx CLI plugin (Debian/Ubuntu: docker-buildx; Docker Desktop and GitHub runners have it).',
    );
  }
  if (!usesContainerdStore(probe.driverStatus)) {
    throw new StageError(
      'builder',
      'the Docker engine uses the classic image store, whose docker driver cannot build or push multi-platform images. ' +
        'Enable the containerd image store ({"features":{"containerd-snapshotter":true}} in /etc/docker/daemon.json, then restart dockerd).',
    );
  }
  return { name: probe.dockerContext || 'default', driver: 'docker', buildxVersion: version };
}

/** Act: probe buildx and the engine, then plan. */
export async function runBuilder(exec: Exec): Promise<BuilderPlan> {
  const version = await exec({ argv: ['docker', 'buildx', 'version'], silent: true });
  const info = await exec({ argv: ['docker', 'info', '--format', '{{json .DriverStatus}}'], silent: true });
  if (info.code !== 0) {
    throw new StageError('builder', `cannot reach the Docker engine: ${info.stderr.trim() || `exit ${info.code}`}`);
  }
  const ctx = await exec({ argv: ['docker', 'context', 'show'], silent: true });
  let driverStatus: [string, string][];
  try {
    driverStatus = (JSON.parse(info.stdout.trim() || '[]') as [string, string][] | null) ?? [];
  } catch {
    driverStatus = [];
  }
  return planBuilder({
    buildxVersion: version.code === 0 ? version.stdout : undefined,
    driverStatus,
    dockerContext: ctx.code === 0 ? ctx.stdout.trim() : 'default',
  });
}
