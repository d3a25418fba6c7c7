/** build-push-action's rules the build stage follows: no --platform, load checks, pushing outputs, no default attestations. */
import { StageError } from '../../../../src/errors.js';
import { decidePush } from '../../../../src/inputs/push.js';
import { noDefaultAttestations, outputsPush, resolveProvenance } from '../../../../src/stages/build/options.js';
import { checkLoad, planBuild } from '../../../../src/stages/build/plan.js';

const base = {
  builder: 'b',
  context: '/ws',
  file: '',
  buildArgs: [],
  refs: ['r/app:1'],
  push: false,
  metadataFile: '/m',
};

test("no platforms: no --platform (the builder's own platform)", () => {
  expect(planBuild({ ...base, platforms: [] })).not.toContain('--platform');
  expect(planBuild({ ...base, platforms: ['linux/arm64'] })).toEqual(
    expect.arrayContaining(['--platform', 'linux/arm64']),
  );
});

test('load with several platforms: refused on the classic image store, naming it; fine on containerd or one platform', () => {
  expect(() => checkLoad(true, ['linux/amd64', 'linux/arm64'], false)).toThrow(StageError);
  expect(() => checkLoad(true, ['linux/amd64', 'linux/arm64'], false)).toThrow(/classic image store/);
  expect(() => checkLoad(true, ['linux/amd64', 'linux/arm64'], true)).not.toThrow();
  expect(() => checkLoad(true, ['linux/amd64'], false)).not.toThrow();
  expect(() => checkLoad(false, ['linux/amd64', 'linux/arm64'], false)).not.toThrow();
});

test('load with push: true pushes (and loads)', () => {
  expect(decidePush(true, 'push', ['r/app:1'], { load: true }).enabled).toBe(true);
});

test.each<[string[], boolean]>([
  [['type=image,name=r/app:1,push=true'], true],
  [['type=image,"name=r/app:1,r/app:2",push=true'], true],
  [['type=registry,name=r/app:1'], true],
  [['type=image,name=r/app:1'], false],
  [['type=image,name=r/app:1,push=false'], false],
  [['type=local,dest=out'], false],
  [['type=docker'], false],
  [['out'], false],
  [[], false],
])('outputs %j push: %s', (outputs, pushes) => {
  expect(outputsPush(outputs)).toBe(pushes);
});

test('BUILDX_NO_DEFAULT_ATTESTATIONS: no default provenance; an explicit one stays', () => {
  const ctx = { load: false, outputs: [], builderId: 'u', repoPrivate: false };
  expect(noDefaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: '1' })).toBe(true);
  expect(noDefaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: 'true' })).toBe(true);
  expect(noDefaultAttestations({ BUILDX_NO_DEFAULT_ATTESTATIONS: '0' })).toBe(false);
  expect(noDefaultAttestations({})).toBe(false);
  expect(resolveProvenance('', { ...ctx, noDefaultAttestations: true })).toBeUndefined();
  expect(resolveProvenance('mode=max', { ...ctx, noDefaultAttestations: true })).toBe('mode=max,builder-id=u');
  expect(resolveProvenance('', ctx)).toBe('mode=max,builder-id=u');
});
