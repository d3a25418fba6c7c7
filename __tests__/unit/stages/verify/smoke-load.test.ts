import type { Exec } from '../../../../src/ports/exec.js';
import type { BuildPlanInput } from '../../../../src/stages/build/plan.js';
import { loadForSmoke, removeSmokeImages } from '../../../../src/stages/verify/act.js';
import { needsSmokeLoad, planSmokeLoad, smokeLoadTag } from '../../../../src/stages/verify/smoke-load.js';
import { fakeExec } from '../../fakes.js';

const input: BuildPlanInput = {
  builder: 'multiarch-1-b',
  platforms: ['linux/amd64', 'linux/arm64'],
  context: '/ws',
  file: '/ws/Dockerfile',
  buildArgs: ['A=1'],
  refs: ['127.0.0.1:5000/app:pr-7'],
  labels: ['l=1'],
  annotations: ['index:org.opencontainers.image.title=x', 'manifest:org.opencontainers.image.title=x'],
  push: false,
  metadataFile: '/t/metadata.json',
  cacheFrom: ['type=local,src=/c'],
  cacheTo: ['type=local,dest=/c2,mode=max'],
  options: {
    buildContexts: [],
    secretArgs: ['--secret', 'id=s,src=/t/s'],
    ssh: [],
    target: '',
    provenance: 'mode=max',
    sbom: 'true',
    noCache: true,
    noCacheFilters: ['x'],
    pull: true,
    network: '',
    shmSize: '',
    ulimit: [],
    outputs: ['type=local,dest=out'],
    load: false,
    iidFile: '/t/iid',
    addHosts: [],
    allow: [],
    attests: [],
    call: '',
    cgroupParent: '',
  },
};

test('needsSmokeLoad: only a builder that keeps its results, no push, no load', () => {
  expect(needsSmokeLoad('docker-container', false, false)).toBe(true);
  expect(needsSmokeLoad('remote', false, false)).toBe(true);
  expect(needsSmokeLoad('kubernetes', false, false)).toBe(true);
  expect(needsSmokeLoad('docker', false, false)).toBe(false);
  expect(needsSmokeLoad('docker-container', true, false)).toBe(false);
  expect(needsSmokeLoad('docker-container', false, true)).toBe(false);
});

test('smokeLoadTag: run-unique, one per platform, a valid local reference', () => {
  expect(smokeLoadTag('ab12cd34', 'linux/arm/v7')).toBe('multiarch-smoke-ab12cd34:linux-arm-v7');
});

test('planSmokeLoad: the same build for one platform, loaded under the local tag, writing nothing else', () => {
  const argv = planSmokeLoad(input, 'linux/arm64', 'multiarch-smoke-1:linux-arm64', '/t/m1.json');
  expect(argv.slice(0, 7)).toEqual([
    'docker',
    'buildx',
    'build',
    '--builder',
    'multiarch-1-b',
    '--platform',
    'linux/arm64',
  ]);
  expect(argv).toEqual(
    expect.arrayContaining([
      '--tag',
      'multiarch-smoke-1:linux-arm64',
      '--load',
      '--build-arg',
      'A=1',
      '--cache-from',
      'type=local,src=/c',
      '--secret',
      'id=s,src=/t/s',
    ]),
  );
  expect(argv).toEqual(
    expect.arrayContaining([
      '--annotation',
      'manifest:org.opencontainers.image.title=x',
      '--metadata-file',
      '/t/m1.json',
    ]),
  );
  for (const gone of [
    '--push',
    '--cache-to',
    '--output',
    '--provenance',
    '--sbom',
    '--no-cache',
    '--no-cache-filter',
    '--pull',
    '--iidfile',
    '127.0.0.1:5000/app:pr-7',
    'index:org.opencontainers.image.title=x',
  ]) {
    expect(argv).not.toContain(gone);
  }
  expect(argv[argv.length - 1]).toBe('/ws');
});

// was "buildx' last line" (a rule of its own); the failure text is commandProblem's now: all of a short stderr
test('loadForSmoke: each platform in turn; a failure names the platform and buildx error lines', async () => {
  const exec = fakeExec((req) => (req.argv.includes('linux/arm64') ? { code: 1, stderr: 'x\nERROR: no space\n' } : {}));
  const { calls } = exec;
  const logs: string[] = [];
  await expect(
    loadForSmoke(
      { 'linux/amd64': ['a', 'linux/amd64'], 'linux/arm64': ['a', 'linux/arm64'] },
      { 'linux/amd64': 't:a', 'linux/arm64': 't:b' },
      { exec, log: (m) => logs.push(m), warn: () => undefined, env: { K: 'v' } },
    ),
  ).rejects.toThrow(/loading linux\/arm64 into the engine for the smoke test failed: x\nERROR: no space$/);
  expect(calls.map((c) => c.argv[1])).toEqual(['linux/amd64', 'linux/arm64']);
  expect(calls[0]!.env).toEqual({ K: 'v' });
  expect(logs[0]).toMatch(/loading linux\/amd64 into the engine as t:a/);
});

test('removeSmokeImages: one rm for every tag, a warning (never a failure) when it fails', async () => {
  const warns: string[] = [];
  const exec = fakeExec(() => ({ code: 1, stderr: 'busy' }));
  await removeSmokeImages(['t:a', 't:b'], { exec, log: () => undefined, warn: (m) => warns.push(m) });
  expect(exec.calls.map((c) => c.argv)).toEqual([['docker', 'image', 'rm', '--force', 't:a', 't:b']]);
  expect(warns[0]).toMatch(/could not remove t:a, t:b: busy/);
  await removeSmokeImages([], {
    exec: () => Promise.reject(new Error('not called')),
    log: () => undefined,
    warn: () => undefined,
  });
});

test('a failed load or removal says what failed as commandProblem does: the error lines, else the exit code', async () => {
  const answer =
    (res: { code: number; stderr: string }): Exec =>
    () =>
      Promise.resolve({ stdout: '', ...res });
  const deps = (exec: Exec, warns: string[] = []) => ({
    exec,
    log: () => undefined,
    warn: (m: string) => void warns.push(m),
  });
  await expect(
    loadForSmoke(
      { 'linux/arm64': ['docker', 'buildx', 'build'] },
      { 'linux/arm64': 't:b' },
      deps(answer({ code: 1, stderr: '#5 [2/2] RUN x\nERROR: no space\n' })),
    ),
  ).rejects.toThrow('loading linux/arm64 into the engine for the smoke test failed: #5 [2/2] RUN x\nERROR: no space');
  await expect(
    loadForSmoke(
      { 'linux/arm64': ['docker', 'buildx', 'build'] },
      { 'linux/arm64': 't:b' },
      deps(answer({ code: 2, stderr: '' })),
    ),
  ).rejects.toThrow('loading linux/arm64 into the engine for the smoke test failed: exit 2');
  const warns: string[] = [];
  await removeSmokeImages(['t:a'], deps(answer({ code: 1, stderr: '' }), warns));
  expect(warns).toEqual(['smoke-test: could not remove t:a: exit 1']);
});
