// Bench: the QEMU stage when every emulator is ready (what the action does on a prepared runner)
// vs starting one privileged container (what an installer-every-time approach costs at least).
// A and B alternate in one run; returns medians and ratios (bench/index.mjs prints them with the others).
// Run with `npm run bench` (builds lib/ first), or alone: node bench/qemu-stage.mjs.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createExec } from '../lib/ports/exec.js';
import { runQemu } from '../lib/stages/qemu/act.js';
import { hostArch } from '../lib/stages/qemu/plan.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const platforms = ['linux/amd64', 'linux/arm64'];
const exec = createExec();
const readFile = (p) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};
const quiet = { log: () => undefined, warn: () => undefined };

async function time(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchQemuStage({ rounds: ROUNDS = Number(process.env.BENCH_ROUNDS_FAST || 15) } = {}) {
  // a local FROM-scratch busybox image: nothing to pull
  const bb = execFileSync('bash', [path.join(root, 'scripts/busybox.sh')], { encoding: 'utf8' }).trim();
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-qemu-'));
  fs.copyFileSync(path.join(bb, 'busybox-amd64'), path.join(ctx, 'busybox'));
  fs.writeFileSync(
    path.join(ctx, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT ["/bin/busybox"]\n',
  );
  const image = `bench/privileged-${Date.now().toString(36)}:1`;
  execFileSync('docker', ['build', '-q', '-t', image, ctx], { stdio: ['ignore', 'ignore', 'inherit'] });

  const variants = {
    'qemu stage, emulators ready (local engine)': () =>
      runQemu(
        platforms,
        { exec, localArch: hostArch(os.arch()), readFile, ...quiet },
        { mode: 'auto', image: 'unused' },
      ),
    'qemu stage, emulators ready (engine asked: docker version)': () =>
      runQemu(platforms, { exec, readFile, ...quiet }, { mode: 'auto', image: 'unused' }),
    'docker run --privileged --rm (local busybox)': async () => {
      const r = await exec({
        argv: ['docker', 'run', '--privileged', '--rm', '--network', 'none', image, 'true'],
        silent: true,
      });
      if (r.code !== 0) throw new Error(`docker run failed: ${r.stderr}`);
    },
  };

  try {
    // check the premise: the stage must really find everything ready and start nothing
    const res = await runQemu(
      platforms,
      { exec, localArch: hostArch(os.arch()), readFile, ...quiet },
      { mode: 'auto', image: 'unused' },
    );
    if (res.installed) throw new Error('emulators were not ready: register qemu-aarch64 first (scripts/stack-up.sh)');
    const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    for (const fn of Object.values(variants)) await fn(); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, fn] of Object.entries(variants)) samples[name].push(await time(fn));
    }
    const med = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    const [a, a2, b] = Object.keys(med);
    return [
      {
        bench: 'qemu stage, emulators ready',
        a,
        ma: med[a],
        b,
        mb: med[b],
        ratio: med[b] / med[a],
        note: 'B = what an installer-every-time approach costs at least',
        rounds: ROUNDS,
      },
      {
        bench: 'qemu stage, emulators ready',
        a: a2,
        ma: med[a2],
        b,
        mb: med[b],
        ratio: med[b] / med[a2],
        note: '',
        rounds: ROUNDS,
      },
    ];
  } finally {
    execFileSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' });
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.table(await benchQemuStage());
}
