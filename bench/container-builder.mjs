// Bench: the docker-container builder (what driver auto creates on GitHub-hosted runners' classic
// image store). Two pairs, each alternating A and B in this one run:
// 1. builder setup: A = the engine's own builder answering `docker buildx inspect --bootstrap`
//    (nothing to create: driver auto on the containerd store), B = `docker buildx create --driver
//    docker-container` + `inspect --bootstrap` (container started, BuildKit booted) + `buildx rm`.
// 2. step overhead on one container builder: A = the raw `docker buildx build` argv a traced run of
//    the action executed, B = the bundled action (main + post) with `builder:` naming that same
//    builder. 2-platform busybox build, warm (all cache hits), pushed to the local registry.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { alternate, busyboxWorkspace, REGISTRY, run, runActionJob, timed, tracedBuild } from './runner.mjs';

const must = async (argv, what) => {
  const r = await run(argv, { env: process.env });
  if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr}`);
  return r;
};

async function benchBoot(rounds) {
  let n = 0;
  const create = async () => {
    const name = `bench-boot-${process.pid}-${n++}`;
    await must(
      ['docker', 'buildx', 'create', '--name', name, '--driver', 'docker-container', '--driver-opt', 'network=host'],
      'create',
    );
    try {
      await must(['docker', 'buildx', 'inspect', '--bootstrap', '--builder', name], 'boot');
    } finally {
      await run(['docker', 'buildx', 'rm', '--force', name], { env: process.env });
    }
  };
  const engine = () => must(['docker', 'buildx', 'inspect', '--bootstrap', '--builder', 'default'], 'inspect default');
  const A = 'engine builder (docker driver)';
  const B = 'docker-container create + boot + rm';
  const med = await alternate({ [A]: () => timed(engine), [B]: () => timed(create) }, rounds);
  return {
    bench: 'builder setup',
    a: A,
    ma: med[A],
    b: B,
    mb: med[B],
    note: `a container builder costs ${((med[B] - med[A]) / 1000).toFixed(2)} s before the build`,
    ratio: med[B] / med[A],
    rounds,
  };
}

async function benchStep(rounds) {
  const ws = busyboxWorkspace();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cb-'));
  const builder = `bench-cb-${process.pid}`;
  const image = `${REGISTRY}/bench/container-${Date.now().toString(36)}`;
  const inputs = { images: image, tags: 'bench', platforms: 'linux/amd64,linux/arm64', push: 'true', builder };
  await must(
    [
      'docker',
      'buildx',
      'create',
      '--name',
      builder,
      '--driver',
      'docker-container',
      '--driver-opt',
      'network=host',
      '--bootstrap',
    ],
    'create',
  );
  try {
    const { argv } = await tracedBuild({ workspace: ws, inputs, tmp });
    const raw = async () => {
      const r = await run(argv, { env: process.env, cwd: ws });
      if (r.code !== 0) throw new Error(`raw build failed: ${r.stderr}`);
    };
    const action = async () => {
      const r = await runActionJob({ workspace: ws, inputs });
      if (r.main.code !== 0 || r.post.code !== 0)
        throw new Error(
          `action failed (main ${r.main.code}, post ${r.post.code}):\n${r.main.stdout}\n${r.main.stderr}`,
        );
    };
    const A = 'raw docker buildx build';
    const B = 'bundled action (main + post)';
    const med = await alternate({ [A]: () => timed(raw), [B]: () => timed(action) }, rounds);
    return {
      bench: 'step overhead, docker-container builder (2 platforms, warm, push)',
      a: A,
      ma: med[A],
      b: B,
      mb: med[B],
      note: `action overhead ${((med[B] - med[A]) / 1000).toFixed(2)} s on the same builder`,
      ratio: med[B] / med[A],
      rounds,
    };
  } finally {
    await run(['docker', 'buildx', 'rm', '--force', builder], { env: process.env });
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

export async function benchContainerBuilder({ rounds = Number(process.env.BENCH_ROUNDS || 7) } = {}) {
  return [await benchBoot(rounds), await benchStep(rounds)];
}
