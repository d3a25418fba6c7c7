import { runMain } from '../../../src/pipeline/main.js';
import { runPost } from '../../../src/pipeline/post.js';
import type { Deps } from '../../../src/ports/deps.js';
import type { Files } from '../../../src/ports/files.js';
import type { Host } from '../../../src/ports/host.js';
import { fakeActionsCache, fakeArtifactStore, fakeExec } from '../fakes.js';

/** A Host that records everything in order, as the runner would see it. */
function fakeHost(inputs: Record<string, string>, state: Record<string, string> = {}) {
  const log: string[] = [];
  const outputs: Record<string, string> = {};
  let failed = false;
  const host: Host = {
    getInput: (n) => (inputs[n] ?? '').trim(),
    info: (m) => log.push(`info ${m}`),
    warning: (m) => log.push(`warning ${m}`),
    error: (m) => log.push(`error ${m}`),
    debug: () => undefined,
    setOutput: (n, v) => {
      outputs[n] = v;
    },
    exportVariable: () => undefined,
    setSecret: (v) => log.push(`mask ${v}`),
    saveState: (n, v) => {
      state[n] = v;
    },
    getState: (n) => state[n] ?? '',
    group: async (n, fn) => {
      log.push(`group ${n}`);
      return fn();
    },
    summary: async (md) => {
      log.push(`summary ${md}`);
    },
    fail: () => {
      failed = true;
    },
  };
  return { host, log, outputs, state, failed: () => failed };
}

const files: Files = {
  exists: () => true,
  readFile: (p) =>
    p.endsWith('metadata.json')
      ? '{"containerimage.digest":"sha256:abc"}'
      : p.endsWith('iid')
        ? 'sha256:def\n'
        : undefined,
  makeTempDir: (_parent, prefix) => `/rt/${prefix}X`,
  remove: () => undefined,
  writeFile: () => undefined,
  symlink: () => undefined,
  makeDir: () => undefined,
  listDir: () => [],
};

/** An engine whose login to r.io answers with `loginCode`. */
function loginEngine(loginCode = 0) {
  const exec = fakeExec((req) => {
    const a = req.argv.slice(1).join(' ');
    if (a === 'login --username u --password-stdin -- r.io')
      return { code: loginCode, stderr: loginCode ? 'Error response from daemon: 401 Unauthorized' : '' };
    if (a === 'buildx version') return { stdout: 'github.com/docker/buildx v0.13.1 x' };
    if (a.startsWith('info')) return { stdout: '[["driver-type","io.containerd.snapshotter.v1"]]' };
    if (a === 'context show') return { stdout: 'default\n' };
    if (a.startsWith('version')) return { stdout: 'amd64\n' };
    return {};
  });
  return { exec, calls: exec.calls };
}

const INPUTS = {
  images: 'r.io/app',
  tags: 'v1',
  platforms: 'linux/amd64',
  push: 'true',
  context: '.',
  verify: 'false',
  registry: 'r.io',
  username: 'u',
  password: 'hunter2',
  secrets: 'tok=s3cret',
  'secret-envs': 'e=MY_VAR',
};

function deps(host: Host, exec: Deps['exec']): Deps {
  return {
    host,
    exec,
    files,
    env: { GITHUB_WORKSPACE: '/ws', RUNNER_TEMP: '/rt', HOME: '/h', MY_VAR: 'envval', GITHUB_EVENT_NAME: 'push' },
    cwd: '/ws',
    now: () => 0,
    actionsCache: fakeActionsCache(),
    artifacts: fakeArtifactStore(),
  };
}

