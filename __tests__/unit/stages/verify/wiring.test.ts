import { Collector } from '../../../../src/inputs/collect.js';
import { parseVerifyInputs } from '../../../../src/inputs/verify.js';
import { splitCommand } from '../../../../src/inputs/verify.js';
import { planSmoke, smokeFailure, smokeSummary, smokeTarget } from '../../../../src/stages/verify/smoke.js';
import { describeVerdict, judgeTag, verdictOk } from '../../../../src/stages/verify/verify.js';

describe('splitCommand: smoke-test into argv without a shell', () => {
  test.each([
    ['uname -m', ['uname', '-m']],
    ["sh -c 'echo $HOME && uname -m'", ['sh', '-c', 'echo $HOME && uname -m']],
    ['echo "a b" c\\ d', ['echo', 'a b', 'c d']],
    ['echo $HOME ${X}', ['echo', '$HOME', '$X']],
    ['ls /bin/*', ['ls', '/bin/*']],
    ['  /app --version  ', ['/app', '--version']],
  ])('%s', (cmd, argv) => {
    expect(splitCommand(cmd)).toEqual(argv);
  });

  test.each([['uname -m | grep x'], ['true && false'], ['echo > /tmp/x'], ['#only a comment']])('refuses %s', (cmd) => {
    expect(() => splitCommand(cmd)).toThrow(/shell|empty/);
  });
});

describe('smoke plan', () => {
  test('pushed: run by digest from the registry', () => {
    const t = smokeTarget(['r.io/app:v1', 'r.io/app:latest'], 'sha256:abc', true);
    expect(t).toEqual({ ref: 'r.io/app@sha256:abc', pull: true });
    expect(planSmoke(t!, 'linux/arm64', ['uname', '-m'])).toEqual(['docker', 'run', '--rm', '--platform', 'linux/arm64', '--pull', 'always', 'r.io/app@sha256:abc', 'uname', '-m']);
  });
  test('registry with a port keeps it', () => {
    expect(smokeTarget(['127.0.0.1:5000/a/b:v1'], 'sha256:d', true)?.ref).toBe('127.0.0.1:5000/a/b@sha256:d');
  });
  test('not pushed: the local tag', () => {
    const t = smokeTarget(['app:v1'], 'sha256:abc', false);
    expect(planSmoke(t!, 'linux/amd64', ['true'])).toEqual(['docker', 'run', '--rm', '--platform', 'linux/amd64', 'app:v1', 'true']);
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
    const dockerFailed = { platform: 'linux/arm64', code: 125, output: 'docker: Error response from daemon: no such image.\nSee \'docker run --help\'.' };
    expect(smokeFailure([dockerFailed], ['t'])?.message).toBe('"t" failed on linux/arm64 (exit 125: docker: Error response from daemon: no such image.)');
    const md = smokeSummary(results, ['uname', '-m']);
    expect(md).toContain('| linux/amd64 | ok | <code>x86_64</code> |');
    expect(md).toContain('| linux/arm64 | failed (exit 2) | <code>boom<br>bad &lt;arch&gt;</code> |');
  });
});

const idx = (platforms: string[], attestation = true) =>
  JSON.stringify({
    manifests: [
      ...platforms.map((p) => ({ digest: `sha256:${p.replace(/\//g, '-')}`, platform: { os: p.split('/')[0], architecture: p.split('/')[1], variant: p.split('/')[2] } })),
      ...(attestation ? [{ digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } }] : []),
    ],
  });

describe('judgeTag: the pushed index against the requested platforms', () => {
  const want = ['linux/amd64', 'linux/arm64'];
  test('exact match, attestations aside → platform → digest', () => {
    const v = judgeTag('r/a:v1', want, { code: 0, stdout: idx(want), stderr: '' });
    expect(verdictOk(v)).toBe(true);
    expect(v.manifests).toEqual({ 'linux/amd64': 'sha256:linux-amd64', 'linux/arm64': 'sha256:linux-arm64' });
  });
  test('a missing platform', () => {
    const v = judgeTag('r/a:v1', want, { code: 0, stdout: idx(['linux/amd64']), stderr: '' });
    expect(verdictOk(v)).toBe(false);
    expect(describeVerdict(v)).toBe('r/a:v1: missing linux/arm64 (it has linux/amd64)');
  });
  test('an extra platform is not "exactly"', () => {
    const v = judgeTag('r/a:v1', ['linux/amd64'], { code: 0, stdout: idx(['linux/amd64', 'linux/s390x'], false), stderr: '' });
    expect(describeVerdict(v)).toBe('r/a:v1: unexpected linux/s390x (it has linux/amd64, linux/s390x)');
  });
  test('a single manifest passes for one platform, fails for two', () => {
    const single = { code: 0, stdout: JSON.stringify({ config: {}, layers: [] }), stderr: '' };
    expect(verdictOk(judgeTag('r/a:v1', ['linux/amd64'], single))).toBe(true);
    expect(describeVerdict(judgeTag('r/a:v1', want, single))).toMatch(/single-platform manifest, not an index; missing linux\/amd64, linux\/arm64/);
  });
  test('unreadable tag', () => {
    expect(describeVerdict(judgeTag('r/a:v1', want, { code: 1, stdout: '', stderr: 'ERROR: r/a:v1: not found\n' }))).toBe(
      'r/a:v1: cannot read it back: ERROR: r/a:v1: not found (it has no platform)',
    );
  });
});

describe('parseVerifyInputs', () => {
  const parse = (values: Record<string, string>) => {
    const c = new Collector();
    const r = parseVerifyInputs((n) => values[n] ?? '', c);
    return { r, errors: c.errors.map((e) => e.message) };
  };
  test('defaults', () => {
    expect(parse({ preflight: 'true', verify: 'true', 'push-retries': '3' })).toEqual({
      r: { preflight: true, verify: true, smokeTest: [], pushRetries: 3, smokeTestTimeout: 300, archCheck: 'true', archCheckIgnore: [] },
      errors: [],
    });
  });
  test.each([
    [{ preflight: 'yes' }, 'Input "preflight": "yes" is not valid: use true or false'],
    [{ verify: 'maybe' }, 'Input "verify": "maybe" is not valid: use true or false'],
    [{ 'push-retries': '-1' }, 'Input "push-retries": "-1" is not valid: use a whole number from 0 (no retries) to 10'],
    [{ 'push-retries': '99' }, 'Input "push-retries": "99" is not valid: use a whole number from 0 (no retries) to 10'],
    [{ 'smoke-test': 'a | b' }, `Input "smoke-test": "|" needs a shell, and the command runs without one: write it as sh -c '...'`],
  ])('%j', (values, error) => {
    expect(parse(values).errors).toEqual([error]);
  });
  test('smoke-test is split', () => {
    expect(parse({ 'smoke-test': 'uname -m' }).r.smokeTest).toEqual(['uname', '-m']);
  });
});
