/**
 * Act: probe the engine's architecture and this machine's binfmt_misc, plan (plan.ts), and run the
 * installer only when the plan names one. The model stage: probe → pure plan → a short act.
 */
import { engineUnreachable, StageError } from '../../errors.js';
import type { QemuMode } from '../../inputs/builder.js';
import { normaliseArch, QEMU_HANDLER } from '../../oci/platforms.js';
import { type ActDeps, type Exec, PULL_TIMEOUT_MS } from '../../ports/exec.js';
import {
  BINFMT_DIR,
  explainInstallFailure,
  hostArch,
  missingList,
  parseBinfmtEntry,
  planInstall,
  planQemu,
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

function probeBinfmt(readFile: QemuDeps['readFile']): Pick<QemuProbe, 'binfmtVisible' | 'handlers'> {
  const binfmtVisible = readFile(`${BINFMT_DIR}/status`) !== undefined;
  const handlers: QemuProbe['handlers'] = {};
  for (const name of new Set(Object.values(QEMU_HANDLER))) {
    const text = readFile(`${BINFMT_DIR}/${name}`);
    if (text !== undefined) handlers[name] = parseBinfmtEntry(text);
  }
  return { binfmtVisible, handlers };
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
  const remote = deps.remoteEngine === true;
  const engineArch = deps.localArch
    ? (hostArch(deps.localArch) ?? normaliseArch(deps.localArch))
    : await probeEngineArch(deps.exec);
  const nodePlatforms = opts.nodePlatforms ?? [];
  const probe = (): QemuProbe =>
    remote ? { engineArch, binfmtVisible: false, handlers: {}, remote } : { engineArch, ...probeBinfmt(deps.readFile) };
  let plan = planQemu(platforms, probe(), nodePlatforms);
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
  // the installer's success is all a remote engine can tell
  if (remote) return { plan, engineArch, installed: argv };
  plan = planQemu(platforms, probe(), nodePlatforms);
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
