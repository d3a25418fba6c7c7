import { StageError } from '../errors.js';
import type { Exec } from '../exec.js';
import { normaliseArch, parsePlatform, QEMU_HANDLER } from '../platforms.js';

export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

export interface BinfmtHandler {
  enabled: boolean;
  interpreter: string;
  flags: string;
}

export interface QemuProbe {
  /** The engine's architecture (GOARCH). */
  engineArch: string;
  /** false when binfmt_misc is not mounted here, so handlers cannot be seen. */
  binfmtVisible: boolean;
  /** Handlers by name (qemu-aarch64, …); missing key = not registered. */
  handlers: Record<string, BinfmtHandler | undefined>;
}

export type QemuStatus = 'native' | 'emulated' | 'missing' | 'unknown';

export interface QemuDecision {
  platform: string;
  status: QemuStatus;
  handler?: string;
  reason: string;
}

export interface QemuPlan {
  decisions: QemuDecision[];
  missing: QemuDecision[];
}

/** Architectures a host runs without an emulator, besides its own. */
const ALSO_NATIVE: Record<string, string[]> = { amd64: ['386'] };

/** Pure: which requested platforms run natively, under a ready emulator, or have none. */
export function planQemu(platforms: string[], probe: QemuProbe): QemuPlan {
  const engineArch = normaliseArch(probe.engineArch);
  const decisions = platforms.map((platform): QemuDecision => {
    const { arch } = parsePlatform(platform);
    if (arch === engineArch || (ALSO_NATIVE[engineArch] ?? []).includes(arch)) {
      return { platform, status: 'native', reason: `the engine is ${engineArch}` };
    }
    const handler = QEMU_HANDLER[arch];
    if (!handler) return { platform, status: 'missing', reason: `no QEMU emulator is known for ${arch}` };
    if (!probe.binfmtVisible) {
      return { platform, status: 'unknown', handler, reason: `${BINFMT_DIR} is not mounted here, cannot check ${handler}` };
    }
    const h = probe.handlers[handler];
    if (!h) return { platform, status: 'missing', handler, reason: `${handler} is not registered in binfmt_misc` };
    if (!h.enabled) return { platform, status: 'missing', handler, reason: `${handler} is registered but disabled` };
    if (!h.flags.includes('F')) {
      return {
        platform,
        status: 'missing',
        handler,
        reason: `${handler} is registered without the F (fix-binary) flag, so containers cannot reach ${h.interpreter}`,
      };
    }
    return { platform, status: 'emulated', handler, reason: `${handler} (${h.interpreter})` };
  });
  return { decisions, missing: decisions.filter((d) => d.status === 'missing') };
}

/** Parse the text of /proc/sys/fs/binfmt_misc/<name>. */
export function parseBinfmtEntry(text: string): BinfmtHandler {
  const lines = text.split('\n').map((l) => l.trim());
  const field = (k: string) => lines.find((l) => l.startsWith(`${k} `))?.slice(k.length + 1).trim() ?? '';
  return { enabled: lines[0] === 'enabled', interpreter: field('interpreter'), flags: field('flags:') };
}

export interface QemuDeps {
  exec: Exec;
  readFile(p: string): string | undefined;
  log(message: string): void;
  warn(message: string): void;
}

export interface QemuResult {
  plan: QemuPlan;
  engineArch: string;
}

/** Act: probe the engine and binfmt_misc, then apply the plan. Starts no container. */
export async function runQemu(platforms: string[], deps: QemuDeps): Promise<QemuResult> {
  const res = await deps.exec({ argv: ['docker', 'version', '--format', '{{.Server.Arch}}'], silent: true });
  if (res.code !== 0) {
    throw new StageError('qemu', `cannot reach the Docker engine: ${res.stderr.trim() || `exit ${res.code}`}. Is dockerd running and DOCKER_HOST set?`);
  }
  const engineArch = normaliseArch(res.stdout.trim());
  const binfmtVisible = deps.readFile(`${BINFMT_DIR}/status`) !== undefined;
  const handlers: QemuProbe['handlers'] = {};
  for (const name of new Set(Object.values(QEMU_HANDLER))) {
    const text = deps.readFile(`${BINFMT_DIR}/${name}`);
    if (text !== undefined) handlers[name] = parseBinfmtEntry(text);
  }
  const plan = planQemu(platforms, { engineArch, binfmtVisible, handlers });
  for (const d of plan.decisions) deps.log(`${d.platform}: ${d.status} — ${d.reason}`);
  for (const d of plan.decisions.filter((x) => x.status === 'unknown')) deps.warn(`${d.platform}: ${d.reason}`);
  if (plan.missing.length) {
    const list = plan.missing.map((d) => `${d.platform} (${d.reason})`).join('; ');
    throw new StageError(
      'qemu',
      `no emulator for ${list}. Register QEMU user emulation first (e.g. apt-get install qemu-user-static binfmt-support, ` +
        `or docker run --privileged --rm tonistiigi/binfmt --install all), or build only for platforms this machine runs.`,
    );
  }
  return { plan, engineArch };
}
