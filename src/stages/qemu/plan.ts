/**
 * Pure: the QEMU stage's decisions. Which requested platforms run natively, under a ready emulator
 * or have none (from the probe act.ts takes), and the installer to run for the missing ones.
 */
import { commandProblem, programNotFound } from '../../errors.js';
import type { QemuMode } from '../../inputs/builder.js';
import { normaliseArch, parsePlatform, QEMU_HANDLER } from '../../oci/platforms.js';

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
  /**
   * The engine is not this machine's (DOCKER_HOST, a docker context, a dind service): this
   * machine's binfmt_misc says nothing about it, only a container on the engine can.
   */
  remote?: boolean;
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

/**
 * Which requested platforms run natively (the engine's own arch, or a builder node declared
 * for it in `nodePlatforms`), under a ready emulator, or have none.
 */
export function planQemu(platforms: string[], probe: QemuProbe, nodePlatforms: string[] = []): QemuPlan {
  const engineArch = normaliseArch(probe.engineArch);
  const decisions = platforms.map((platform): QemuDecision => {
    const { arch } = parsePlatform(platform);
    if (arch === engineArch || (ALSO_NATIVE[engineArch] ?? []).includes(arch)) {
      return { platform, status: 'native', reason: `the engine is ${engineArch}` };
    }
    if (nodePlatforms.includes(platform)) {
      return { platform, status: 'native', reason: 'a builder node is declared for it (append)' };
    }
    const handler = QEMU_HANDLER[arch];
    if (!handler) return { platform, status: 'missing', reason: `no QEMU emulator is known for ${arch}` };
    if (probe.remote) {
      return {
        platform,
        status: 'unknown',
        handler,
        reason: `the engine is not this machine's, its ${BINFMT_DIR} cannot be read from here`,
      };
    }
    if (!probe.binfmtVisible) {
      return {
        platform,
        status: 'unknown',
        handler,
        reason: `${BINFMT_DIR} is not mounted here, cannot check ${handler}`,
      };
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

/** The platforms without an emulator, each with why, for a message. */
export function missingList(plan: QemuPlan): string {
  return plan.missing.map((d) => `${d.platform} (${d.reason})`).join('; ');
}

/** Parse the text of /proc/sys/fs/binfmt_misc/<name>. */
export function parseBinfmtEntry(text: string): BinfmtHandler {
  const lines = text.split('\n').map((l) => l.trim());
  const field = (k: string) =>
    lines
      .find((l) => l.startsWith(`${k} `))
      ?.slice(k.length + 1)
      .trim() ?? '';
  return { enabled: lines[0] === 'enabled', interpreter: field('interpreter'), flags: field('flags:') };
}

/**
 * The emulator installer to run, if any. auto installs only what is missing; true
 * (re)installs every emulated platform with the pinned image; false never runs it.
 * Returns undefined when no container is needed.
 */
export function planInstall(plan: QemuPlan, mode: QemuMode, image: string, remote = false): string[] | undefined {
  if (mode === 'false') return undefined;
  // a remote engine cannot be probed from here: auto registers what it may lack, on the engine
  // (the installer only (re)writes binfmt_misc entries, so it is safe to run when they exist)
  const wanted = plan.decisions.filter(
    (d) =>
      d.status === 'missing' ||
      (d.status === 'unknown' && (mode === 'true' || remote)) ||
      (mode === 'true' && d.status === 'emulated'),
  );
  const arches = [...new Set(wanted.map((d) => parsePlatform(d.platform).arch).filter((a) => QEMU_HANDLER[a]))];
  if (arches.length === 0) return undefined;
  // the installer downloads nothing: no network, so no bridge endpoint to set up (or fail)
  return ['docker', 'run', '--privileged', '--rm', '--network', 'none', image, '--install', arches.join(',')];
}

/**
 * Turn the installer's failure into what to do about it. A refused privileged container and an
 * image that cannot be pulled each have their own fix; the command's own words (commandProblem) follow.
 */
export function explainInstallFailure(
  image: string,
  argv: string[],
  res: { code: number; stderr: string; stdout?: string },
): string {
  const problem = commandProblem(argv, res);
  // no docker CLI is neither a refusal nor a pull problem ("not found" would read as one)
  if (programNotFound(res)) return problem;
  const text = res.stderr;
  if (/privileged|operation not permitted|permission denied|read-only file system|user namespace/i.test(text)) {
    return (
      `registering QEMU emulators was refused: the installer needs a privileged container (docker run --privileged) ` +
      `with write access to ${BINFMT_DIR}, and this engine or host does not allow it (${problem}). ` +
      `Register the emulators on the host instead (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support), ` +
      `use a runner that allows privileged containers, or set qemu: false and build only for platforms this machine runs.`
    );
  }
  if (/pull access denied|not found|manifest unknown|no such host|dial tcp|timeout|TLS handshake/i.test(text)) {
    return (
      `could not pull the emulator installer ${image} (${problem}). ` +
      `Check network access to the registry, or set qemu-image to a mirror of tonistiigi/binfmt you can reach.`
    );
  }
  return `the emulator installer ${image} failed: ${problem}. Set qemu-image to another tonistiigi/binfmt release, or register QEMU on the host.`;
}

/** Node's os.arch() → GOARCH. */
const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** Where the probe container mounts the engine's binfmt_misc. */
const PROBE_MOUNT = '/binfmt_misc';

/**
 * A container that prints the engine host's binfmt_misc entries as `<file>:<line>` (busybox
 * grep -H), the folder mounted read-only: no privilege, no network, nothing written.
 */
export function probeContainerArgv(image: string): string[] {
  const names = [...new Set(Object.values(QEMU_HANDLER))];
  return [
    'docker',
    'run',
    '--rm',
    '--network',
    'none',
    '--volume',
    `${BINFMT_DIR}:${PROBE_MOUNT}:ro`,
    '--entrypoint',
    'busybox',
    image,
    'grep',
    '-H',
    '',
    `${PROBE_MOUNT}/status`,
    ...names.map((n) => `${PROBE_MOUNT}/${n}`),
  ];
}

/** The probe container's output as file name → text (only the entries it printed). */
export function parseProbeOutput(stdout: string): Record<string, string> {
  const files: Record<string, string[]> = {};
  for (const line of stdout.split('\n')) {
    const m = /^\/binfmt_misc\/([A-Za-z0-9_.-]+):(.*)$/.exec(line.replace(/\r$/, ''));
    if (m) (files[m[1]!] ??= []).push(m[2]!);
  }
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.join('\n')]));
}

export function hostArch(nodeArch: string): string | undefined {
  return NODE_ARCH[nodeArch];
}
