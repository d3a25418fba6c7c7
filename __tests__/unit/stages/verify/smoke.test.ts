import { summaryPlain } from '../../../../src/run/summary.js';
import { runSmoke } from '../../../../src/stages/verify/act.js';
import {
  archMismatch,
  planSmoke,
  smokeContainerNames,
  smokeFailure,
  smokeSummary,
  smokeTarget,
} from '../../../../src/stages/verify/smoke.js';
import { fakeExec } from '../../fakes.js';

describe('smoke plan', () => {
  test('pushed: run by digest from the registry', () => {
    const t = smokeTarget(['r.io/app:v1', 'r.io/app:latest'], 'sha256:abc', true);
    expect(t).toEqual({ ref: 'r.io/app@sha256:abc', pull: true });
    expect(planSmoke(t!, 'linux/arm64', ['uname', '-m'])).toEqual([
      'docker',
      'run',
      '--rm',
      '--platform',
      'linux/arm64',
      '--pull',
      'always',
      'r.io/app@sha256:abc',
      'uname',
      '-m',
    ]);
  });
  test('registry with a port keeps it', () => {
    expect(smokeTarget(['127.0.0.1:5000/a/b:v1'], 'sha256:d', true)?.ref).toBe('127.0.0.1:5000/a/b@sha256:d');
  });
  test('not pushed: the local tag', () => {
    const t = smokeTarget(['app:v1'], 'sha256:abc', false);
    expect(planSmoke(t!, 'linux/amd64', ['true'])).toEqual([
      'docker',
      'run',
      '--rm',
      '--platform',
      'linux/amd64',
      'app:v1',
      'true',
    ]);
  });
  test('no tag: nothing to run', () => {
    expect(smokeTarget([], 'sha256:abc', false)).toBeUndefined();
  });
  test('failure names each failed platform with its last output line; summary shows every platform', () => {
    const results = [
      { platform: 'linux/amd64', code: 0, output: 'x86_64' },
      { platform: 'linux/arm64', code: 2, output: 'boom\nbad <arch>' },
    ];
    expect(smokeFailure(results, ['t'])?.message).toBe('"t" failed on linux/arm64 (exit 2: bad <arch>)');
    expect(smokeFailure([results[0]!], ['t'])).toBeUndefined();
    const dockerFailed = {
      platform: 'linux/arm64',
      code: 125,
      output: "docker: Error response from daemon: no such image.\nSee 'docker run --help'.",
    };
    expect(smokeFailure([dockerFailed], ['t'])?.message).toBe(
      '"t" failed on linux/arm64 (exit 125: docker: Error response from daemon: no such image.)',
    );
    const md = smokeSummary(results, ['uname', '-m']);
    expect(summaryPlain(md)).toContain('| linux/amd64 | ok | <code>x86_64</code> |');
    expect(md).toContain('| linux\\/arm64 | failed (exit 2) | <code>boom<br>bad &lt;arch&gt;</code> |');
  });
});

test('the smoke test runs each platform by its own tag', () => {
  const target = { ref: '', pull: false, perPlatform: { 'linux/arm64': 'multiarch-smoke-1:linux-arm64' } };
  expect(planSmoke(target, 'linux/arm64', ['uname', '-m'])).toEqual([
    'docker',
    'run',
    '--rm',
    '--platform',
    'linux/arm64',
    'multiarch-smoke-1:linux-arm64',
    'uname',
    '-m',
  ]);
});

test('a pushed image runs each platform by its manifest digest when verify knows them (classic store: one image per name@digest)', () => {
  const t = smokeTarget(['127.0.0.1:5000/app:v1'], 'sha256:idx', true, {
    'linux/amd64': 'sha256:a',
    'linux/arm64': 'sha256:b',
  })!;
  expect(t).toEqual({
    ref: '127.0.0.1:5000/app@sha256:idx',
    pull: true,
    perPlatform: { 'linux/amd64': '127.0.0.1:5000/app@sha256:a', 'linux/arm64': '127.0.0.1:5000/app@sha256:b' },
  });
  expect(planSmoke(t, 'linux/arm64', ['uname', '-m'])).toEqual([
    'docker',
    'run',
    '--rm',
    '--platform',
    'linux/arm64',
    '--pull',
    'always',
    '127.0.0.1:5000/app@sha256:b',
    'uname',
    '-m',
  ]);
  expect(smokeTarget(['127.0.0.1:5000/app:v1'], 'sha256:idx', true)).toEqual({
    ref: '127.0.0.1:5000/app@sha256:idx',
    pull: true,
  });
});

const run = (platform: string, output: string, code = 0) => ({ platform, output, code });

