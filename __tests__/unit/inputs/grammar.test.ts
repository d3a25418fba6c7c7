import {
  checkAttest,
  checkAttestShorthand,
  checkCacheEntry,
  checkNetwork,
  checkOutput,
  checkStageExists,
  checkStageName,
} from '../../../src/inputs/grammar.js';

/** The hostile values every new check must refuse with a short message (no echo of 100 kB, no line break). */
const HOSTILE_VALUES = ['x\n::error::x', '-x', `x${'a'.repeat(100_000)},`];

describe('stage names (target, no-cache-filters)', () => {
  test.each(['app', 'build-env', 'Stage_2', 'a.b'])('%s is a stage name', (v) => {
    expect(checkStageName(v)).toBe(v);
  });
  test.each(['-app', '2nd', 'a b', 'app\n::error::x', '$STAGE', ''])('%j is refused', (v) => {
    expect(() => checkStageName(v)).toThrow(/stage name|one line/);
  });

  test('unknown stages (a name from an ARG): nothing is refused', () => {
    expect(() => checkStageExists('any', undefined, 'Dockerfile')).not.toThrow();
  });

  test('a missing stage is named with the stages there are', () => {
    expect(() => checkStageExists('relase', ['build', 'release'], 'Dockerfile')).toThrow(
      /"relase" is not a stage of Dockerfile: its stages are build, release/,
    );
    expect(() => checkStageExists('Release', ['build', 'release'], 'Dockerfile')).not.toThrow();
    expect(() => checkStageExists('x', [], 'sub/Dockerfile')).toThrow(/which names no stage/);
  });
});

describe('network', () => {
  test.each(['default', 'none', 'host', 'my-net_1'])('%s', (v) => expect(checkNetwork(v)).toBe(v));
  test.each(['host none', 'host\n::error::x', '-h', 'container:abc'])('%j is refused', (v) => {
    expect(() => checkNetwork(v)).toThrow(/network mode|one line/);
  });
});

describe('provenance and sbom: true, false or key=value attributes', () => {
  test.each([
    ['true', 'provenance'],
    ['FALSE', 'sbom'],
    ['mode=max', 'provenance'],
    ['mode=min,inline-only=true', 'provenance'],
    ['mode=max,builder-id=https://github.com/o/r/actions/runs/1', 'provenance'],
    ['generator=docker/buildkit-syft-scanner:1', 'sbom'],
    ['disabled=true', 'sbom'],
  ] as const)('%s (%s)', (v, type) => expect(checkAttestShorthand(v, type)).toBe(v));
  test.each([
    ['maybe', /not key=value/],
    ['mode=full', /mode must be min or max/],
    ['type=sbom', /type is set by the provenance input/],
    ['mode=max,', /"" in "mode=max," is not key=value/],
    ['inline-only=yes', /inline-only must be true or false/],
  ])('%s is refused', (v, why) => expect(() => checkAttestShorthand(v, 'provenance')).toThrow(why));
  test('an SBOM generator cannot read as an option', () => {
    expect(() => checkAttestShorthand('generator=--help', 'sbom')).toThrow(/starts with "-"/);
  });
});

describe('attests entries', () => {
  test.each(['type=sbom', 'type=provenance,mode=max', 'type=sbom,generator=image'])('%s', (v) =>
    expect(checkAttest(v)).toBe(v),
  );
  test.each([
    ['mode=max', /has no type=/],
    ['type=foo', /type "foo" is not one of sbom, provenance/],
    ['type=provenance,mode=all', /mode must be min or max/],
  ])('%s is refused', (v, why) => expect(() => checkAttest(v)).toThrow(why));
});

describe('cache-from / cache-to entries', () => {
  test.each([
    'type=gha',
    'type=registry,ref=ghcr.io/o/app:cache,mode=max',
    'type=local,src=/tmp/cache',
    'type=s3,region=eu-west-1,bucket=b',
    'ghcr.io/o/app:cache',
  ])('%s', (v) => expect(checkCacheEntry(v, 'cache-from')).toBe(v));
  test.each([
    ['type=redis', /type "redis" is not one of registry, local, inline, gha, s3, azblob/],
    ['ref=ghcr.io/o/app', /has no type=/],
    ['type=registry,mode', /"mode" in .* is not key=value/],
    ['a b', /is not key=value/],
  ])('%s is refused', (v, why) => expect(() => checkCacheEntry(v, 'cache-to')).toThrow(why));
});

describe('outputs entries', () => {
  test.each(['type=registry', 'type=local,dest=out', 'type=image,push=true', '-', './out'])('%s', (v) =>
    expect(checkOutput(v)).toBe(v),
  );
  test.each([
    ['dest=out', /has no type=/],
    ['type=zip', /not one of registry, image, docker, oci, local, tar, cacheonly/],
    ['--help', /starts with "-"/],
  ])('%s is refused', (v, why) => expect(() => checkOutput(v)).toThrow(why));
});

describe('hostile values: a line break, a leading "-", 100 kB', () => {
  const checks: [string, (v: string) => unknown][] = [
    ['stage name', checkStageName],
    ['network', checkNetwork],
    ['provenance', (v) => checkAttestShorthand(v, 'provenance')],
    ['sbom', (v) => checkAttestShorthand(v, 'sbom')],
    ['attests', checkAttest],
    ['cache-to', (v) => checkCacheEntry(v, 'cache-to')],
    ['outputs', checkOutput],
  ];
  test.each(checks.flatMap(([name, fn]) => HOSTILE_VALUES.map((v) => [name, fn, v] as const)))(
    '%s refuses a hostile value',
    (_name, fn, v) => {
      expect(() => fn(v)).toThrow();
    },
  );
});
