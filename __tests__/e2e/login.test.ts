import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { allImageBytes, type AuthRegistry, startAuthRegistry } from './auth-registry.js';
import { docker, findSecretLeaks, type Job, makeWorkspace, runJob, uniqueName } from './harness.js';

// RUN steps use --network=none: hermetic, and independent of the engine's bridge network.
const SECRET_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --mount=type=secret,id=token --mount=type=secret,id=envtok --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox sha256sum /run/secrets/token | /bin/busybox cut -c1-64 > /token.sha && /bin/busybox sha256sum /run/secrets/envtok | /bin/busybox cut -c1-64 > /envtok.sha && /bin/busybox uname -m > /built-on"]
CMD ["/bin/busybox", "cat", "/token.sha"]
`;

const PLAIN_DOCKERFILE = `FROM scratch
ARG TARGETARCH
COPY busybox-$TARGETARCH /bin/busybox
RUN --network=none ["/bin/busybox", "sh", "-c", "/bin/busybox uname -m > /built-on"]
CMD ["/bin/busybox", "cat", "/built-on"]
`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The masks come first: no line is printed before every secret value is masked. */
function maskedFirst(stdout: string, values: string[]): boolean {
  const lines = stdout.split('\n');
  const firstOther = lines.findIndex((l) => l.trim() && !l.startsWith('::add-mask::'));
  return values.every((v) => {
    const i = lines.findIndex((l) => l === `::add-mask::${v}`);
    return i >= 0 && (firstOther < 0 || i < firstOther);
  });
}

function noCredentialLeftovers(job: Job, host: string): void {
  // the per-job docker config folder (and the secret files) lived under RUNNER_TEMP: all gone
  expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
  const state = JSON.parse(job.main.state.multiarch ?? '{}') as { dockerConfig?: string; builder?: string };
  if (state.dockerConfig) expect(fs.existsSync(state.dockerConfig)).toBe(false);
  // and nothing was written to the user's docker config
  const userConfig = path.join(os.homedir(), '.docker', 'config.json');
  if (fs.existsSync(userConfig)) expect(fs.readFileSync(userConfig, 'utf8')).not.toContain(host);
  // no builder of this run remains
  if (state.builder && state.builder !== 'default')
    expect(docker(['buildx', 'inspect', state.builder]).code).not.toBe(0);
}

describe('login: registry with htpasswd (bcrypt) auth, build secrets', () => {
  let reg: AuthRegistry;
  const user = 'e2e-user';
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  beforeAll(async () => {
    reg = await startAuthRegistry(user, password);
  });
  afterAll(async () => {
    await reg?.stop();
  });

  test('the buildx CLI plugin is found with an empty per-job DOCKER_CONFIG', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-'));
    try {
      const out = execFileSync('docker', ['buildx', 'version'], {
        env: { ...process.env, DOCKER_CONFIG: dir },
        encoding: 'utf8',
      });
      expect(out).toMatch(/buildx/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('logs in, builds with secrets, pushes; no password or secret value anywhere; cleanup leaves nothing', async () => {
    const anonymous = await fetch(`http://${reg.host}/v2/`);
    expect(anonymous.status).toBe(401);
    const token = `tok-${Math.random().toString(36).slice(2)},with comma`;
    const envSecret = `envsecret-${Math.random().toString(36).slice(2)}`;
    const ws = makeWorkspace(SECRET_DOCKERFILE);
    const repo = uniqueName('e2e/login');
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${reg.host}/${repo}`,
        tags: 'v1',
        platforms: 'linux/amd64,linux/arm64',
        push: 'true',
        registry: reg.host,
        username: user,
        password,
        secrets: `# the token, quoted: it holds a comma\n"token=${token}"`,
        'secret-envs': 'envtok=MY_ENV_SECRET',
        // secret values are not part of BuildKit's cache key: a cached RUN would not read them
        'no-cache': 'true',
      },
      env: { MY_ENV_SECRET: envSecret },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.outputs.pushed).toBe('true');
    expect(job.main.stdout).toMatch(new RegExp(`logged in to ${reg.host.replace(/\./g, '\\.')} as ${user}`));

    // the password went through stdin only: argv of every docker call is free of it
    const login = job.main.dockerCalls.filter((c) => c[0] === 'login');
    expect(login).toEqual([['login', '--username', user, '--password-stdin', '--', reg.host]]);
    expect(job.main.dockerCalls.find((c) => c[1] === 'build')).toContain('--no-cache');
    for (const call of [...job.main.dockerCalls, ...job.post.dockerCalls]) {
      for (const v of [password, token, envSecret]) expect(call.join(' ')).not.toContain(v);
    }
    expect(job.post.dockerCalls.some((c) => c[0] === 'logout' && c.at(-1) === reg.host)).toBe(true);

    // pushed: the index is in the auth registry and its digest is the output
    const head = await reg.get(`/v2/${repo}/manifests/v1`, 'application/vnd.oci.image.index.v1+json');
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toBe(job.main.outputs.digest);

    // the secrets were readable in RUN --mount=type=secret (their hashes were written) ...
    const bytes = await allImageBytes(reg, repo, 'v1');
    const all = Buffer.concat(bytes);
    expect(all.includes(sha256(token))).toBe(true);
    expect(all.includes(sha256(envSecret))).toBe(true);
    // ... and the values are nowhere in the image: layers, configs, attestations
    for (const v of [token, envSecret, password]) expect(all.includes(v)).toBe(false);

    expect(findSecretLeaks(job, [password, token, envSecret])).toEqual([]);
    expect(maskedFirst(job.main.stdout, [password, token])).toBe(true);
    expect(job.main.summary).toContain(job.main.outputs.digest);
    expect(job.main.summary).toMatch(/\| login \d/);
    expect(job.post.code).toBe(0);
    noCredentialLeftovers(job, reg.host);
  });

  test('a wrong password fails with a clear error before building; nothing leaks; post cleans up', async () => {
    const wrong = `wrong-${Math.random().toString(36).slice(2)}`;
    const ws = makeWorkspace(SECRET_DOCKERFILE);
    const repo = uniqueName('e2e/login-bad');
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: `${reg.host}/${repo}`,
        tags: 'v1',
        platforms: 'linux/amd64',
        push: 'true',
        'registry-auth': `- registry: ${reg.host}\n  username: ${user}\n  password: "${wrong}"\n`,
        secrets: `token=never-${wrong}`,
      },
      env: { MY_ENV_SECRET: 'x' },
      traceDocker: true,
    });
    expect(job.main.code).toBe(1);
    expect(job.main.errors.join('\n')).toMatch(
      new RegExp(`login to ${reg.host.replace(/\./g, '\\.')} as ${user} failed: .*(401|unauthorized)`, 'i'),
    );
    expect(job.main.errors.join('\n')).toMatch(/Check the username and password/);
    expect(job.main.dockerCalls.some((c) => c[0] === 'buildx' && c[1] === 'build')).toBe(false);
    expect(job.main.outputs.pushed).toBe('false');
    expect((await reg.get(`/v2/${repo}/manifests/v1`)).status).toBe(404);
    expect(findSecretLeaks(job, [wrong, password, `never-${wrong}`])).toEqual([]);
    expect(maskedFirst(job.main.stdout, [wrong])).toBe(true);
    expect(job.post.code).toBe(0);
    noCredentialLeftovers(job, reg.host);
  });

  test('a pull request from a fork (empty secrets) with push: auto: no login, no push, success', async () => {
    const ws = makeWorkspace(PLAIN_DOCKERFILE);
    const job = await runJob({
      workspace: ws,
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      payload: { pull_request: { number: 7, head: { repo: { fork: true } } } },
      inputs: {
        images: `${reg.host}/${uniqueName('e2e/fork')}`,
        platforms: 'linux/amd64',
        registry: reg.host,
        username: user,
        password: '',
      },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.outputs.pushed).toBe('false');
    expect(job.main.dockerCalls.some((c) => c[0] === 'login')).toBe(false);
    expect(job.main.dockerCalls.some((c) => c.includes('--push'))).toBe(false);
    expect(job.main.stdout).toMatch(/no password for .*not logging in/);
    expect(job.post.code).toBe(0);
    expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
  });
});