describe('smoke test: an architecture name in the output is compared with the platform', () => {
  test.each([
    ['linux/amd64', 'x86_64'],
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'aarch64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm/v7', 'armv7l'],
    ['linux/arm/v7', 'armhf'],
    ['linux/arm/v6', 'armv6l'],
    ['linux/arm/v6', 'armel'],
    ['linux/386', 'i686'],
    ['linux/386', 'i386'],
    ['linux/386', 'x86_64'], // uname -m names the kernel: a 32-bit image on a 64-bit one
    ['linux/ppc64le', 'ppc64le'],
    ['linux/ppc64le', 'ppc64el'],
    ['linux/s390x', 's390x'],
    ['linux/riscv64', 'riscv64'],
    ['linux/mips64le', 'mips64'],
    ['linux/mips64le', 'mips64el'],
    ['linux/loong64', 'loongarch64'],
    ['linux/loong64', 'loong64'],
  ])('%s printing %s is right', (platform, output) => {
    expect(archMismatch(run(platform, `${output}\n`))).toBeUndefined();
  });

  test.each([
    ['linux/arm64', 'x86_64', 'aarch64 or arm64'],
    ['linux/arm64', 'amd64', 'aarch64 or arm64'],
    ['linux/amd64', 'aarch64', 'x86_64 or amd64'],
    ['linux/arm/v7', 'x86_64', 'armv7l/armv6l or armhf/armel'],
    ['linux/s390x', 'ppc64le', 's390x'],
    ['linux/riscv64', 'armhf', 'riscv64'],
  ])('%s printing %s fails naming both', (platform, output, expected) => {
    expect(archMismatch(run(platform, output))).toBe(
      `${platform} printed ${output}, the name of another architecture (${platform} prints ${expected})`,
    );
  });

  test('other output and failed runs are not judged', () => {
    expect(archMismatch(run('linux/arm64', 'hello x86_64'))).toBeUndefined();
    expect(archMismatch(run('linux/arm64', 'x86_64', 1))).toBeUndefined();
  });

  test('the step fails naming the platform and what it printed; the summary marks it', () => {
    const results = [run('linux/amd64', 'x86_64'), run('linux/arm64', 'x86_64')];
    const err = smokeFailure(results, ['uname', '-m'])!;
    expect(err.message).toMatch(
      /^"uname -m": linux\/arm64 printed x86_64, the name of another architecture \(linux\/arm64 prints aarch64 or arm64\)\. .*TARGETPLATFORM/,
    );
    expect(err.message).not.toMatch(/linux\/amd64 printed/);
    expect(summaryPlain(smokeSummary(results, ['uname', '-m']))).toContain(
      '| linux/arm64 | wrong architecture | <code>x86_64</code> |',
    );
    expect(smokeFailure([run('linux/arm64', 'aarch64')], ['uname', '-m'])).toBeUndefined();
  });
});

describe('smoke-test-timeout', () => {
  test('a run that does not finish is stopped, its container removed, the failure names the platform and the input', async () => {
    const exec = fakeExec((req) =>
      req.argv[1] === 'run' && req.argv.includes('linux/arm64')
        ? { code: 124, stdout: 'starting', stderr: 'x', timedOut: true }
        : { stdout: 'x86_64\n' },
    );
    const results = await runSmoke({ ref: 'app:v1', pull: false }, ['linux/amd64', 'linux/arm64'], ['sleep', 'inf'], {
      exec,
      log: () => undefined,
      warn: () => undefined,
      timeoutSeconds: 5,
      names: ['multiarch-smoke-t-0', 'multiarch-smoke-t-1'],
    });
    const runs = exec.calls.filter((c) => c.argv[1] === 'run');
    expect(runs.map((c) => c.timeoutMs)).toEqual([5000, 5000]);
    expect(runs.map((c) => c.argv[c.argv.indexOf('--name') + 1])).toEqual([
      'multiarch-smoke-t-0',
      'multiarch-smoke-t-1',
    ]);
    expect(exec.calls.filter((c) => c.argv[1] === 'rm').map((c) => c.argv)).toEqual([
      ['docker', 'rm', '--force', '--', 'multiarch-smoke-t-1'],
    ]);
    expect(smokeFailure(results, ['sleep', 'inf'])!.message).toMatch(
      /linux\/arm64 \(exit 124: no result within 5 s \(smoke-test-timeout\): stopped\)/,
    );
  });

  test('0 means no limit', async () => {
    const exec = fakeExec(() => ({}));
    await runSmoke({ ref: 'app:v1', pull: false }, ['linux/amd64'], ['true'], {
      exec,
      log: () => undefined,
      warn: () => undefined,
      timeoutSeconds: 0,
    });
    expect(exec.calls[0]!.timeoutMs).toBe(0);
  });
});

test('a pushed image runs by its name as written (reference.ts reads the tag off): a port stays, no docker.io/library is added', () => {
  expect(smokeTarget(['localhost:5000/app'], 'sha256:d', true)?.ref).toBe('localhost:5000/app@sha256:d');
  expect(smokeTarget(['app:latest'], 'sha256:d', true)?.ref).toBe('app@sha256:d');
  expect(smokeTarget(['app'], 'sha256:d', true)?.ref).toBe('app@sha256:d');
  expect(smokeTarget(['ghcr.io/o/app:1.2'], 'sha256:d', true, { 'linux/amd64': 'sha256:a' })?.perPlatform).toEqual({
    'linux/amd64': 'ghcr.io/o/app@sha256:a',
  });
});

test('each platform’s container carries the run’s id', () => {
  expect(smokeContainerNames('ab12cd34', ['linux/amd64', 'linux/arm/v7'])).toEqual([
    'multiarch-smoke-ab12cd34-0',
    'multiarch-smoke-ab12cd34-1',
  ]);
});
