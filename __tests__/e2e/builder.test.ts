import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { BUSYBOX_DOCKERFILE, docker, makeWorkspace, REGISTRY, ROOT, runJob, uniqueName } from './harness.js';

const T = 300_000;
const ARM64_HANDLER = '/proc/sys/fs/binfmt_misc/qemu-aarch64';

/** A loopback stand-in for the buildx releases page: serves files, counts requests. */
async function releaseServer(
  files: Record<string, Buffer | string>,
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(body) })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('qemu stage on a real engine', () => {
  test(
    'emulators registered: no container is started, and arm64 RUN steps still run under QEMU',
    async () => {
      expect(fs.readFileSync(ARM64_HANDLER, 'utf8')).toMatch(/^enabled/);
      const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
      const repo = uniqueName('e2e/qemu-ready');
      const job = await runJob({
        workspace: ws,
        traceDocker: true,
        inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1', platforms: 'linux/amd64,linux/arm64', push: 'true' },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      // every docker command of the run: none starts a container
      expect(job.main.dockerCalls.length).toBeGreaterThan(0);
      expect(job.main.dockerCalls.filter((argv) => argv[0] === 'run' || argv[0] === 'container')).toEqual([]);
      expect(job.main.stdout).toMatch(/linux\/arm64: emulated — qemu-aarch64/);
      expect(job.main.stdout).toMatch(/linux\/amd64: native/);
      expect(job.main.summary).toMatch(/qemu 0\.0s/);
      expect(job.main.outputs).toMatchObject({ builder: 'default', driver: 'docker' });
      expect(job.main.outputs['builder-platforms']!.split(',')).toEqual(
        expect.arrayContaining(['linux/amd64', 'linux/arm64']),
      );
      expect(docker(['pull', '--platform', 'linux/arm64', `${REGISTRY}/${repo}:v1`]).code).toBe(0);
      const builtOn = docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--platform',
        'linux/arm64',
        `${REGISTRY}/${repo}:v1`,
        'cat',
        '/built-on',
      ]);
      expect(builtOn.stderr).toBe('');
      expect(builtOn.stdout.trim()).toBe('aarch64');
      docker(['image', 'rm', `${REGISTRY}/${repo}:v1`]);
      expect(job.post.code).toBe(0);
      // the engine's own builder is not ours: never removed
      expect(job.post.dockerCalls.filter((a) => a[1] === 'rm')).toEqual([]);
    },
    T,
  );
});

