// Bench: step overhead. A = the bundled action run as the runner does (main + post, INPUT_* env,
// GITHUB_* files); B = the raw `docker buildx build` argv that same run ends up executing (taken from
// a traced run). Same 2-platform busybox build, warm engine (both are cache hits), pushed to the
// local registry. A and B alternate in one run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { alternate, busyboxWorkspace, REGISTRY, run, runActionJob, timed, tracedBuild } from './runner.mjs';

export async function benchStepOverhead({ rounds = Number(process.env.BENCH_ROUNDS || 7) } = {}) {
  const ws = busyboxWorkspace();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-overhead-'));
  const image = `${REGISTRY}/bench/overhead-${Date.now().toString(36)}`;
  const inputs = { images: image, tags: 'bench', platforms: 'linux/amd64,linux/arm64', push: 'true' };
  try {
    // 1. a traced run: warms the engine and gives the exact buildx argv
    const { traced, argv } = await tracedBuild({ workspace: ws, inputs, tmp });
    const builder = argv[argv.indexOf('--builder') + 1];
    if (traced.main.state.multiarch && JSON.parse(traced.main.state.multiarch).builder) {
      throw new Error(
        `the action created builder ${builder} (removed by post): the raw argv cannot be replayed; use an engine with the containerd image store`,
      );
    }
    const raw = async () => {
      const r = await run(argv, { env: process.env, cwd: ws });
      if (r.code !== 0) throw new Error(`raw build failed: ${r.stderr}`);
    };
    const action = async () => {
      const r = await runActionJob({ workspace: ws, inputs });
      if (r.main.code !== 0 || r.post.code !== 0)
        throw new Error(
          `action failed (main ${r.main.code}, post ${r.post.code}):\n${r.main.stdout}\n${r.main.stderr}\n${r.post.stderr}`,
        );
    };
    const A = 'raw docker buildx build';
    const B = 'bundled action (main + post)';
    const med = await alternate({ [A]: () => timed(raw), [B]: () => timed(action) }, rounds);
    return [
      {
        bench: 'step overhead (2 platforms, warm, push)',
        a: A,
        ma: med[A],
        b: B,
        mb: med[B],
        note: `action overhead ${((med[B] - med[A]) / 1000).toFixed(2)} s (goal ≤ 0.30 s)`,
        ratio: med[B] / med[A],
        rounds,
      },
    ];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await benchStepOverhead());
}
