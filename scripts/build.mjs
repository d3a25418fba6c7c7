// Build dist/: compile src/ with tsc into lib/, then bundle each entry with ncc.
// Deterministic, so CI can check that the committed dist/ matches a fresh build.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
rmSync('lib', { recursive: true, force: true });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
for (const entry of ['main', 'post']) {
  rmSync(`dist/${entry}`, { recursive: true, force: true });
  run(process.execPath, [
    'node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', `lib/${entry}.js`,
    '-o', `dist/${entry}`, '--license', 'licenses.txt', '--target', 'es2022', '-q',
  ]);
}
