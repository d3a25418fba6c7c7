// Build dist/: compile src/ with tsc into lib/, then bundle each entry with ncc.
// Deterministic, so CI can check that the committed dist/ matches a fresh build.
// Entries: main and post (the action's steps), cli (the package's bin: `multiarch-action build`).
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
rmSync('lib', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
for (const entry of ['main', 'post', 'cli']) {
  rmSync(`dist/${entry}`, { recursive: true, force: true });
  run(process.execPath, [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    `lib/entries/${entry}.js`,
    '-o',
    `dist/${entry}`,
    '--license',
    'licenses.txt',
    '--target',
    'es2022',
    '-q',
  ]);
}
// the bin runs without TypeScript or node_modules: `npx multiarch-action build …`
const cli = 'dist/cli/index.js';
const body = readFileSync(cli, 'utf8');
if (!body.startsWith('#!')) writeFileSync(cli, `#!/usr/bin/env node\n${body}`);
chmodSync(cli, 0o755);
