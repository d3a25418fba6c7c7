// Entry of the CLI (bundled to dist/cli, the package's bin). Everything else is side-effect free.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCli } from '../cli/run.js';
import { findActionYml, loadActionSpec } from '../inputs/action-spec.js';
import { createExec } from '../ports/exec.js';
import { realFiles } from '../ports/files.js';
import { processSignals } from '../ports/signals.js';

// action.yml sits beside the bundle's package root: dist/cli/index.js → ../../action.yml
const here = path.dirname(fs.realpathSync(fileURLToPath(import.meta.url)));
const ymlPath = findActionYml(here);
if (!ymlPath) {
  process.stderr.write(`multiarch-action: action.yml not found above ${here}\n`);
  process.exit(2);
}
// @actions/tool-cache (a buildx install) reads these from process.env; a runner sets them, a laptop does not
process.env.RUNNER_TOOL_CACHE ||= path.join(os.homedir(), '.cache', 'multiarch-action', 'tool-cache');
process.env.RUNNER_TEMP ||= os.tmpdir();
// Secrets registered with setSecret are masked in everything written to the terminal, including
// what docker and buildx stream through the exec gateway.
let mask = (text: string) => text;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(
      typeof chunk === 'string' || Buffer.isBuffer(chunk) ? mask(chunk.toString()) : chunk,
      ...rest,
    )) as typeof stream.write;
}
// after SIGHUP (a closed terminal) a write fails with EIO or EPIPE: the cleanup must still run to its end
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
// SIGINT/SIGTERM/SIGHUP stop every docker process of the run; the cleanup then runs on its own gateway
const stopped = new AbortController();
const code = await runCli(process.argv.slice(2), {
  spec: loadActionSpec(ymlPath),
  term: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
  exec: createExec(process.env, { signal: stopped.signal }),
  files: realFiles,
  env: process.env,
  cwd: process.cwd(),
  now: () => Date.now(),
  tempParent: os.tmpdir(),
  onMask: (fn) => {
    mask = fn;
  },
  signals: { source: processSignals, abort: () => stopped.abort(), cleanupExec: createExec() },
});
process.exitCode = code;
