/**
 * The end of the main step in one place (src/pipeline/report.ts): whatever happened, the `pushed`
 * output is set once and one summary is written.
 */
import { runMain } from '../../../src/pipeline/main.js';
import { summaryPlain } from '../../../src/run/summary.js';
import { fakeDeps, fakeEngine, fakeFiles, fakeHost } from '../fakes.js';

const IMG = 'ghcr.io/org/app';
const A = `sha256:${'a'.repeat(64)}`;
const files = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/tmp/rt/multiarch-XXXX/metadata.json': JSON.stringify({ 'containerimage.digest': A }),
};
const push = { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' };
const pr = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/1/merge' };

function row(summary: string, name: string): string | undefined {
  return summaryPlain(summary)
    .split('\n')
    .find((l) => l.startsWith(`| ${name} |`));
}

test('a build that pushes: pushed true, one summary that says so', async () => {
  const host = fakeHost({
    images: IMG,
    tags: 'v1',
    platforms: 'linux/amd64',
    push: 'true',
    context: '.',
    qemu: 'false',
    verify: 'false',
  });
  await runMain(fakeDeps(host, fakeEngine(), fakeFiles(files), push));
  expect(host.errors).toEqual([]);
  expect(host.outputs.pushed).toBe('true');
  expect(host.summaries).toHaveLength(1);
  expect(row(host.summaries[0]!, 'pushed')).toBe('| pushed | yes |');
  expect(row(host.summaries[0]!, 'result')).toBe('| result | succeeded |');
  expect(row(host.summaries[0]!, 'digest')).toBe(`| digest | <code>${A}</code> |`);
});

test('a failed build: pushed false, the error, one summary that says failed', async () => {
  const engine = fakeEngine(({ argv }) =>
    argv[2] === 'build' ? { code: 1, stderr: 'ERROR: failed to solve: boom' } : {},
  );
  const host = fakeHost({
    images: IMG,
    tags: 'v1',
    platforms: 'linux/amd64',
    push: 'true',
    context: '.',
    qemu: 'false',
  });
  await runMain(fakeDeps(host, engine, fakeFiles(files), push));
  expect(host.failed).toBe(true);
  expect(host.errors.join('\n')).toMatch(/boom/);
  expect(host.outputs.pushed).toBe('false');
  expect(host.summaries).toHaveLength(1);
  expect(row(host.summaries[0]!, 'result')).toBe('| result | failed |');
});

test('a dry run: pushed false, one summary with "(dry run)" for the digest', async () => {
  const host = fakeHost({
    images: IMG,
    tags: 'v1',
    platforms: 'linux/amd64,linux/arm64',
    push: 'true',
    context: '.',
    'dry-run': 'true',
  });
  await runMain(fakeDeps(host, fakeEngine(), fakeFiles(files), push));
  expect(host.errors).toEqual([]);
  expect(host.outputs.pushed).toBe('false');
  expect(host.outputs.platforms).toBe('linux/amd64,linux/arm64');
  expect(host.summaries).toHaveLength(1);
  expect(row(host.summaries[0]!, 'digest')).toBe('| digest | <code>(dry run)</code> |');
  expect(row(host.summaries[0]!, 'platforms')).toBe('| platforms | linux/amd64, linux/arm64 |');
  // picked: every summary says how the run ended (a dry run's had no result row)
  expect(row(host.summaries[0]!, 'result')).toBe('| result | succeeded |');
});

test('the pushed output is written as soon as the push happened: a job cancelled during verification keeps it', async () => {
  let outputsAtVerify: Record<string, string> | undefined;
  const host = fakeHost({
    images: IMG,
    tags: 'v1',
    platforms: 'linux/amd64',
    push: 'true',
    context: '.',
    qemu: 'false',
  });
  const engine = fakeEngine(({ argv }) => {
    if (argv[2] === 'imagetools') outputsAtVerify ??= { ...host.outputs };
    return {};
  });
  await runMain(fakeDeps(host, engine, fakeFiles(files), push));
  expect(outputsAtVerify?.pushed).toBe('true');
  expect(host.outputs.pushed).toBe('true');
});

test('a merge with nothing to push (pull request) still says pushed false and writes its summary', async () => {
  const host = fakeHost({ images: IMG, tags: 'v1', push: 'auto', mode: 'merge', digests: A });
  await runMain(fakeDeps(host, fakeEngine(), fakeFiles(files), pr));
  expect(host.errors).toEqual([]);
  expect(host.outputs.pushed).toBe('false');
  expect(host.summaries).toHaveLength(1);
  expect(row(host.summaries[0]!, 'pushed')).toBe('| pushed | no |');
  expect(row(host.summaries[0]!, 'result')).toBe('| result | succeeded |');
});
