/**
 * Act: probe the engine's architecture and this machine's binfmt_misc, plan (plan.ts), and run the
 * installer only when the plan names one. The model stage: probe → pure plan → a short act.
 */
import { commandProblem, engineUnreachable, StageError } from '../../errors.js';
import type { QemuMode } from '../../inputs/builder.js';
import { normaliseArch, QEMU_HANDLER } from '../../oci/platforms.js';
import { type ActDeps, type Exec, PULL_TIMEOUT_MS } from '../../ports/exec.js';
import {
  BINFMT_DIR,
  explainInstallFailure,
  hostArch,
  missingList,
  parseBinfmtEntry,
  parseProbeOutput,
  planInstall,
  planQemu,
  probeContainerArgv,
  type QemuPlan,
  type QemuProbe,
} from './plan.js';

export interface QemuDeps extends ActDeps {
  /** The host's arch (os.arch() or GOARCH) when the engine is known to be local (isLocalEngine): no `docker version` needed. */
  localArch?: string;
  /** The engine is not this machine's (not isLocalEngine): binfmt_misc here is not the engine's. */
  remoteEngine?: boolean;
  readFile(p: string): string | undefined;
}

export interface QemuOptions {
  mode: QemuMode;
  image: string;
  /** Platforms served natively by builder nodes (append). */
  nodePlatforms?: string[];
  /** Set when the build does not run on this engine (remote/kubernetes driver): skip in auto mode. */
  skipReason?: string;
  /** An image with busybox (the BuildKit image) to read a remote engine's binfmt_misc in a container. */
  probeImage?: string;
}

export interface QemuResult {
  plan: QemuPlan;
  engineArch: string;
  /** The installer argv, when it ran. */
  installed?: string[];
}

async function probeEngineArch(exec: Exec): Promise<string> {
  const res = await exec({ argv: ['docker', 'version', '--format', '{{.Server.Arch}}'], silent: true });
  if (res.code !== 0) {
    throw engineUnreachable('qemu', res);
  }
  return normaliseArch(res.stdout.trim());
}

type BinfmtView = Pick<QemuProbe, 'binfmtVisible' | 'handlers'>;

function probeBinfmt(readFile: QemuDeps['readFile']): BinfmtView {
  const binfmtVisible = readFile(`${BINFMT_DIR}/status`) !== undefined;
  const handlers: QemuProbe['handlers'] = {};
  for (const name of HANDLER_NAMES) {
    const text = readFile(`${BINFMT_DIR}/${name}`);
    if (text !== undefined) handlers[name] = parseBinfmtEntry(text);
  }
  return { binfmtVisible, handlers };
}

const HANDLER_NAMES = [...new Set(Object.values(QEMU_HANDLER))];

/**
 * Act: read the engine's own binfmt_misc in a tiny container (the host folder mounted read-only,
 * no network, no privilege), for an engine that is not this machine's. An engine whose host has
 * no binfmt_misc mounted shows no handler: the installer (privileged) mounts it and registers them.
 * undefined when the container could not run: the caller says so.
 */
async function probeEngineBinfmt(deps: QemuDeps, image: string): Promise<BinfmtView | undefined> {
  const argv = probeContainerArgv(image);
  deps.log(`reading the engine's ${BINFMT_DIR} in a container: ${argv.join(' ')}`);
  const res = await deps.exec({ argv, silent: true, timeoutMs: PULL_TIMEOUT_MS });
  // grep: 0 found, 1 nothing, 2 a file missing (an unregistered handler); docker's own failures are 125+
  if (res.code > 2) {
    deps.warn(`could not read the engine's ${BINFMT_DIR} (${commandProblem(argv, res)})`);
    return undefined;
  }
  const files = parseProbeOutput(res.stdout);
  // grep said it found lines but none arrived (a relay that lost the output): nothing was read
  if (res.code === 0 && Object.keys(files).length === 0) {
    deps.warn(`could not read the engine's ${BINFMT_DIR} (the probe container printed nothing)`);
    return undefined;
  }
  const handlers: QemuProbe['handlers'] = {};
  for (const name of HANDLER_NAMES) if (files[name] !== undefined) handlers[name] = parseBinfmtEntry(files[name]);
  return { binfmtVisible: true, handlers };
}

/**
 * Act: probe the engine and binfmt_misc, then apply the plan. When every platform is native or
 * has a ready emulator this starts no container: a local engine costs a few file reads, a
 * remote one a `docker version`.
 */
export async function runQemu(
  platforms: string[],
  deps: QemuDeps,
  opts: QemuOptions = { mode: 'auto', image: '' },
): Promise<QemuResult> {
  if (opts.mode === 'false') {
    deps.log('qemu: false, emulators are neither checked nor installed');
    return { plan: { decisions: [], missing: [] }, engineArch: '' };
  }
  if (opts.skipReason && opts.mode === 'auto') {
    deps.log(`qemu: skipped, ${opts.skipReason}`);
    return { plan: { decisions: [], missing: [] }, engineArch: '' };
  }
  const engineArch = deps.localArch
    ? (hostArch(deps.localArch) ?? normaliseArch(deps.localArch))
    : await probeEngineArch(deps.exec);
  const nodePlatforms = opts.nodePlatforms ?? [];
  // another machine's engine: its binfmt_misc is read in a container, only when a platform needs an emulator
  const needsEmulator =
    planQemu(platforms, { engineArch, binfmtVisible: true, handlers: {} }, nodePlatforms).missing.length > 0;
  const probe = async (): Promise<QemuProbe> => {
    if (!deps.remoteEngine) return { engineArch, ...probeBinfmt(deps.readFile) };
    const view = needsEmulator && opts.probeImage ? await probeEngineBinfmt(deps, opts.probeImage) : undefined;
    // not read at all: the installer's success is all such an engine can tell
    return view ? { engineArch, ...view } : { engineArch, binfmtVisible: false, handlers: {}, remote: true };
  };
  const first = await probe();
  const remote = first.remote === true;
  let plan = planQemu(platforms, first, nodePlatforms);
  for (const d of plan.decisions) deps.log(`${d.platform}: ${d.status} — ${d.reason}`);
  if (!remote)
    for (const d of plan.decisions.filter((x) => x.status === 'unknown'))
      deps.warn(`${d.platform}: ${d.reason}; set qemu: true to install emulators anyway`);

  const argv = planInstall(plan, opts.mode, opts.image, remote);
  if (!argv) {
    if (plan.missing.length) {
      const list = missingList(plan);
      throw new StageError(
        'qemu',
        `no emulator for ${list}. Build only for platforms this machine runs, or add a builder node for them (append).`,
      );
    }
    return { plan, engineArch };
  }
  deps.log(`installing emulators: ${argv.join(' ')}`);
  const run = await deps.exec({ argv, timeoutMs: PULL_TIMEOUT_MS });
  if (run.code !== 0) throw new StageError('qemu', explainInstallFailure(opts.image, argv, run));
  if (remote) return { plan, engineArch, installed: argv };
  plan = planQemu(platforms, await probe(), nodePlatforms);
  if (plan.missing.length) {
    const list = missingList(plan);
    throw new StageError(
      'qemu',
      `the installer ran but there is still no emulator for ${list}. Register QEMU on the host (apt-get install qemu-user-static binfmt-support), ` +
        `or build only for platforms this machine runs.`,
    );
  }
  return { plan, engineArch, installed: argv };
}