describe('buildx-version: install from a loopback release server into the tool cache', () => {
  let sidBuildx: Buffer;
  let toolCache: string;
  const asset = '/v0.29.1/buildx-v0.29.1.linux-amd64';
  beforeAll(() => {
    const bin = execFileSync('bash', [path.join(ROOT, 'scripts/buildx-sid.sh')], { encoding: 'utf8' }).trim();
    sidBuildx = fs.readFileSync(bin);
    toolCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-toolcache-'));
  }, T);
  afterAll(() => fs.rmSync(toolCache, { recursive: true, force: true }));
  const sums = (sha: string) => `${sha}  buildx-v0.29.1.linux-amd64\n${'0'.repeat(64)}  buildx-v0.29.1.linux-arm64\n`;

  test(
    'downloaded and verified once, used for the build, then taken from the tool cache',
    async () => {
      const sha = createHash('sha256').update(sidBuildx).digest('hex');
      const server = await releaseServer({ [asset]: sidBuildx, '/v0.29.1/checksums.txt': sums(sha) });
      try {
        const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
        const run = () =>
          runJob({
            workspace: ws,
            traceDocker: true,
            env: { RUNNER_TOOL_CACHE: toolCache },
            inputs: {
              images: `${REGISTRY}/${uniqueName('e2e/buildx-install')}`,
              tags: 'v1',
              push: 'false',
              'buildx-version': '0.29.1',
              'buildx-download-url': server.url,
            },
          });
        const first = await run();
        expect(first.main.errors).toEqual([]);
        expect(first.main.code).toBe(0);
        expect(server.requests.sort()).toEqual(['/v0.29.1/buildx-v0.29.1.linux-amd64', '/v0.29.1/checksums.txt']);
        expect(first.main.stdout).toMatch(new RegExp(`sha256 ${sha} verified`));
        expect(first.main.stdout).toMatch(/buildx: github\.com\/docker\/buildx 0\.29\.1/);
        expect(first.main.dockerCalls.some((a) => a[0] === 'buildx' && a[1] === 'build')).toBe(true);
        const cached = path.join(toolCache, 'docker-buildx', '0.29.1', 'amd64', 'docker-buildx');
        expect(createHash('sha256').update(fs.readFileSync(cached)).digest('hex')).toBe(sha);
        // the user's docker config is untouched, the per-job one is gone after post
        expect(docker(['buildx', 'version']).stdout).not.toMatch(/0\.29\.1/);
        expect(first.post.code).toBe(0);
        expect(fs.readdirSync(first.runnerTemp)).toEqual([]);

        const second = await run();
        expect(second.main.code).toBe(0);
        expect(second.main.stdout).toMatch(/buildx 0\.29\.1: found in the tool cache/);
        expect(second.main.stdout).toMatch(/buildx: github\.com\/docker\/buildx 0\.29\.1/);
        expect(server.requests).toHaveLength(2);
      } finally {
        await server.close();
      }
    },
    T,
  );

  test(
    'a wrong checksum fails with a clear error and installs nothing',
    async () => {
      const server = await releaseServer({ [asset]: sidBuildx, '/v0.29.1/checksums.txt': sums('f'.repeat(64)) });
      const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-toolcache-'));
      try {
        const job = await runJob({
          workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
          traceDocker: true,
          env: { RUNNER_TOOL_CACHE: emptyCache },
          inputs: { images: 'x/y', push: 'false', 'buildx-version': '0.29.1', 'buildx-download-url': server.url },
        });
        expect(job.main.code).toBe(1);
        expect(job.main.errors.join('\n')).toMatch(
          /checksum mismatch for buildx-v0\.29\.1\.linux-amd64.*expected sha256 f{64}.*nothing was installed/,
        );
        expect(job.main.dockerCalls.some((a) => a[1] === 'build')).toBe(false);
        expect(fs.readdirSync(emptyCache)).toEqual([]);
        expect(job.post.code).toBe(0);
        expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
      } finally {
        await server.close();
        fs.rmSync(emptyCache, { recursive: true, force: true });
      }
    },
    T,
  );
});

describe('builders this action creates', () => {
  test(
    'docker-container: unique name, created, and removed by post even when it cannot boot',
    async () => {
      // moby/buildkit cannot be pulled here: point image= at a local registry tag that does not exist
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        traceDocker: true,
        inputs: {
          images: 'x/y',
          push: 'false',
          driver: 'docker-container',
          'driver-opts': `image=${REGISTRY}/${uniqueName('e2e/no-buildkit')}:none`,
        },
      });
      expect(job.main.code).toBe(1);
      const create = job.main.dockerCalls.find((a) => a[0] === 'buildx' && a[1] === 'create')!;
      const name = create[create.indexOf('--name') + 1]!;
      expect(name).toMatch(/^multiarch-1234-1-build-[0-9a-f]{8}$/);
      expect(create).toEqual(expect.arrayContaining(['--driver', 'docker-container', '--buildkitd-flags']));
      expect(job.main.errors.join('\n')).toMatch(new RegExp(`booting builder ${name} failed.*driver-opts image=`, 's'));
      expect(job.post.dockerCalls).toEqual([['buildx', 'rm', '--force', '--', name]]);
      expect(job.post.stdout).toMatch(new RegExp(`removed builder ${name}`));
      expect(docker(['buildx', 'inspect', name]).code).not.toBe(0);
    },
    T,
  );

  test(
    'an existing builder is used and never removed',
    async () => {
      const job = await runJob({
        workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
        traceDocker: true,
        inputs: { images: 'x/y', push: 'false', builder: 'default', platforms: 'linux/amd64' },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.outputs.builder).toBe('default');
      expect(job.main.dockerCalls.filter((a) => a[1] === 'create')).toEqual([]);
      expect(job.post.dockerCalls).toEqual([]);
    },
    T,
  );
});

