import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { docker, indexPlatforms, makeWorkspace, REGISTRY, registryManifest, runJob, uniqueName } from './harness.js';

/** docker buildx build --push, tried again when the shared registry answers 500 now and then. */
function pushImage(ws: string, platforms: string, ref: string): void {
  let res = docker(['buildx', 'build', '--platform', platforms, '--push', '--tag', ref, ws]);
  for (let i = 0; i < 2 && res.code !== 0; i++)
    res = docker(['buildx', 'build', '--platform', platforms, '--push', '--tag', ref, ws]);
  if (res.code !== 0) throw new Error(`push ${ref} failed: ${res.stderr}`);
}

// jest's testTimeout is a global option: the projects' setting does not reach these tests
/** Two platforms, no RUN step (nothing here needs the engine's network). */
const COPY_ONLY = 'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY Dockerfile /\n';

/** busybox with its applets installed (uname, sh), built without the engine's network. */
const BUSYBOX_NO_NET = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox mkdir -p /usr/bin && /bin/busybox --install -s /bin"]
`;

describe('verification: smoke test per platform, and verify of the pushed index', () => {
  test('smoke-test: uname -m prints x86_64 and aarch64; verify outputs platform → digest', async () => {
    const ws = makeWorkspace(BUSYBOX_NO_NET);
    const repo = uniqueName('e2e/smoke');
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${repo}`,
        tags: 'v1',
        push: 'true',
        platforms: 'linux/amd64,linux/arm64',
        'smoke-test': 'uname -m',
      },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    // each platform's output in the log and the summary
    expect(job.main.stdout).toMatch(/smoke-test linux\/amd64 \(exit 0\):\n {2}x86_64\n/);
    expect(job.main.stdout).toMatch(/smoke-test linux\/arm64 \(exit 0\):\n {2}aarch64\n/);
    expect(job.main.summary).toContain('| linux/amd64 | ok | <code>x86_64</code> |');
    expect(job.main.summary).toContain('| linux/arm64 | ok | <code>aarch64</code> |');
    expect(JSON.parse(job.main.outputs['smoke-results']!)).toEqual({
      'linux/amd64': 'x86_64',
      'linux/arm64': 'aarch64',
    });
    // run from the registry by digest, once per platform: each by its own manifest digest (verify's
    // answer), which the classic image store needs too (one image per name@digest)
    const runs = job.main.dockerCalls.filter((c) => c[0] === 'run');
    expect(runs).toHaveLength(2);
    const byDigest = JSON.parse(job.main.outputs.manifests!) as Record<string, string>;
    for (const r of runs) expect(r).toContain(`${REGISTRY}/${repo}@${byDigest[r[r.indexOf('--platform') + 1]!]}`);

    const index = await registryManifest(repo, 'v1');
    const manifests = JSON.parse(job.main.outputs.manifests!) as Record<string, string>;
    expect(Object.keys(manifests).sort()).toEqual(indexPlatforms(index.body));
    for (const m of index.body.manifests!.filter((x) => x.platform?.os !== 'unknown')) {
      expect(manifests[`${m.platform!.os}/${m.platform!.architecture}`]).toBe(m.digest);
    }
    console.log(
      `smoke log:\n${job.main.stdout
        .split('\n')
        .filter((l) => /smoke-test|^ {2}(x86_64|aarch64)/.test(l))
        .join('\n')}`,
    );
  }, 300_000);

  test('a smoke test that fails on one platform fails the step, naming that platform', async () => {
    const ws = makeWorkspace(BUSYBOX_NO_NET);
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/smoke-fail')}`,
        tags: 'v1',
        push: 'false',
        platforms: 'linux/amd64,linux/arm64',
        'smoke-test': `sh -c 'test "$(uname -m)" = x86_64 || { echo not amd64: $(uname -m); exit 3; }'`,
      },
    });
    expect(job.main.code).toBe(1);
    const error = job.main.errors.join('\n');
    expect(error).toContain('failed on linux/arm64 (exit 3: not amd64: aarch64)');
    expect(error).not.toContain('linux/amd64 (exit');
    expect(job.main.summary).toContain('| linux/arm64 | failed (exit 3) |');
  }, 300_000);

  test('verify catches a tag whose index lacks a platform', async () => {
    // a one-platform index, pushed beforehand
    const repo = uniqueName('e2e/verify');
    const onlyAmd64 = `${REGISTRY}/${repo}:amd64only`;
    pushImage(makeWorkspace(COPY_ONLY), 'linux/amd64', onlyAmd64);

    // test hook: a `docker` first in PATH that, right after the action's build+push succeeds,
    // overwrites the tag with the one-platform index (as a racing push from elsewhere would)
    const hook = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-hook-'));
    const real = execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(hook, 'docker'),
      `#!/usr/bin/env bash\n${JSON.stringify(real)} "$@"; rc=$?\nif [ "$1 $2" = "buildx build" ] && [ $rc = 0 ]; then\n  ${JSON.stringify(real)} buildx imagetools create --tag ${REGISTRY}/${repo}:v1 ${onlyAmd64} >&2 || exit 99\nfi\nexit $rc\n`,
      { mode: 0o755 },
    );
    const job = await runJob({
      workspace: makeWorkspace(COPY_ONLY),
      inputs: { images: `${REGISTRY}/${repo}`, tags: 'v1\nv1-ok', push: 'true', platforms: 'linux/amd64,linux/arm64' },
      env: { PATH: `${hook}:${process.env.PATH}` },
    });
    expect(job.main.code).toBe(1);
    const error = job.main.errors.join('\n');
    console.log(`verify error: ${error}`);
    expect(error).toContain(`${REGISTRY}/${repo}:v1: missing linux/arm64 (it has linux/amd64)`);
    // the untouched tag passed
    expect(error).not.toContain(`${repo}:v1-ok`);
    expect(job.main.stdout).toContain(`verify: ${REGISTRY}/${repo}:v1-ok holds linux/amd64, linux/arm64`);
    expect(indexPlatforms((await registryManifest(repo, 'v1')).body)).toEqual(['linux/amd64']);
    expect(job.post.code).toBe(0);
  }, 300_000);
});
