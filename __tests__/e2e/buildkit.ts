/**
 * Shared setup for the e2e tests on a real BuildKit (docker-container, remote, multi-node builders):
 * where BuildKit comes from, a classic-image-store engine with the BuildKit image in it, a buildkitd
 * on the host, and the leftovers check after post. See shared/buildkit/README.md.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { docker, freePort, ROOT } from './harness.js';
import { type PrivateEngine, startPrivateEngine } from './private-engine.js';

export const BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';

/** shared/buildkit as scripts/stack-up.sh finds it (env, beside this clone, beside the main clone). */
export function buildkitDir(): string | undefined {
  let common = '';
  try {
    common = execFileSync('git', ['-C', ROOT, 'rev-parse', '--path-format=absolute', '--git-common-dir'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    // not a git checkout
  }
  const candidates = [
    process.env.MULTIARCH_BUILDKIT_DIR,
    path.join(ROOT, '..', 'shared', 'buildkit'),
    common && path.join(path.dirname(common), '..', 'shared', 'buildkit'),
  ];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'make-image.sh')));
}

/**
 * Why the BuildKit tests cannot run here, undefined when they can: stack-up.sh puts the image in the
 * shared engine (built from shared/buildkit or pulled). CI always has it.
 */
export function buildkitSkipReason(): string | undefined {
  if (docker(['image', 'inspect', BUILDKIT_IMAGE]).code === 0) return undefined;
  return `${BUILDKIT_IMAGE} is not in the engine and cannot be made: no shared/buildkit beside the clone (make-image.sh) and no registry to pull it from (scripts/stack-up.sh tries both)`;
}

/**
 * Why buildkitd cannot run on the host, undefined when it can: its binaries come from shared/buildkit
 * itself (the image alone, which stack-up.sh may have pulled, does not hold them for the host).
 */
export function hostBuildkitdSkipReason(): string | undefined {
  if (buildkitDir()) return undefined;
  return 'no shared/buildkit (its buildkitd and buildctl) beside the clone, beside the main checkout or in MULTIARCH_BUILDKIT_DIR';
}

/** `describe`, or `describe.skip` with the reason printed once; `hostDaemon`: buildkitd runs on the host too. */
export function describeBuildkit(name: string, fn: () => void, opts: { hostDaemon?: boolean } = {}): void {
  const reason = buildkitSkipReason() ?? (opts.hostDaemon ? hostBuildkitdSkipReason() : undefined);
  if (reason) {
    console.warn(`skipping "${name}": ${reason}`);
    describe.skip(name, fn);
  } else {
    describe(name, fn);
  }
}

/** Copy the BuildKit image from the shared engine into another (docker save | docker load, no registry). */
export async function loadBuildkitImage(host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['save', BUILDKIT_IMAGE], { stdio: ['ignore', 'pipe', 'inherit'] });
    const load = spawn('docker', ['load', '-q'], {
      env: { ...process.env, DOCKER_HOST: host },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    save.stdout.pipe(load.stdin);
    save.on('error', reject);
    load.on('error', reject);
    load.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker load into ${host}: exit ${code}`))));
  });
}

/** A private engine on the classic image store (as GitHub-hosted runners) holding the BuildKit image. */
export async function startClassicEngine(): Promise<PrivateEngine> {
  const engine = await startPrivateEngine({ containerdStore: false });
  try {
    await loadBuildkitImage(engine.host);
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return engine;
}

/** What a builder left in an engine: its containers and volumes (buildx names both after it). */
export function builderLeftovers(name: string, run: (args: string[]) => string): string[] {
  const ps = run(['ps', '-a', '--filter', `name=buildx_buildkit_${name}`, '--format', '{{.Names}}']);
  const vols = run(['volume', 'ls', '--filter', `name=buildx_buildkit_${name}`, '--format', '{{.Name}}']);
  return `${ps}\n${vols}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The shared engine's `docker` as a string-returning runner (for builderLeftovers). */
export const sharedDocker = (args: string[]): string => docker(args).stdout;

/** The name of the builder a job created (from its `builder` output). */
export function createdBuilder(outputs: Record<string, string>): string {
  const name = outputs.builder ?? '';
  if (!/^multiarch-/.test(name)) throw new Error(`expected a builder this action created, got "${name}"`);
  return name;
}

export interface HostBuildkitd {
  endpoint: string;
  stop(): Promise<void>;
}

/** BuildKit's daemon on the host (for the remote driver): loopback tcp, its own root, stopped by pid. */
export async function startHostBuildkitd(): Promise<HostBuildkitd> {
  const dir = buildkitDir();
  if (!dir) throw new Error('no shared/buildkit: cannot run buildkitd on the host');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-buildkitd-'));
  const bin = path.join(root, 'buildkitd');
  fs.writeFileSync(bin, execFileSync('gunzip', ['-c', path.join(dir, 'buildkitd.gz')], { maxBuffer: 256 << 20 }), {
    mode: 0o755,
  });
  const port = await freePort();
  const endpoint = `tcp://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(root, 'buildkitd.log'), 'w');
  // Debian's runc is in /usr/sbin; the daemon looks it up on PATH
  const env = { ...process.env, PATH: `/usr/local/sbin:/usr/sbin:/sbin:${process.env.PATH ?? ''}` };
  const child: ChildProcess = spawn(bin, ['--addr', endpoint, '--root', path.join(root, 'state')], {
    stdio: ['ignore', log, log],
    env,
  });
  const deadline = Date.now() + 60_000;
  while (!fs.readFileSync(path.join(root, 'buildkitd.log'), 'utf8').includes('running server')) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(
        `buildkitd did not start: ${fs.readFileSync(path.join(root, 'buildkitd.log'), 'utf8').slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      fs.closeSync(log);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
