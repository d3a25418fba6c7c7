/**
 * Pasted docker/* inputs and outputs against the real engine, buildx, BuildKit and registry
 * as they are: add-hosts in a RUN, call: check, DOCKER_METADATA_OUTPUT_* in GITHUB_ENV, logout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type AuthRegistry, startAuthRegistry } from './auth-registry.js';
import { makeWorkspace, REGISTRY, ROOT, runJob, uniqueName } from './harness.js';

const HOSTS_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "cp", "/etc/hosts", "/hosts"]
`;

const PLAIN_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
CMD ["/bin/busybox", "true"]
`;

/** A user docker config (DOCKER_CONFIG) of the test's own, never the machine's ~/.docker. */
function userConfig(plugins: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18-user-docker-'));
  if (Object.keys(plugins).length) fs.mkdirSync(path.join(dir, 'cli-plugins'));
  for (const [name, target] of Object.entries(plugins)) fs.symlinkSync(target, path.join(dir, 'cli-plugins', name));
  return dir;
}

test('add-hosts is in /etc/hosts of a RUN; the meta outputs are exported to GITHUB_ENV', async () => {
  const ws = makeWorkspace(HOSTS_DOCKERFILE);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'i18-out-'));
  const job = await runJob({
    workspace: ws,
    inputs: {
      images: `${REGISTRY}/${uniqueName('e2e/i18-hosts')}`,
      tags: 'type=raw,value=v1\ntype=raw,value=stable',
      platforms: 'linux/amd64',
      push: 'false',
      'add-hosts': 'docker-i18:10.180.0.1,db-i18=192.168.7.2',
      outputs: `type=local,dest=${out}`,
      'sep-tags': ' ',
    },
  });
  expect(job.main.errors).toEqual([]);
  expect(job.main.code).toBe(0);
  const hosts = fs.readFileSync(path.join(out, 'hosts'), 'utf8');
  expect(hosts).toMatch(/^10\.180\.0\.1\s+docker-i18$/m);
  expect(hosts).toMatch(/^192\.168\.7\.2\s+db-i18$/m);
  // metadata-action's env for later steps, with the (untrimmed) space separator
  expect(job.main.env.DOCKER_METADATA_OUTPUT_TAGS).toBe(job.main.outputs.tags);
  expect(job.main.env.DOCKER_METADATA_OUTPUT_TAG_NAMES).toBe('v1 stable');
  expect(job.main.env.DOCKER_METADATA_OUTPUT_VERSION).toBe('v1');
  expect(JSON.parse(job.main.env.DOCKER_METADATA_OUTPUT_JSON!).tags).toHaveLength(2);
  expect(job.main.outputs['bake-file']).toMatch(/docker-metadata-action-bake\.json$/);
  expect(JSON.parse(job.main.outputs.nodes!)[0]).toMatchObject({ status: 'running' });
}, 300_000);

describe('call: check', () => {
  const LINT_DOCKERFILE = 'FROM scratch as base\nCOPY busybox-amd64 /bin/busybox\n';

  test('buildx 0.29 on a container builder (recent BuildKit): reports the lint warning, builds nothing', async () => {
    const sid = execFileSync('bash', [path.join(ROOT, 'scripts/buildx-sid.sh')], { encoding: 'utf8' }).trim();
    const ws = makeWorkspace(LINT_DOCKERFILE);
    const image = `${REGISTRY}/${uniqueName('e2e/i18-check')}`;
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: image,
        tags: 'v1',
        platforms: 'linux/amd64',
        call: 'check',
        driver: 'docker-container',
        'driver-opts': 'image=moby/buildkit:buildx-stable-1',
      },
      env: { DOCKER_CONFIG: userConfig({ 'docker-buildx': sid }) },
    });
    const log = job.main.stdout;
    expect(log).toMatch(/FromAsCasing/);
    expect(job.main.errors.join('\n')).toMatch(/build checks \(call: check\) found problems/);
    expect(job.main.outputs.pushed).toBe('false');
    // nothing was built or pushed: no image by that name in the registry
    const res = await fetch(`http://${REGISTRY}/v2/${image.slice(REGISTRY.length + 1)}/tags/list`);
    expect(res.status).toBe(404);
    expect(job.post.code).toBe(0);
  }, 300_000);

  test('buildx 0.13 (the stack default): a clear error before building', async () => {
    const ws = makeWorkspace(LINT_DOCKERFILE);
    const job = await runJob({
      workspace: ws,
      inputs: { images: 'x/i18-check', tags: 'v1', platforms: 'linux/amd64', call: 'check' },
      traceDocker: true,
    });
    expect(job.main.code).not.toBe(0);
    expect(job.main.errors.join('\n')).toMatch(
      /call: check needs buildx 0\.15\.0 or later, but this buildx is 0\.13\.1/,
    );
    expect(job.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
  }, 120_000);
});

describe('logout', () => {
  let reg: AuthRegistry;
  const user = 'i18-user';
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  beforeAll(async () => {
    reg = await startAuthRegistry(user, password);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  /** Can a later step (same DOCKER_CONFIG) read the pushed image from the auth registry? */
  const laterStepCanRead = (config: string, ref: string) =>
    spawnSync('docker', ['buildx', 'imagetools', 'inspect', ref], {
      env: { ...process.env, DOCKER_CONFIG: config },
      encoding: 'utf8',
    }).status === 0;

  test.each([
    ['false: the login stays for later steps, post does not remove it', 'false', true],
    ['true (default): post logs out, no credential outlives the job', '', false],
  ])(
    'logout %s',
    async (_name, logout, kept) => {
      const config = userConfig();
      const repo = uniqueName('e2e/i18-logout');
      const job = await runJob({
        workspace: makeWorkspace(PLAIN_DOCKERFILE),
        inputs: {
          images: `${reg.host}/${repo}`,
          tags: 'v1',
          platforms: 'linux/amd64',
          push: 'true',
          registry: reg.host,
          username: user,
          password,
          ...(logout ? { logout } : {}),
        },
        env: { DOCKER_CONFIG: config },
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.outputs.pushed).toBe('true');
      expect(job.post.code).toBe(0);
      const file = path.join(config, 'config.json');
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      expect(text.includes(reg.host)).toBe(kept);
      expect(laterStepCanRead(config, `${reg.host}/${repo}:v1`)).toBe(kept);
    },
    300_000,
  );
});
