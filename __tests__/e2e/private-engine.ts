/**
 * A private Docker engine for cache tests: the shared engine's build cache would make every
 * layer CACHED whether or not our cache was restored, and it must not be pruned. This one runs on
 * its own socket, data-root and exec-root (containerd image store unless asked for the classic
 * one, which GitHub's hosted runners use) and its build cache can be pruned freely. Stopped by pid.
 *
 * Networking: NEVER start it with `--bridge none`: dockerd then deletes the host's docker0
 * interface (removeDefaultBridgeInterface), breaking the shared engine's containers. It gets a
 * bridge of its own (created here, deleted on stop) and no iptables rules.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PrivateEngine {
  /** DOCKER_HOST value. */
  host: string;
  docker(args: string[]): string;
  /** Forget every build cache record of this engine (a fresh runner's engine). */
  pruneBuildCache(): void;
  stop(): Promise<void>;
}

export interface PrivateEngineOptions {
  /** false: the classic image store (no containerd-snapshotter), as on GitHub-hosted runners. Default true. */
  containerdStore?: boolean;
}

export async function startPrivateEngine(opts: PrivateEngineOptions = {}): Promise<PrivateEngine> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'maeng-'));
  const bridge = `mae${Math.random().toString(36).slice(2, 9)}`; // ≤ 15 chars
  const octet = 100 + Math.floor(Math.random() * 150);
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `10.213.${octet}.1/24`, 'dev', bridge]);
  execFileSync('ip', ['link', 'set', bridge, 'up']);
  const sock = path.join(root, 'docker.sock');
  fs.writeFileSync(
    path.join(root, 'daemon.json'),
    JSON.stringify({ features: { 'containerd-snapshotter': opts.containerdStore ?? true } }),
  );
  const log = fs.openSync(path.join(root, 'dockerd.log'), 'w');
  const child: ChildProcess = spawn(
    'dockerd',
    [
      '--data-root',
      path.join(root, 'data'),
      '--exec-root',
      path.join(root, 'exec'),
      '--pidfile',
      path.join(root, 'dockerd.pid'),
      '-H',
      `unix://${sock}`,
      '--bridge',
      bridge,
      '--iptables=false',
      '--ip6tables=false',
      '--config-file',
      path.join(root, 'daemon.json'),
    ],
    { stdio: ['ignore', log, log], detached: false },
  );
  const host = `unix://${sock}`;
  const docker = (args: string[]) =>
    execFileSync('docker', args, {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: host },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      docker(['info', '--format', '{{.ServerVersion}}']);
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(
          `private dockerd did not start: ${fs.readFileSync(path.join(root, 'dockerd.log'), 'utf8').slice(-2000)}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    host,
    docker,
    pruneBuildCache: () => void docker(['buildx', 'prune', '--all', '--force']),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 30_000)))]);
        clearTimeout(timer);
      }
      fs.closeSync(log);
      try {
        execFileSync('ip', ['link', 'del', bridge]);
      } catch {
        // already gone
      }
      try {
        fs.rmSync(root, { recursive: true, force: true });
      } catch {
        // a mount left behind by a killed engine: leave the folder
      }
    },
  };
}