describe('pipeline with login', () => {
  test('masks first, logs in first, every docker call after uses the per-job DOCKER_CONFIG; state for post', async () => {
    const h = fakeHost(INPUTS);
    const x = loginEngine();
    await runMain(deps(h.host, x.exec));
    expect(h.failed()).toBe(false);
    expect(h.log.slice(0, 3)).toEqual(['mask hunter2', 'mask s3cret', 'mask envval']);
    expect(x.calls[0]!.argv).toEqual(['docker', 'login', '--username', 'u', '--password-stdin', '--', 'r.io']);
    expect(x.calls[0]!.stdin).toBe('hunter2');
    for (const c of x.calls) expect(c.env?.DOCKER_CONFIG).toBe('/rt/multiarch-docker-config-X');
    const build = x.calls.find((c) => c.argv[2] === 'build')!;
    expect(build.env).toEqual({
      BUILDKIT_PROGRESS: 'plain',
      // buildx writes the build checks' warnings into the metadata (annotated as build-push-action)
      BUILDX_METADATA_WARNINGS: 'true',
      DOCKER_CONFIG: '/rt/multiarch-docker-config-X',
      MY_VAR: 'envval',
    });
    expect(build.argv).toEqual(
      expect.arrayContaining([
        '--secret',
        'id=tok,src=/rt/multiarch-X/secret-0',
        '--secret',
        'id=e,env=MY_VAR',
        '--iidfile',
        '/rt/multiarch-X/iid',
      ]),
    );
    for (const c of x.calls) expect(c.argv.join(' ')).not.toMatch(/hunter2|s3cret|envval/);
    expect(JSON.parse(h.state.multiarch!)).toEqual({
      tempDir: '/rt/multiarch-X',
      dockerConfig: '/rt/multiarch-docker-config-X',
      logins: ['r.io'],
    });
    expect(h.outputs).toMatchObject({
      digest: 'sha256:abc',
      imageid: 'sha256:def',
      pushed: 'true',
      platforms: 'linux/amd64',
    });
    const summary = h.log.find((l) => l.startsWith('summary'))!;
    expect(summary).toMatch(/\| pushed \| yes \|/);
    expect(summary).toMatch(/\| cache \| - \|/);
    expect(summary).toMatch(/login 0\.0s, qemu 0\.0s, builder 0\.0s, meta 0\.0s, cache restore 0\.0s, build 0\.0s/);
  });

  test('no credentials: no login; docker calls still use the per-job DOCKER_CONFIG (earlier logins are seeded into it)', async () => {
    const h = fakeHost({ ...INPUTS, username: '', password: '', registry: '' });
    const x = loginEngine();
    await runMain(deps(h.host, x.exec));
    expect(x.calls.some((c) => c.argv[1] === 'login')).toBe(false);
    const dockerConfig = JSON.parse(h.state.multiarch!).dockerConfig as string;
    expect(dockerConfig).toMatch(/multiarch-docker-config-/);
    for (const c of x.calls) expect(c.env?.DOCKER_CONFIG).toBe(dockerConfig);
  });

  test('a failed login: error, pushed=false, summary, no build; post still knows the config folder', async () => {
    const h = fakeHost(INPUTS);
    const x = loginEngine(1);
    await runMain(deps(h.host, x.exec));
    expect(h.failed()).toBe(true);
    expect(h.log.find((l) => l.startsWith('error'))).toMatch(/login to r.io as u failed: .*401/);
    expect(x.calls.some((c) => c.argv[2] === 'build')).toBe(false);
    expect(h.outputs.pushed).toBe('false');
    expect(h.log.some((l) => l.startsWith('summary') && l.includes('| result | failed |'))).toBe(true);
    const state = JSON.parse(h.state.multiarch!);
    expect(state).toMatchObject({ dockerConfig: '/rt/multiarch-docker-config-X' });
    expect(state.logins ?? []).toEqual([]);
  });

  test('secret-envs naming an unset variable is an input error before any docker command', async () => {
    const h = fakeHost({ ...INPUTS, 'secret-envs': 'e=NOT_SET' });
    const x = loginEngine();
    await runMain(deps(h.host, x.exec));
    expect(h.failed()).toBe(true);
    expect(h.log.find((l) => l.startsWith('error'))).toMatch(
      /Input "secret-envs": secret "e" reads environment variable NOT_SET, which is not set/,
    );
    expect(x.calls).toEqual([]);
  });

  test('load with push: auto on a push event loads only: no --push, no error about push', async () => {
    const h = fakeHost({ ...INPUTS, push: 'auto', load: 'true' });
    const x = loginEngine();
    await runMain(deps(h.host, x.exec));
    expect(h.log.some((l) => /cannot be combined with a push/.test(l))).toBe(false);
    const build = x.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build')!;
    expect(build.argv).toContain('--load');
    expect(build.argv).not.toContain('--push');
  });

  test('load with push: true loads and pushes, as build-push-action', async () => {
    const h = fakeHost({ ...INPUTS, push: 'true', load: 'true' });
    const x = loginEngine();
    await runMain(deps(h.host, x.exec));
    expect(h.log.find((l) => l.startsWith('error'))).toBeUndefined();
    const build = x.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build')!;
    // the docker driver over the containerd store: its push is the engine's own image, so --push alone
    expect(build.argv).toContain('--push');
    expect(build.argv).not.toContain('--load');
  });
});

describe('post with a per-job docker config', () => {
  test('removes the builder and logs out with DOCKER_CONFIG, then deletes the folder', async () => {
    const state = {
      multiarch: JSON.stringify({ tempDir: '/rt/t', builder: 'b1', dockerConfig: '/rt/dc', logins: ['r.io', ''] }),
    };
    const h = fakeHost({}, state);
    const x = loginEngine();
    const removed: string[] = [];
    await runPost({ ...deps(h.host, x.exec), files: { ...files, remove: (p) => removed.push(p) } });
    expect(x.calls.map((c) => [c.argv.join(' '), c.env?.DOCKER_CONFIG])).toEqual([
      ['docker buildx rm --force -- b1', '/rt/dc'],
      ['docker logout -- r.io', '/rt/dc'],
      ['docker logout', '/rt/dc'],
    ]);
    expect(removed).toEqual(['/rt/dc', '/rt/t']);
  });
});
