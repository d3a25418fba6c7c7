/** Build-check warnings in buildx's metadata become ::warning annotations on the Dockerfile line. */
import { runMain } from '../../../../src/pipeline/main.js';
import { buildCheckAnnotations, checksAnnotationsEnabled } from '../../../../src/stages/build/checks.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../../fakes.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const warning = (over: Record<string, unknown> = {}) => ({
  vertex: 'sha256:abc',
  level: 1,
  short: b64("FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)"),
  detail: [b64("'as' and 'FROM' keywords' casing do not match")],
  url: 'https://docs.docker.com/go/dockerfile/rule/from-as-casing/',
  sourceInfo: { filename: 'Dockerfile', language: 'Dockerfile' },
  range: [{ start: { line: 1 }, end: { line: 1 } }],
  ...over,
});
const metadata = (...w: unknown[]) => JSON.stringify({ 'buildx.build.warnings': w });

test('a finding: its rule as title, its detail and link as message, on the Dockerfile line', () => {
  expect(buildCheckAnnotations(metadata(warning()), 'docker/Dockerfile')).toEqual([
    {
      title: 'FromAsCasing',
      message:
        "'as' and 'FROM' keywords' casing do not match\nMore info: https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
      file: 'docker/Dockerfile',
      startLine: 1,
    },
  ]);
});

test('no warnings, unreadable metadata, another file: nothing, or no place', () => {
  expect(buildCheckAnnotations('{}', 'Dockerfile')).toEqual([]);
  expect(buildCheckAnnotations('not json', 'Dockerfile')).toEqual([]);
  const other = buildCheckAnnotations(
    metadata(warning({ sourceInfo: { filename: 'other.Dockerfile' } })),
    'Dockerfile',
  );
  expect(other[0]).not.toHaveProperty('file');
  expect(other[0]).not.toHaveProperty('startLine');
});

test('hostile text from the Dockerfile: no line break survives, 100 kB is clipped, a bad url is dropped', () => {
  const [a] = buildCheckAnnotations(
    metadata(
      warning({
        short: b64('X\n::error::pwned'),
        detail: [b64(`\n::error::x\n${'y'.repeat(100_000)}`)],
        url: 'javascript:alert(1)\n::error::x',
      }),
    ),
    'Dockerfile',
  );
  expect(a!.message).not.toMatch(/[\r\n]/);
  expect(a!.title).not.toMatch(/[\r\n]/);
  expect(a!.message.length).toBeLessThanOrEqual(2001);
  expect(a!.message).not.toContain('More info');
});

test('at most 10 annotations; DOCKER_BUILD_CHECKS_ANNOTATIONS=false turns them off', () => {
  expect(buildCheckAnnotations(metadata(...Array.from({ length: 30 }, () => warning())), 'Dockerfile')).toHaveLength(
    10,
  );
  expect(checksAnnotationsEnabled({})).toBe(true);
  expect(checksAnnotationsEnabled({ DOCKER_BUILD_CHECKS_ANNOTATIONS: 'false' })).toBe(false);
  expect(checksAnnotationsEnabled({ DOCKER_BUILD_CHECKS_ANNOTATIONS: 'true' })).toBe(true);
});

describe('the build asks buildx for the warnings (BUILDX_METADATA_WARNINGS) unless annotations are off', () => {
  const files = { '/ws/Dockerfile': 'FROM scratch\n', '/proc/sys/fs/binfmt_misc/status': 'enabled' };
  async function buildEnv(env: Record<string, string>) {
    const host = fakeHost({ tags: 'r.io/org/app:1', platforms: 'linux/amd64', context: '.', preflight: 'false' });
    const exec = fakeEngine();
    await runMain(fakeDeps(host, exec, fakeFiles(files), { GITHUB_EVENT_NAME: 'push', ...env }));
    return exec.calls.find((c) => c.argv.slice(0, 3).join(' ') === 'docker buildx build')!.env ?? {};
  }
  test.each<[Record<string, string>, string | undefined]>([
    [{}, 'true'],
    [{ DOCKER_BUILD_CHECKS_ANNOTATIONS: 'false' }, undefined],
  ])('%j', async (env, value) => {
    expect((await buildEnv(env)).BUILDX_METADATA_WARNINGS).toBe(value);
  });
});