/** The binfmt_misc register line that recreates a handler exactly as /proc shows it. */
function registerLine(name: string, text: string): string {
  const field = (k: string) => new RegExp(`^${k} (.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  const hex = (h: string) => h.replace(/(..)/g, '\\x$1');
  const mask = field('mask');
  return `:${name}:M:${field('offset') || '0'}:${hex(field('magic'))}:${mask ? hex(mask) : ''}:${field('interpreter')}:${field('flags:')}`;
}

describe('qemu stage: a missing emulator is installed by the (local) installer image', () => {
  // qemu-mips64 (big-endian) is a handler no other test uses; it is restored exactly afterwards.
  // qemu-aarch64 and qemu-x86_64 are never touched.
  const HANDLER = '/proc/sys/fs/binfmt_misc/qemu-mips64';
  const REGISTER = '/proc/sys/fs/binfmt_misc/register';
  test(
    'only the missing arch is installed, with qemu-image, in one privileged container',
    async () => {
      const saved = fs.readFileSync(HANDLER, 'utf8');
      const line = registerLine('qemu-mips64', saved);
      const interpreter = /^interpreter (.*)$/m.exec(saved)![1]!;
      // a FROM-scratch stand-in for tonistiigi/binfmt: `--install mips64` registers the handler
      const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-binfmt-'));
      const bb = execFileSync('bash', [path.join(ROOT, 'scripts/busybox.sh')], { encoding: 'utf8' }).trim();
      fs.copyFileSync(path.join(bb, 'busybox-amd64'), path.join(ctx, 'busybox'));
      fs.copyFileSync(fs.realpathSync(interpreter), path.join(ctx, 'qemu'));
      fs.writeFileSync(path.join(ctx, 'reg-mips64'), line);
      fs.writeFileSync(
        path.join(ctx, 'install.sh'),
        'set -e\n[ "$1" = --install ] || exit 2\nB=/proc/sys/fs/binfmt_misc\n[ -e $B/register ] || /bin/busybox mount -t binfmt_misc binfmt_misc $B\n' +
          'for a in $(echo "$2" | /bin/busybox tr , " "); do\n  [ -f /reg-$a ] || { echo "no emulator for $a" >&2; exit 1; }\n  /bin/busybox cat /reg-$a > $B/register\n  echo "installed $a"\ndone\n',
      );
      fs.writeFileSync(
        path.join(ctx, 'Dockerfile'),
        `FROM scratch\nCOPY busybox /bin/busybox\nCOPY qemu ${interpreter}\nCOPY reg-mips64 install.sh /\nENTRYPOINT ["/bin/busybox", "sh", "/install.sh"]\n`,
      );
      const image = `${uniqueName('e2e/binfmt-installer')}:1`;
      expect(docker(['build', '-q', '-t', image, ctx]).code).toBe(0);
      fs.writeFileSync(HANDLER, '-1'); // unregister: now missing
      try {
        expect(fs.existsSync(HANDLER)).toBe(false);
        const job = await runJob({
          workspace: makeWorkspace('FROM scratch\nCOPY Dockerfile /Dockerfile\n'),
          traceDocker: true,
          inputs: {
            images: 'x/y',
            push: 'false',
            platforms: 'linux/amd64,linux/arm64,linux/mips64',
            'qemu-image': image,
          },
        });
        expect(job.main.errors).toEqual([]);
        expect(job.main.code).toBe(0);
        expect(job.main.stdout).toMatch(/linux\/mips64: missing — qemu-mips64 is not registered/);
        expect(job.main.dockerCalls.filter((a) => a[0] === 'run')).toEqual([
          ['run', '--privileged', '--rm', '--network', 'none', image, '--install', 'mips64'],
        ]);
        expect(fs.readFileSync(HANDLER, 'utf8')).toMatch(/^enabled/);
      } finally {
        if (fs.existsSync(HANDLER)) fs.writeFileSync(HANDLER, '-1');
        fs.writeFileSync(REGISTER, line);
        docker(['image', 'rm', image]);
        fs.rmSync(ctx, { recursive: true, force: true });
      }
      expect(fs.readFileSync(HANDLER, 'utf8')).toBe(saved);
    },
    T,
  );
});
