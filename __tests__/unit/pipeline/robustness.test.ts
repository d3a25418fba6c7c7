/**
 * The robustness rules that are logic: stage errors are shortened; the CLI's
 * --output-json never loses a build. (A smoke test that never returns: stages/verify/smoke.test.ts.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runCli } from '../../../src/cli/run.js';
import { clipMessage, StageError } from '../../../src/errors.js';
import { parseActionSpec } from '../../../src/inputs/action-spec.js';
import { realFiles } from '../../../src/ports/files.js';
import { fakeExec } from '../fakes.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const spec = parseActionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

describe('stage errors are shortened', () => {
  test('a 100 kB value in a stage error gives a bounded message that says what was left out', () => {
    const err = new StageError(
      'build',
      `docker buildx build failed: ${'word '.repeat(20_000)} and ${'x'.repeat(100_000)}`,
    );
    expect(err.message.length).toBeLessThan(4200);
    expect(err.message).toMatch(/more characters left out\)$/);
    expect(clipMessage(`label ${'y'.repeat(100_000)} bad`)).toMatch(/^label y{60}…\(100000 characters\) bad$/);
  });
});

describe('CLI --output-json', () => {
  function world() {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'clijson-'));
    fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
    const exec = fakeExec((req) => {
      const key = req.argv.slice(1).join(' ');
      if (req.argv[0] === 'git') return { code: 1 };
      if (key.startsWith('info'))
        return {
          stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n[{"Name":"buildx","Version":"v0.13.1"}]\n',
        };
      if (key.startsWith('buildx build')) {
        // the arch check's re-export is a second build without a metadata file
        const at = req.argv.indexOf('--metadata-file');
        if (at >= 0)
          fs.writeFileSync(req.argv[at + 1]!, JSON.stringify({ 'containerimage.digest': `sha256:${'d'.repeat(64)}` }));
      }
      return {};
    });
    const { calls } = exec;
    const term = {
      stdout: '',
      stderr: '',
      out: (t: string) => void (term.stdout += t),
      err: (t: string) => void (term.stderr += t),
    };
    const deps = {
      spec,
      term,
      exec,
      files: realFiles,
      env: { PATH: process.env.PATH },
      cwd: ws,
      now: () => 0,
      tempParent: os.tmpdir(),
    };
    return { ws, calls, term, deps };
  }

  test('into a folder that does not exist: a usage error before any docker command', async () => {
    const w = world();
    expect(
      await runCli(
        ['build', '--images', 'r.io/app', '--push', 'false', '--output-json', 'no/such/dir/out.json'],
        w.deps,
      ),
    ).toBe(2);
    expect(w.term.stderr).toMatch(/--output-json: folder .*no\/such\/dir does not exist/);
    expect(w.calls.filter((c) => c.argv[0] === 'docker')).toEqual([]);
  });

  test('a file that cannot be written after the build: one clear error, the outputs still printed, exit 1', async () => {
    const w = world();
    const target = path.join(w.ws, 'out.json');
    fs.mkdirSync(target); // EISDIR when written, after the build
    const code = await runCli(
      ['build', '--images', 'r.io/app', '--push', 'false', '--platforms', 'linux/amd64', '--output-json', target],
      w.deps,
    );
    expect(code).toBe(1);
    expect(w.term.stdout).toContain(`digest: sha256:${'d'.repeat(64)}`);
    expect(w.term.stderr).toMatch(
      /error: --output-json: cannot write the outputs to .*out\.json: EISDIR.*The outputs are printed above/,
    );
    expect(w.term.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('preflight reads no Dockerfile linked out of the workspace', () => {
  test('leavesWorkspace: a link inside pointing outside is refused; a path given outside, or a link within, is fine', async () => {
    // the one rule every path input goes through (src/inputs/workspace-paths.ts); preflight uses it too
    const { leavesWorkspace } = await import('../../../src/inputs/workspace-paths.js');
    const real = (p: string) => realFiles.realPath!(p);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leaves-'));
    const ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(root, 'host-file'), 'FROM x\n');
    fs.writeFileSync(path.join(ws, 'Dockerfile.real'), 'FROM x\n');
    fs.symlinkSync(path.join(root, 'host-file'), path.join(ws, 'Dockerfile'));
    fs.symlinkSync(path.join(ws, 'Dockerfile.real'), path.join(ws, 'Dockerfile.in'));
    expect(leavesWorkspace(path.join(ws, 'Dockerfile'), ws, real)).toBe(fs.realpathSync(path.join(root, 'host-file')));
    expect(leavesWorkspace(path.join(ws, 'Dockerfile.in'), ws, real)).toBeUndefined();
    expect(leavesWorkspace(path.join(root, 'host-file'), ws, real)).toBeUndefined();
    fs.rmSync(root, { recursive: true, force: true });
  });
});