describe('load', () => {
  const LOAD_DOCKERFILE = PLAIN_DOCKERFILE;

  test('load: true with one platform puts the image in the local engine, with an imageid output', async () => {
    const name = uniqueName('e2e/load');
    const ws = makeWorkspace(LOAD_DOCKERFILE);
    const job = await runJob({
      workspace: ws,
      inputs: { images: name, tags: 'v1', platforms: 'linux/amd64', push: 'false', load: 'true' },
      traceDocker: true,
    });
    try {
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.pushed).toBe('false');
      const build = job.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
      expect(build).toContain('--load');
      expect(build).not.toContain('--provenance'); // the docker exporter carries no attestations
      const inspect = docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:v1`]);
      expect(inspect.code).toBe(0);
      expect(job.main.outputs.imageid).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(inspect.stdout.trim()).toBe(job.main.outputs.imageid);
      expect(docker(['run', '--rm', '--network', 'none', `${name}:v1`]).stdout.trim()).toBe('x86_64');
      expect(job.main.summary).toContain('image ID');
    } finally {
      docker(['image', 'rm', '--force', `${name}:v1`]);
    }
  });

  // the engine here keeps multi-platform images (containerd image store): both platforms load, as in
  // build-push-action; the classic store's refusal, naming it, is pinned by the unit tests
  test('load: true with two platforms loads both into an engine with the containerd image store', async () => {
    const ws = makeWorkspace(LOAD_DOCKERFILE);
    const name = uniqueName('e2e/load2');
    const job = await runJob({
      workspace: ws,
      inputs: { images: name, tags: 'v1', platforms: 'linux/amd64,linux/arm64', push: 'false', load: 'true' },
    });
    try {
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      // the arch check read its own marked copy beside the load; the outputs name the loaded image
      expect(job.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file/);
      const loaded = docker(['image', 'inspect', '--format', '{{.Id}}', `${name}:v1`]);
      expect(loaded.code).toBe(0);
      expect(job.main.outputs.digest).toBe(loaded.stdout.trim());
      expect(job.post.code).toBe(0);
    } finally {
      docker(['rmi', '-f', `${name}:v1`]);
    }
  });
});

describe('build failure', () => {
  test('buildx error surfaces as ::error with the Dockerfile path and line; outputs set; post cleans up', async () => {
    const ws = makeWorkspace('', {
      'docker/app.Dockerfile':
        'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\n\nRUN --network=none ["/bin/busybox", "sh", "-c", "echo boom >&2; exit 3"]\n',
    });
    const job = await runJob({
      workspace: ws,
      inputs: {
        images: uniqueName('e2e/fail'),
        tags: 'v1',
        platforms: 'linux/amd64',
        push: 'false',
        file: 'docker/app.Dockerfile',
      },
    });
    expect(job.main.code).toBe(1);
    const line = job.main.stdout.split('\n').find((l) => l.startsWith('::error '))!;
    expect(line).toContain('file=docker/app.Dockerfile');
    expect(line).toContain('line=5');
    expect(job.main.errors[0]).toMatch(/docker buildx build failed: \[\d\/\d\] RUN .*exit code: 3/);
    expect(job.main.outputs.pushed).toBe('false');
    expect(job.main.outputs.tags).toBeDefined();
    expect(job.main.summary).toMatch(/\| result \| failed \|/);
    expect(job.post.code).toBe(0);
    expect(fs.readdirSync(job.runnerTemp)).toEqual([]);
  });
});
