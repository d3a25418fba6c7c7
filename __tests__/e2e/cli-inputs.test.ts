import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeWorkspace, ROOT, runnerNode } from './harness.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');

/** Run the bundled CLI with the given PATH entries in front (node's folder always). */
function cli(
  args: string[],
  cwd: string,
  pathDirs: string[] = [process.env.PATH ?? ''],
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(runnerNode(), [CLI, ...args], {
      cwd,
      env: { PATH: [path.dirname(runnerNode()), ...pathDirs].join(':'), HOME: process.env.HOME ?? '/root' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function checkout(): string {
  const ws = makeWorkspace('FROM scratch\nCOPY busybox-amd64 /b\n');
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ws, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
  return ws;
}

/** A PATH folder with git but no docker: a machine without the docker CLI. */
function pathWithoutDocker(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ma-nodocker-'));
  fs.symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), path.join(dir, 'git'));
  return dir;
}

describe('CLI: flags, input errors and a missing docker CLI', () => {
  test('a value flag given bare is a usage error naming it (exit 2); --dry-run before the command is the flag and the command', async () => {
    const ws = checkout();
    const bare = await cli(['build', '--images'], ws);
    expect(bare.code).toBe(2);
    expect(bare.out).toMatch(/--images needs a value/);
    const dry = await cli(['--dry-run', 'build', '--platforms', 'linux/amd64', '--cache', 'none'], ws);
    expect(dry.out).not.toMatch(/unexpected argument|missing command/);
    expect(dry.out).toMatch(/dry-run: planning every stage/);
    expect(dry.code).toBe(0);
  }, 120_000);

  test('a tag expression mistake is an input error (exit 2) before any docker command: even without a docker CLI', async () => {
    const r = await cli(
      [
        'build',
        '--images',
        'r.io/o/app',
        '--tags',
        'type=raw,value={{branch',
        '--username',
        'u',
        '--password',
        'pw-0123456789',
      ],
      checkout(),
      [pathWithoutDocker()],
    );
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Input "tags": "type=raw,value=\{\{branch" \(value\): an expression is not closed/);
    expect(r.out).not.toMatch(/docker CLI not found/);
  }, 120_000);

  test('no docker CLI: the first stage to run docker says so, not "check the username and password"', async () => {
    const r = await cli(
      [
        'build',
        '--images',
        'r.io/o/app',
        '--platforms',
        'linux/amd64',
        '--username',
        'u',
        '--password',
        'pw-0123456789',
        '--registry',
        'r.io',
      ],
      checkout(),
      [pathWithoutDocker()],
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/docker CLI not found on PATH/);
    expect(r.out).not.toMatch(/Check the username/);
  }, 120_000);

  test('outside a git repository the context says so, not "detached HEAD"', async () => {
    const dir = makeWorkspace('FROM scratch\nCOPY busybox-amd64 /b\n');
    const r = await cli(
      ['build', '--dry-run', '--platforms', 'linux/amd64', '--tags', 'type=raw,value=v1', '--cache', 'none'],
      dir,
    );
    expect(r.out).toMatch(/no git context: .* is not inside a git repository/);
    expect(r.out).not.toMatch(/detached HEAD/);
  }, 120_000);
});
