import type { Exec, ExecRequest } from '../../../../src/ports/exec.js';
import type { BuildPlanInput } from '../../../../src/stages/build/build.js';
import { loadForSmoke, needsSmokeLoad, planSmokeLoad, removeSmokeImages, smokeLoadTag } from '../../../../src/stages/verify/smoke-load.js';
import { planShardOutput } from '../../../../src/stages/shard/plan.js';
import { planSmoke, smokeTarget } from '../../../../src/stages/verify/smoke.js';

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
  expect(argv.slice(0, 7)).toEqual(['docker', 'buildx', 'build', '--builder', 'multiarch-1-b', '--platform', 'linux/arm64']);
  expect(argv).toEqual(expect.arrayContaining(['--tag', 'multiarch-smoke-1:linux-arm64', '--load', '--build-arg', 'A=1', '--cache-from', 'type=local,src=/c', '--secret', 'id=s,src=/t/s']));
  expect(argv).toEqual(expect.arrayContaining(['--annotation', 'manifest:org.opencontainers.image.title=x', '--metadata-file', '/t/m1.json']));
  for (const gone of ['--push', '--cache-to', '--output', '--provenance', '--sbom', '--no-cache', '--no-cache-filter', '--pull', '--iidfile', '127.0.0.1:5000/app:pr-7', 'index:org.opencontainers.image.title=x']) {
    expect(argv).not.toContain(gone);
  }
  expect(argv[argv.length - 1]).toBe('/ws');
});

test('the smoke test runs each platform by its own tag', () => {
  const target = { ref: '', pull: false, perPlatform: { 'linux/arm64': 'multiarch-smoke-1:linux-arm64' } };
  expect(planSmoke(target, 'linux/arm64', ['uname', '-m'])).toEqual(['docker', 'run', '--rm', '--platform', 'linux/arm64', 'multiarch-smoke-1:linux-arm64', 'uname', '-m']);
});

test('loadForSmoke: each platform in turn; a failure names the platform and buildx last line', async () => {
  const calls: ExecRequest[] = [];
  const exec: Exec = (req) => {
    calls.push(req);
    return Promise.resolve(req.argv.includes('linux/arm64') ? { code: 1, stdout: '', stderr: 'x\nERROR: no space\n' } : { code: 0, stdout: '', stderr: '' });
  };
  const logs: string[] = [];
  await expect(
    loadForSmoke({ 'linux/amd64': ['a', 'linux/amd64'], 'linux/arm64': ['a', 'linux/arm64'] }, { 'linux/amd64': 't:a', 'linux/arm64': 't:b' }, { exec, log: (m) => logs.push(m), env: { K: 'v' } }),
  ).rejects.toThrow(/loading linux\/arm64 into the engine for the smoke test failed: ERROR: no space/);
  expect(calls.map((c) => c.argv[1])).toEqual(['linux/amd64', 'linux/arm64']);
  expect(calls[0]!.env).toEqual({ K: 'v' });
  expect(logs[0]).toMatch(/loading linux\/amd64 into the engine as t:a/);
});

test('removeSmokeImages: one rm for every tag, a warning (never a failure) when it fails', async () => {
  const calls: string[][] = [];
  const warns: string[] = [];
  await removeSmokeImages(['t:a', 't:b'], (req) => (calls.push(req.argv), Promise.resolve({ code: 1, stdout: '', stderr: 'busy' })), (m) => warns.push(m));
  expect(calls).toEqual([['docker', 'image', 'rm', '--force', 't:a', 't:b']]);
  expect(warns[0]).toMatch(/could not remove t:a, t:b: busy/);
  await removeSmokeImages([], () => Promise.reject(new Error('not called')), () => undefined);
});

test('shard output by driver: buildx pushes by digest on container drivers, an OCI layout for skopeo on docker', () => {
  for (const driver of ['docker-container', 'remote', 'kubernetes']) {
    expect(planShardOutput('127.0.0.1:5000/app', driver, '/t/oci')).toBe('type=image,name=127.0.0.1:5000/app,push-by-digest=true,name-canonical=true,push=true');
  }
  expect(planShardOutput('127.0.0.1:5000/app', 'docker', '/t/oci')).toBe('type=oci,dest=/t/oci,tar=false');
});

test('a pushed image runs each platform by its manifest digest when verify knows them (classic store: one image per name@digest)', () => {
  const t = smokeTarget(['127.0.0.1:5000/app:v1'], 'sha256:idx', true, { 'linux/amd64': 'sha256:a', 'linux/arm64': 'sha256:b' })!;
  expect(t).toEqual({ ref: '127.0.0.1:5000/app@sha256:idx', pull: true, perPlatform: { 'linux/amd64': '127.0.0.1:5000/app@sha256:a', 'linux/arm64': '127.0.0.1:5000/app@sha256:b' } });
  expect(planSmoke(t, 'linux/arm64', ['uname', '-m'])).toEqual(['docker', 'run', '--rm', '--platform', 'linux/arm64', '--pull', 'always', '127.0.0.1:5000/app@sha256:b', 'uname', '-m']);
  expect(smokeTarget(['127.0.0.1:5000/app:v1'], 'sha256:idx', true)).toEqual({ ref: '127.0.0.1:5000/app@sha256:idx', pull: true });
});
