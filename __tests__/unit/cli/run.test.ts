import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type CliDeps, runCli } from '../../../src/cli/run.js';
import { parseActionSpec } from '../../../src/inputs/action-spec.js';
import { realFiles } from '../../../src/ports/files.js';
import { fakeExec } from '../fakes.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const spec = parseActionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

/** A fake world: git says "tag v1.2.3 at HEAD", docker is a containerd-store engine, buildx succeeds or fails. */
function world(opts: { buildFails?: boolean } = {}) {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'clirun-'));
  fs.writeFileSync(path.join(ws, 'Dockerfile'), 'FROM scratch\n');
  const git: Record<string, string> = {
    'rev-parse --verify -q HEAD': 'f'.repeat(40),
    'symbolic-ref -q --short HEAD': 'main',
    'tag --points-at HEAD --sort=-version:refname': 'v1.2.3',
    remote: 'origin',
    'remote get-url origin': 'git@github.com:octo-org/octo-repo.git',
  };
  const exec = fakeExec((req) => {
    const [tool, ...args] = req.argv;
    const key = args.join(' ');
    if (tool === 'git') return key in git ? { stdout: `${git[key]}\n` } : { code: 1 };
    if (key.startsWith('version')) return { stdout: 'amd64\n' };
    if (key === 'buildx version') return { stdout: 'github.com/docker/buildx v0.13.1 abc\n' };
    if (key.startsWith('info')) return { stdout: '[["driver-type","io.containerd.snapshotter.v1"]]\n' };
    if (key === 'context show') return { stdout: 'default\n' };
    if (key.startsWith('buildx build')) {
      if (opts.buildFails) return { code: 1, stderr: 'ERROR: failed to solve: boom\n' };
      // a second build (the smoke test's load, the arch check's re-export) may have no metadata file
      const at = args.indexOf('--metadata-file');
      if (at >= 0)
        fs.writeFileSync(args[at + 1]!, JSON.stringify({ 'containerimage.digest': `sha256:${'d'.repeat(64)}` }));
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
  const deps: CliDeps = {
    spec,
    term,
    exec,
    files: realFiles,
    env: { PATH: process.env.PATH, GITHUB_REF: 'refs/heads/leaked-from-the-shell' },
    cwd: ws,
    now: () => 0,
    tempParent: os.tmpdir(),
  };
  return { calls, deps, term, ws };
}

describe('runCli: the action pipeline with a terminal host and the git context', () => {
  test('tag at HEAD → tag push: tags, push, outputs, summary table, cleanup; exit 0', async () => {
    const w = world();
    const outFile = path.join(w.ws, 'out.json');
    const code = await runCli(
      [
        'build',
        '--images',
        'ghcr.io/octo-org/app',
        '--verify',
        'false',
        '--arch-check',
        'false',
        '--output-json',
        outFile,
      ],
      w.deps,
    );
    expect(w.term.stderr).toBe('');
    expect(code).toBe(0);
    const build = w.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build')!;
    expect(build.argv).toContain('ghcr.io/octo-org/app:v1.2.3');
    expect(build.argv).toContain('--push');
    expect(build.argv).toContain('linux/amd64,linux/arm64');
    expect(w.term.stdout).toContain(
      'context: push refs/tags/v1.2.3 ffffffffffff in https://github.com/octo-org/octo-repo',
    );
    expect(w.term.stdout).toMatch(
      /== qemu\n[\s\S]*== builder\n[\s\S]*== build\n[\s\S]*== cleanup\n[\s\S]*cleanup done/,
    );
    expect(w.term.stdout).toContain(`digest: sha256:${'d'.repeat(64)}`);
    expect(w.term.stdout).toMatch(/\| pushed +\| yes +\|/);
    expect(JSON.parse(fs.readFileSync(outFile, 'utf8'))).toMatchObject({
      tags: 'ghcr.io/octo-org/app:v1.2.3\nghcr.io/octo-org/app:latest',
      pushed: 'true',
      platforms: 'linux/amd64,linux/arm64',
    });
    // every process went through the gateway as argv
    expect(w.calls.every((c) => Array.isArray(c.argv) && ['git', 'docker'].includes(c.argv[0]!))).toBe(true);
  });

  test('a failed build exits 1 and still cleans up', async () => {
    const w = world({ buildFails: true });
    const code = await runCli(['build', '--images', 'ghcr.io/octo-org/app'], w.deps);
    expect(code).toBe(1);
    expect(w.term.stderr).toContain('docker buildx build failed: failed to solve: boom');
    expect(w.term.stdout).toContain('cleanup done');
  });

  test('an invalid input exits 2 before any docker command', async () => {
    const w = world();
    const code = await runCli(['build', '--images', 'x/y', '--platforms', 'linux/arm65'], w.deps);
    expect(code).toBe(2);
    expect(w.term.stderr).toContain('Input "platforms"');
    expect(w.calls.filter((c) => c.argv[0] === 'docker')).toEqual([]);
  });

  test('usage errors exit 2 without running anything; --help exits 0', async () => {
    const w = world();
    expect(await runCli(['build', '--no-such-flag'], w.deps)).toBe(2);
    expect(await runCli([], w.deps)).toBe(2);
    expect(w.calls).toEqual([]);
    expect(await runCli(['--help'], w.deps)).toBe(0);
    expect(w.term.stdout).toContain('--platforms');
  });

  test("the terminal streams get the host's masking function", async () => {
    const w = world();
    const masks: ((t: string) => string)[] = [];
    w.deps.onMask = (fn) => void masks.push(fn);
    await runCli(['build', '--images', 'ghcr.io/octo-org/app'], w.deps);
    expect(masks).toHaveLength(1);
    expect(masks[0]!('plain text')).toBe('plain text');
  });
});
