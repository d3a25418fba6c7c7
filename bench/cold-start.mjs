// Bench: cold start, process start to the first docker command (a `docker` shim first in PATH logs
// a timestamp). A = the action's main step run as the runner does; B = the CLI (dist/cli).
// Both in dry-run mode (the first command is the same read-only probe; nothing is built).
// Baseline: `node -e ''` start to exit, for scale.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  alternate,
  busyboxWorkspace,
  dockerShim,
  nowNs,
  readDockerLog,
  REGISTRY,
  ROOT,
  run,
  runActionJob,
  runnerNode,
  timed,
} from './runner.mjs';

export async function benchColdStart({ rounds = Number(process.env.BENCH_ROUNDS_FAST || 15) } = {}) {
  const ws = busyboxWorkspace();
  const git = (...a) => execFileSync('git', a, { cwd: ws, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=b', '-c', 'user.email=b@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
  const shim = dockerShim(path.join(tmp, 'shim'));
  const image = `${REGISTRY}/bench/cold-${Date.now().toString(36)}`;
  let n = 0;
  const firstDocker = (log, started) => {
    const calls = readDockerLog(log);
    if (!calls.length) throw new Error('no docker command was run');
    return Number(calls[0].ns - started) / 1e6;
  };
  const action = async () => {
    const log = path.join(tmp, `a${n++}.log`);
    const r = await runActionJob({
      workspace: ws,
      inputs: { images: image, tags: 'cold', platforms: 'linux/amd64,linux/arm64', 'dry-run': 'true' },
      shim,
      dockerLog: log,
    });
    if (r.main.code !== 0) throw new Error(`action failed: ${r.main.stdout}`);
    return firstDocker(log, r.main.started);
  };
  const cli = async () => {
    const log = path.join(tmp, `c${n++}.log`);
    const env = {
      PATH: `${shim}:${path.dirname(runnerNode())}:${process.env.PATH}`,
      HOME: process.env.HOME ?? '/root',
      BENCH_DOCKER_LOG: log,
    };
    const started = nowNs();
    const r = await run(
      [runnerNode(), path.join(ROOT, 'dist/cli/index.js'), 'build', '--images', image, '--tags', 'cold', '--dry-run'],
      { env, cwd: ws },
    );
    if (r.code !== 0) throw new Error(`CLI failed: ${r.stderr}`);
    return firstDocker(log, started);
  };
  const bare = () => timed(() => run([runnerNode(), '-e', '']));
  try {
    const A = 'action main (dist/main)';
    const B = 'CLI (dist/cli build)';
    const med = await alternate({ [A]: action, [B]: cli, node: bare }, rounds);
    return [
      {
        bench: 'cold start: spawn → first docker command',
        a: A,
        ma: med[A],
        b: B,
        mb: med[B],
        ratio: med[B] / med[A],
        note: `bare node24 start+exit: ${med.node.toFixed(0)} ms`,
        rounds,
      },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await benchColdStart());
}
