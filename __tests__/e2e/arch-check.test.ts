import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { docker, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

/** Every platform gets busybox-amd64 at /usr/local/bin/tool: the classic "COPY a vendored binary". */
const WRONG =
  'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY busybox-amd64 /usr/local/bin/tool\n';
/** The same with the right binary per TARGETARCH. */
const RIGHT =
  'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY busybox-$TARGETARCH /usr/local/bin/tool\n';
const PLATFORMS = 'linux/amd64,linux/arm64';

function pushBase(ref: string, dockerfile: string): void {
  const ws = makeWorkspace(dockerfile);
  let res = docker(['buildx', 'build', '--platform', PLATFORMS, '--push', '--provenance=false', '--tag', ref, ws]);
  for (let i = 0; i < 2 && res.code !== 0; i++)
    res = docker(['buildx', 'build', '--platform', PLATFORMS, '--push', '--provenance=false', '--tag', ref, ws]);
  if (res.code !== 0) throw new Error(`push ${ref} failed: ${res.stderr}`);
}

const failure = (errors: string[]) => errors.join('\n');

describe('arch-check: every platform image holds binaries of its own architecture', () => {
  test('pushed: an x86-64 binary copied into every platform fails on linux/arm64 only, naming the file', async () => {
    const job = await runJob({
      workspace: makeWorkspace(WRONG),
      inputs: { images: `${REGISTRY}/${uniqueName('e2e/arch-wrong')}`, tags: 'v1', push: 'true', platforms: PLATFORMS },
    });
    expect(job.main.code).not.toBe(0);
    const err = failure(job.main.errors);
    expect(err).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
    expect(err).not.toMatch(/linux\/amd64 holds/);
    expect(err).toMatch(/TARGETPLATFORM/);
    expect(job.main.outputs.pushed).toBe('true');
    expect(job.main.summary).toMatch(/\| linux\/arm64 \| \*\*1 wrong\*\* \(amd64\) \|/);
    expect(job.main.summary).toMatch(/\| linux\/amd64 \| ok \| 2 \|/);
  }, 300_000);

  test('pushed: the right binary per TARGETARCH passes', async () => {
    const job = await runJob({
      workspace: makeWorkspace(RIGHT),
      inputs: { images: `${REGISTRY}/${uniqueName('e2e/arch-right')}`, tags: 'v1', push: 'true', platforms: PLATFORMS },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.stdout).toMatch(
      /arch-check linux\/arm64: 2 ELF file\(s\) in 2 file\(s\), 2 of 2 layer\(s\) read, 0 for another architecture/,
    );
    expect(job.main.summary).toContain('| linux/arm64 | ok | 2 | 2 | 2 of 2 |');
  }, 300_000);

  test('pull request (no push), docker driver: checked from what the build exported for it', async () => {
    const job = await runJob({
      workspace: makeWorkspace(WRONG),
      eventName: 'pull_request',
      inputs: { images: `${REGISTRY}/${uniqueName('e2e/arch-pr')}`, platforms: PLATFORMS, driver: 'docker' },
    });
    expect(job.main.outputs.pushed).toBe('false');
    expect(job.main.code).not.toBe(0);
    expect(failure(job.main.errors)).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
  }, 300_000);

  test('pull request on a container builder is checked too; arch-check-ignore skips the file', async () => {
    const inputs = {
      images: `${REGISTRY}/${uniqueName('e2e/arch-pr-dc')}`,
      platforms: PLATFORMS,
      driver: 'docker-container',
      'driver-opts': 'image=moby/buildkit:buildx-stable-1',
    };
    const ws = makeWorkspace(WRONG);
    const job = await runJob({ workspace: ws, eventName: 'pull_request', inputs });
    expect(job.main.code).not.toBe(0);
    expect(failure(job.main.errors)).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
    const ignored = await runJob({
      workspace: ws,
      eventName: 'pull_request',
      inputs: { ...inputs, 'arch-check-ignore': '/usr/local/bin/*' },
    });
    expect(ignored.main.errors).toEqual([]);
    expect(ignored.main.code).toBe(0);
  }, 300_000);

  test('no-cache on a pull request: each RUN step runs once (one buildx build), and the check still judges it', async () => {
    // every RUN calls a counter on the runner's loopback (network host); no-cache runs each again if built twice
    const hits: string[] = [];
    const server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const run = `RUN ["/bin/busybox", "sh", "-c", "/bin/busybox wget -q -O- http://127.0.0.1:${port}/$TARGETARCH"]`;
    try {
      const job = await runJob({
        workspace: makeWorkspace(WRONG.replace('COPY busybox-amd64', `${run}\nCOPY busybox-amd64`)),
        eventName: 'pull_request',
        traceDocker: true,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/arch-nocache')}`,
          platforms: PLATFORMS,
          driver: 'docker',
          'no-cache': 'true',
          network: 'host',
          allow: 'network.host',
        },
      });
      expect(job.main.outputs.pushed).toBe('false');
      expect(failure(job.main.errors)).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
      expect(job.main.stdout).toMatch(/arch-check linux\/amd64: 2 ELF file\(s\)/);
      expect(hits.sort()).toEqual(['/amd64', '/arm64']);
      // the build is the only buildx build of the step: it wrote what the check read
      const builds = job.main.dockerCalls.filter((a) => a[0] === 'buildx' && a[1] === 'build');
      expect(builds).toHaveLength(1);
      // beside the engine's store the check's copy carries its mark (export.ts)
      const oci = builds[0]!.map((a) => /^type=oci,dest=(.*arch-check\.oci),tar=false(?:,|$)/.exec(a)).find((m) => m);
      expect(oci).toBeDefined();
      // the export was only for the check: removed once read
      expect(fs.existsSync(oci![1]!)).toBe(false);
    } finally {
      server.close();
    }
  }, 300_000);

  test('arch-check: false skips the check', async () => {
    const job = await runJob({
      workspace: makeWorkspace(WRONG),
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/arch-off')}`,
        tags: 'v1',
        push: 'true',
        platforms: PLATFORMS,
        'arch-check': 'false',
      },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.stdout).not.toMatch(/arch-check linux/);
  }, 300_000);

  test("by default the base image's layers are not read; arch-check: full reads them", async () => {
    const base = `${REGISTRY}/${uniqueName('e2e/arch-base')}:v1`;
    // the base itself ships an x86-64 file on every platform: its problem, not this build's
    pushBase(base, WRONG);
    const ws = makeWorkspace(`FROM ${base}\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /app/tool\n`);
    const image = `${REGISTRY}/${uniqueName('e2e/arch-app')}`;
    const job = await runJob({
      workspace: ws,
      inputs: { images: image, tags: 'v1', push: 'true', platforms: PLATFORMS },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.stdout).toMatch(/arch-check linux\/arm64: 1 ELF file\(s\) in 1 file\(s\), 1 of 3 layer\(s\) read/);
    const full = await runJob({
      workspace: ws,
      inputs: { images: image, tags: 'v1', push: 'true', platforms: PLATFORMS, 'arch-check': 'full' },
    });
    expect(failure(full.main.errors)).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
  }, 300_000);

  test("pull request: the base image's layer blobs are not exported; only the added layer is read", async () => {
    const base = `${REGISTRY}/${uniqueName('e2e/arch-pr-base')}:v1`;
    pushBase(base, RIGHT);
    const ws = makeWorkspace(`FROM ${base}\nARG TARGETARCH\nCOPY busybox-amd64 /app/tool\n`);
    const job = await runJob({
      workspace: ws,
      eventName: 'pull_request',
      traceDocker: true,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/arch-pr-app')}`,
        platforms: PLATFORMS,
        driver: 'docker-container',
        'driver-opts': 'image=moby/buildkit:buildx-stable-1',
      },
    });
    expect(job.main.outputs.pushed).toBe('false');
    expect(failure(job.main.errors)).toMatch(/linux\/arm64 holds 1 amd64 binary: \/app\/tool/);
    expect(job.main.stdout).toMatch(/arch-check linux\/arm64: 1 ELF file\(s\) in 1 file\(s\), 1 of 3 layer\(s\) read/);
    // every base layer was seeded as an empty blob before the build and is still empty after it
    const seeded = /arch-check: (\d+) base image layer\(s\) the build need not export/.exec(job.main.stdout);
    expect(Number(seeded?.[1])).toBeGreaterThan(0);
    expect(job.main.stdout).toContain(`arch-check: ${seeded![1]} of ${seeded![1]} base image layer(s) left unwritten`);
    const builds = job.main.dockerCalls.filter((a) => a[0] === 'buildx' && a[1] === 'build');
    expect(builds).toHaveLength(1);
    expect(builds[0]!.some((a) => /^type=oci,dest=.*arch-check\.oci,tar=false$/.test(a))).toBe(true);
  }, 300_000);

  test('smoke-test: uname -m printing x86_64 on linux/arm64 fails naming both (arch-check off)', async () => {
    const ws = makeWorkspace('FROM scratch\nCOPY busybox-amd64 /bin/busybox\n');
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/arch-smoke')}`,
        push: 'false',
        platforms: PLATFORMS,
        'arch-check': 'false',
        'smoke-test': '/bin/busybox uname -m',
      },
    });
    expect(job.main.code).not.toBe(0);
    expect(failure(job.main.errors)).toMatch(
      /linux\/arm64 printed x86_64, the name of another architecture \(linux\/arm64 prints aarch64 or arm64\)/,
    );
    expect(failure(job.main.errors)).not.toMatch(/linux\/amd64 printed/);
    expect(job.main.summary).toContain('| linux/arm64 | wrong architecture | <code>x86_64</code> |');
  }, 300_000);
});
