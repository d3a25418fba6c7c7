import { runMain } from '../../../src/pipeline/main.js';
import { runPost } from '../../../src/pipeline/post.js';
import { summaryPlain } from '../../../src/run/summary.js';
import { fakeDeps, fakeEngine, fakeExec, fakeFiles, fakeHost } from '../fakes.js';

const ws = { '/ws/Dockerfile': 'FROM scratch\n', '/ws/sub/Dockerfile.x': 'FROM scratch\n' };

describe('bad inputs: ::error naming the input, failed step, zero exec calls', () => {
  test.each<[string, Record<string, string>, string, RegExp]>([
    ['unknown arch', { platforms: 'linux/arm65' }, 'platforms', /arm65.*valid/],
    ['empty platforms', { platforms: ' , ' }, 'platforms', /at least one platform/],
    ['push without images', { push: 'true', images: '' }, 'images', /empty but push is true/],
    ['missing Dockerfile', { file: 'nope/Dockerfile' }, 'file', /not found/],
    ['missing context', { context: 'nope' }, 'context', /does not exist/],
    ['no Dockerfile in context', { context: 'sub' }, 'file', /no Dockerfile in the context/],
    ['image with a tag', { images: 'ghcr.io/o/app:v1' }, 'images', /must not contain a tag/],
    ['uppercase is lowered, but spaces are not a name', { images: 'my app' }, 'images', /not a valid image name/],
    ['unknown tag type', { tags: 'type=bogus,value=1' }, 'tags', /bogus/],
    ['bad push', { push: 'yes' }, 'push', /auto, true or false/],
    ['bad build-arg', { 'build-args': '=oops' }, 'build-args', /not a valid build-arg name/],
  ])('%s', async (_n, inputs, input, why) => {
    const host = fakeHost({ platforms: 'linux/amd64,linux/arm64', push: 'auto', context: '.', ...inputs });
    const exec = fakeExec();
    await runMain(fakeDeps(host, exec, fakeFiles(ws)));
    expect(host.failed).toBe(true);
    expect(host.errors.some((e) => e.startsWith(`Input "${input}"`) && why.test(e))).toBe(true);
    expect(exec.calls).toEqual([]);
  });

  test('all problems are reported at once', async () => {
    const host = fakeHost({ platforms: 'linux/arm65', tags: 'type=bogus', context: '.' });
    await runMain(fakeDeps(host, fakeExec(), fakeFiles(ws)));
    expect(host.errors.map((e) => e.split(':')[0])).toEqual(['Input "tags"', 'Input "platforms"']);
  });

  test('a build-arg error never echoes the value', async () => {
    const host = fakeHost({ platforms: 'linux/amd64', context: '.', 'build-args': 'bad key=s3cret' });
    await runMain(fakeDeps(host, fakeExec(), fakeFiles(ws)));
    expect(host.errors.join('\n')).not.toContain('s3cret');
  });
});

describe('happy path with a stubbed engine', () => {
  const binfmt = {
    '/proc/sys/fs/binfmt_misc/status': 'enabled',
    '/proc/sys/fs/binfmt_misc/qemu-aarch64': 'enabled\ninterpreter /q\nflags: PF\n',
    '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': 'sha256:abc' }),
  };
  // a fresh engine per test: no test sees another's calls
  let engine = fakeEngine();
  beforeEach(() => {
    engine = fakeEngine();
  });

  test('push event: builds, pushes, sets outputs and state', async () => {
    const host = fakeHost({
      images: 'Reg.io/O/App',
      tags: 'v1',
      platforms: 'linux/amd64,linux/arm64',
      push: 'auto',
      context: '.',
      verify: 'false',
    });
    await runMain(
      fakeDeps(host, engine, fakeFiles({ ...ws, ...binfmt }), {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
      }),
    );
    expect(host.errors).toEqual([]);
    expect(host.failed).toBe(false);
    const build = engine.calls.find((c) => c.argv[2] === 'build')!;
    expect(build.argv).toContain('--push');
    expect(build.argv).toEqual(expect.arrayContaining(['--tag', 'reg.io/o/app:v1']));
    expect(host.outputs).toMatchObject({
      tags: 'reg.io/o/app:v1',
      digest: 'sha256:abc',
      pushed: 'true',
      platforms: 'linux/amd64,linux/arm64',
    });
    expect(JSON.parse(host.state.multiarch!)).toEqual({
      tempDir: '/tmp/rt/multiarch-XXXX',
      dockerConfig: '/tmp/rt/multiarch-docker-config-XXXX',
    });
    expect(summaryPlain(host.summaries.join(''))).toContain('reg.io/o/app:v1');
  });

  test("the context's own builder: its inspect starts with the build, not before; builder-platforms is set", async () => {
    const eng = fakeEngine((req) =>
      req.argv[2] === 'inspect' ? { stdout: 'Driver: docker\nPlatforms: linux/amd64, linux/arm64\n' } : {},
    );
    const host = fakeHost({
      images: 'r/app',
      tags: 'v1',
      platforms: 'linux/amd64,linux/arm64',
      push: 'true',
      context: '.',
      verify: 'false',
    });
    await runMain(
      fakeDeps(host, eng, fakeFiles({ ...ws, ...binfmt }), {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
      }),
    );
    expect(host.errors).toEqual([]);
    const buildx = eng.calls.map((c) => c.argv.slice(1, 4).join(' ')).filter((c) => c.startsWith('buildx'));
    // the first buildx processes of the run are these two, started together
    expect(buildx.slice(0, 2).sort()).toEqual(['buildx build --builder', 'buildx inspect --bootstrap']);
    expect(host.outputs).toMatchObject({
      builder: 'default',
      driver: 'docker',
      'builder-platforms': 'linux/amd64,linux/arm64',
    });
  });

  test('pull_request event with push auto: builds without --push', async () => {
    const host = fakeHost({ images: 'r/app', platforms: 'linux/amd64', push: 'auto', context: '.' });
    await runMain(
      fakeDeps(host, engine, fakeFiles({ ...ws, ...binfmt }), {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/7/merge',
      }),
    );
    const build = engine.calls.find((c) => c.argv[2] === 'build')!;
    expect(build.argv).not.toContain('--push');
    expect(host.outputs.tags).toBe('r/app:pr-7');
    expect(host.outputs.pushed).toBe('false');
  });
});

describe('post', () => {
  test('removes what main created and never fails', async () => {
    const host = fakeHost(
      {},
      { multiarch: JSON.stringify({ tempDir: '/t/x', builder: 'b1', dockerConfig: '/t/cfg' }) },
    );
    const exec = fakeExec(() => ({ code: 1, stderr: 'no such builder' }));
    const files = fakeFiles();
    await runPost(fakeDeps(host, exec, files));
    expect(exec.calls.map((c) => c.argv)).toEqual([['docker', 'buildx', 'rm', '--force', '--', 'b1']]);
    expect(files.removed).toEqual(['/t/cfg', '/t/x']);
    expect(host.warnings).toEqual(['cleanup: remove builder b1: no such builder']);
    expect(host.failed).toBe(false);
  });

  test('no state (main died before saving any): nothing to do', async () => {
    const host = fakeHost();
    const exec = fakeExec();
    await runPost(fakeDeps(host, exec, fakeFiles()));
    expect(exec.calls).toEqual([]);
    expect(host.failed).toBe(false);
  });
});
