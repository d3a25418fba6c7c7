/**
 * What the builder stage's probes say, read purely: `docker info` (the engine's storage driver and the
 * CLI's plugins) and `docker buildx inspect` (the builder's driver and platforms). act.ts runs them.
 */
export interface BuilderProbe {
  /** `docker buildx version` output, undefined when buildx is missing. */
  buildxVersion?: string;
  /** The engine's storage driver status pairs (docker info .DriverStatus). */
  driverStatus: [string, string][];
  /** Current docker context: the name of its default `docker`-driver builder. */
  dockerContext: string;
}

/** The engine's storage driver status and the CLI's plugins (buildx among them) in one `docker info`. */
export const INFO_FORMAT = '{{json .DriverStatus}}{{"\\n"}}{{json .ClientInfo.Plugins}}';

/**
 * `docker info --format` output of INFO_FORMAT: the storage driver status, and the buildx
 * version from the CLI's own plugin list (undefined when that list is missing or buildx is not in it).
 */
export function parseInfo(stdout: string): { driverStatus: [string, string][]; buildxVersion?: string } {
  const [statusLine = '', pluginsLine = ''] = stdout.trim().split('\n');
  const parse = (line: string): unknown => {
    try {
      return JSON.parse(line.trim() || 'null');
    } catch {
      return null;
    }
  };
  const status = parse(statusLine);
  const plugins = parse(pluginsLine);
  const buildx = Array.isArray(plugins)
    ? (plugins as { Name?: unknown; Version?: unknown; Err?: unknown }[]).find((p) => p?.Name === 'buildx' && !p.Err)
    : undefined;
  return {
    driverStatus: Array.isArray(status) ? (status as [string, string][]) : [],
    buildxVersion:
      typeof buildx?.Version === 'string' && buildx.Version ? `github.com/docker/buildx ${buildx.Version}` : undefined,
  };
}

export function usesContainerdStore(driverStatus: [string, string][]): boolean {
  return driverStatus.some(([k, v]) => k === 'driver-type' && v === 'io.containerd.snapshotter.v1');
}

/** The platforms of every node in `docker buildx inspect` output, deduplicated, in order. */
export function parseInspectPlatforms(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!m) continue;
    for (const p of m[1]!.split(',')) {
      const v = p.trim().replace(/\*$/, '');
      if (v && !out.includes(v)) out.push(v);
    }
  }
  return out;
}

/** The builder's driver as `docker buildx inspect` names it (an existing builder's may be any); undefined when it names none. */
export function inspectedDriver(text: string): string | undefined {
  // on its own line: an empty Driver: is none, not the next line's first word
  return /^[ \t]*Driver:[ \t]*(\S+)/m.exec(text)?.[1];
}
