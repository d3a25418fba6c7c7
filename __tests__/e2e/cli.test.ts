import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  actionYml,
  docker,
  indexPlatforms,
  makeWorkspace,
  REGISTRY,
  registryManifest,
  ROOT,
  runJob,
  runnerNode,
  uniqueName,
} from './harness.js';

const CLI = path.join(ROOT, 'dist/cli/index.js');
const SLOW = 300_000;

/** A busybox image whose RUN step runs per platform and needs no network. */
const DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && uname -m > /built-on"]
CMD ["/bin/sh", "-c", "uname -m"]
`;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

/** Run the bundled CLI as a user would (`npx multiarch-action …` runs this file), in cwd. */
function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'macli-')), 'outputs.json');
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, [...args, '--output-json', outFile], {
      cwd,
      env: { PATH: `${path.dirname(runnerNode())}:${process.env.PATH}`, HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs = fs.existsSync(outFile)
        ? (JSON.parse(fs.readFileSync(outFile, 'utf8')) as Record<string, string>)
        : {};
      resolve({ code: code ?? 1, stdout, stderr, outputs });
    });
  });
}

/** A git checkout with one commit, a remote on github.com and the given tag at HEAD. */
function gitCheckout(tag?: string): string {
  const ws = makeWorkspace(DOCKERFILE);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ws, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init');
  git('remote', 'add', 'origin', 'https://github.com/octo-org/octo-repo.git');
  if (tag) git('tag', tag);
  return ws;
}

describe('CLI: multiarch-action build, the same pipeline outside GitHub', () => {
  test(
    'a checkout with tag v1.2.3 at HEAD gives the same tags as the action on a v1.2.3 tag push, and pushes both platforms',
    async () => {
      const ws = gitCheckout('v1.2.3');
      const repo = uniqueName('e2e/cli');
      const inputs = { images: `${REGISTRY}/${repo}`, platforms: 'linux/amd64,linux/arm64' };

      const cli = await runCli(['build', '--images', inputs.images, '--platforms', inputs.platforms], ws);
      // an error line, not a warning that names one (a registry's 5xx on a push is retried with a warning)
      expect(cli.stderr).not.toMatch(/^error:/m);
      expect(cli.code).toBe(0);

      const job = await runJob({
        workspace: ws,
        inputs,
        eventName: 'push',
        ref: 'refs/tags/v1.2.3',
        payload: {
          ref: 'refs/tags/v1.2.3',
          repository: {
            default_branch: 'main',
            html_url: 'https://github.com/octo-org/octo-repo',
            full_name: 'octo-org/octo-repo',
          },
        },
      });
      expect(job.main.code).toBe(0);

      // every output both set, e.g. tags, pushed, platforms (digest/metadata differ per build)
      expect(cli.outputs.tags).toBe(job.main.outputs.tags);
      expect(cli.outputs.tags).toContain(`${REGISTRY}/${repo}:v1.2.3`);
      expect(cli.outputs.pushed).toBe('true');
      expect(cli.outputs.pushed).toBe(job.main.outputs.pushed);
      expect(cli.outputs.platforms).toBe(job.main.outputs.platforms);
      for (const name of Object.keys(job.main.outputs)) expect(Object.keys(cli.outputs)).toContain(name);
      console.log(`tags: CLI ${JSON.stringify(cli.outputs.tags)} = action ${JSON.stringify(job.main.outputs.tags)}`);

      // what the CLI pushed is a real 2-platform index, each platform runs (arm64 under QEMU)
      expect(cli.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      const index = await registryManifest(repo, 'v1.2.3');
      expect(indexPlatforms(index.body)).toEqual(['linux/amd64', 'linux/arm64']);
      for (const [platform, arch] of [
        ['linux/amd64', 'x86_64'],
        ['linux/arm64', 'aarch64'],
      ] as const) {
        const run = docker([
          'run',
          '--rm',
          '--network',
          'none',
          '--pull',
          'always',
          '--platform',
          platform,
          `${REGISTRY}/${repo}:v1.2.3`,
          'cat',
          '/built-on',
        ]);
        expect(run.stdout.trim()).toBe(arch);
      }
      // a terminal summary table and the cleanup, run by the CLI itself
      expect(cli.stdout).toMatch(/\| pushed +\| yes +\|/);
      expect(cli.stdout).toMatch(/cleanup done/);
    },
    SLOW,
  );

  test(
    'a branch checkout without a tag is a branch push: the tag is the branch name',
    async () => {
      const ws = gitCheckout();
      const repo = uniqueName('e2e/cli-branch');
      const cli = await runCli(
        ['build', `--images=${REGISTRY}/${repo}`, '--platforms', 'linux/amd64', '--push', 'false'],
        ws,
      );
      expect(cli.code).toBe(0);
      expect(cli.outputs.tags).toBe(`${REGISTRY}/${repo}:main`);
      expect(cli.outputs.pushed).toBe('false');
      expect(cli.stdout).toContain('context: push refs/heads/main');
    },
    SLOW,
  );

  test(
    'exit codes: 2 for an unknown flag or an invalid input (before any docker command), 1 for a failed build',
    async () => {
      const ws = gitCheckout();
      const unknown = await runCli(['build', '--imagez', 'x/y'], ws);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown option --imagez (did you mean --images');

      const noCommand = await runCli(['--images', 'x/y'], ws);
      expect(noCommand.code).toBe(2);

      const invalid = await runCli(['build', '--images', 'x/y', '--platforms', 'linux/arm65'], ws);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toContain('Input "platforms"');
      expect(invalid.stdout).not.toContain('[command]');

      fs.writeFileSync(
        path.join(ws, 'Dockerfile'),
        'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nRUN --network=none ["/bin/busybox", "false"]\n',
      );
      const failed = await runCli(
        [
          'build',
          '--images',
          `${REGISTRY}/${uniqueName('e2e/cli-fail')}`,
          '--push',
          'true',
          '--platforms',
          'linux/amd64',
        ],
        ws,
      );
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/docker buildx build failed/);
      expect(failed.stdout).toMatch(/cleanup done/);
    },
    SLOW,
  );

  test(
    '--help lists every input of action.yml with its default, and exits 0',
    async () => {
      const help = await runCli(['--help'], os.tmpdir());
      expect(help.code).toBe(0);
      for (const [name, spec] of Object.entries(actionYml().inputs)) {
        expect(help.stdout).toContain(`--${name}`);
        expect(help.stdout).toContain(`default: ${JSON.stringify(spec.default ?? '')}`);
      }
    },
    SLOW,
  );
});
