// `npm run bench`: every bench, each measuring its A and B side by side (alternating) in this one run,
// then one table of medians and ratios, with the machine and versions the numbers come from.
// Rounds: BENCH_ROUNDS (builds, default 7), BENCH_ROUNDS_FAST (sub-second benches, default 15).
// Layer cache (issue 5) and verify/retries (issue 7) benches belong to those areas.
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

import { benchColdStart } from './cold-start.mjs';
import { benchContainerBuilder } from './container-builder.mjs';
import { benchQemuStage } from './qemu-stage.mjs';
import { runnerNode } from './runner.mjs';
import { benchStepOverhead } from './step-overhead.mjs';

const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
};
const memGiB = (os.totalmem() / 2 ** 30).toFixed(1);
console.log(
  [
    `machine: ${os.cpus().length} cores (nproc ${sh('nproc', [])}), ${memGiB} GiB RAM, ${os.cpus()[0]?.model ?? '?'}, ${os.type()} ${os.release()}`,
    `docker ${sh('docker', ['version', '--format', '{{.Server.Version}}'])}, ${sh('docker', ['buildx', 'version'])}, node ${sh(runnerNode(), ['--version'])} (runs.using node24)`,
    '',
  ].join('\n'),
);

const rows = [];
for (const [name, fn] of [
  ['cold start', benchColdStart],
  ['qemu stage', benchQemuStage],
  ['step overhead', benchStepOverhead],
  ['container builder', benchContainerBuilder],
]) {
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await fn()));
}

const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
const table = [
  ['bench', 'A', 'median A (ms)', 'B', 'median B (ms)', 'B − A (s)', 'B / A', 'rounds', 'note'],
  ...rows.map((r) => [
    r.bench,
    r.a,
    ms(r.ma),
    r.b,
    ms(r.mb),
    ((r.mb - r.ma) / 1000).toFixed(2),
    `${r.ratio < 10 ? r.ratio.toFixed(2) : r.ratio.toFixed(0)}x`,
    String(r.rounds),
    r.note,
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
