/** flavor (latest, prefix, suffix, onlatest), priorities, images, sha length — metadata-action's documented rules. */
import { metaContext } from '../../fixtures/events.js';
import { bare, plan } from '../../fixtures/plan.js';

const SEMVER = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=sha',
];

test.each([
  ['latest=false drops latest on a tag', 'tag v1.2.3', [], ['latest=false'], ['v1.2.3']],
  ['latest=true adds latest on a branch', 'push other branch', [], ['latest=true'], ['feature-new-ui', 'latest']],
  ['latest=auto never on a branch', 'push default branch', [], ['latest=auto'], ['master']],
  [
    'prefix applies where the rule has none (sha keeps sha-)',
    'tag v1.2.3',
    SEMVER,
    ['prefix=foo-'],
    ['foo-1.2.3', 'foo-1.2', 'foo-1', 'sha-860c190', 'latest'],
  ],
  [
    'prefix on latest with onlatest=true',
    'tag v1.2.3',
    SEMVER.slice(0, 1),
    ['prefix=foo-,onlatest=true'],
    ['foo-1.2.3', 'foo-latest'],
  ],
  [
    'suffix applies to sha too (its rule sets no suffix)',
    'tag v1.2.3',
    SEMVER,
    ['suffix=-alpine,onlatest=true'],
    ['1.2.3-alpine', '1.2-alpine', '1-alpine', 'sha-860c190-alpine', 'latest-alpine'],
  ],
  [
    'a rule suffix= overrides the flavor suffix',
    'tag v1.2.3',
    ['type=semver,pattern={{version}},suffix='],
    ['suffix=-alpine'],
    ['1.2.3', 'latest'],
  ],
  [
    'priority attribute reorders: version = highest',
    'push default branch',
    ['type=ref,event=branch', 'type=sha,priority=1001'],
    [],
    ['sha-860c190', 'master'],
  ],
  [
    'equal priorities keep their order',
    'push default branch',
    ['type=raw,value=b', 'type=raw,value=a'],
    [],
    ['b', 'a'],
  ],
  [
    'enable=false skips a rule',
    'push default branch',
    ['type=ref,event=branch,enable=false', 'type=sha'],
    [],
    ['sha-860c190'],
  ],
  [
    'the same tag twice appears once',
    'push default branch',
    ['type=raw,value=x', 'type=raw,value=y', 'type=raw,value=x'],
    [],
    ['x', 'y'],
  ],
  [
    'latest from the first producing rule decides',
    'tag v1.2.3',
    ['type=raw,value=r,priority=1000', 'type=ref,event=tag'],
    [],
    ['r', 'v1.2.3'],
  ],
] as const)('%s', (_name, fixture, tags, flavor, expected) => {
  expect(bare(plan(metaContext(fixture), { tags: [...tags], flavor: [...flavor] }))).toEqual(expected);
});

test('DOCKER_METADATA_SHORT_SHA_LENGTH sets the short sha length', () => {
  const p = plan(metaContext('push default branch', { DOCKER_METADATA_SHORT_SHA_LENGTH: '12' }), {
    tags: ['type=sha', 'type=raw,value=x-{{sha}}'],
  });
  expect(bare(p)).toEqual(['x-860c1904a1ce', 'sha-860c1904a1ce']);
});

test('DOCKER_METADATA_PR_HEAD_SHA=true uses the PR head sha (sha tag and revision label)', () => {
  const p = plan(metaContext('pull_request', { DOCKER_METADATA_PR_HEAD_SHA: 'true' }), { tags: ['type=sha'] });
  expect(bare(p)).toEqual(['sha-f00dbab']);
  expect(p.labels).toContain('org.opencontainers.image.revision=f00dbabe0123456789abcdef0123456789abcdef');
});

describe('images', () => {
  test('several images: every tag on every image, names lowercased', () => {
    const p = plan(metaContext('tag v1.2.3'), { images: ['Name/App', 'ghcr.io/Octo/App'] });
    expect(p.refs).toEqual([
      'name/app:v1.2.3',
      'name/app:latest',
      'ghcr.io/octo/app:v1.2.3',
      'ghcr.io/octo/app:latest',
    ]);
    expect(p.tags).toEqual(p.refs);
  });
  test('one line, comma separated (metadata-action backward-compatible form)', () => {
    expect(plan(metaContext('push default branch'), { images: ['a/b,c/d'] }).refs).toEqual([
      'a/b:master',
      'c/d:master',
    ]);
  });
  test('name=,enable=false disables an image', () => {
    expect(plan(metaContext('push default branch'), { images: ['name=a/b', 'name=c/d,enable=false'] }).refs).toEqual([
      'a/b:master',
    ]);
  });
  test('no image: the tags output holds bare tags, nothing to build refs from', () => {
    const p = plan(metaContext('tag v1.2.3'), { images: [] });
    expect(p.tags).toEqual(['v1.2.3', 'latest']);
    expect(p.refs).toEqual([]);
  });
});

test('no version: empty version, no tags, labels still generated', () => {
  const p = plan(metaContext('push default branch'), { tags: ['type=semver,pattern={{version}}'] });
  expect(p.version).toBe('');
  expect(p.tags).toEqual([]);
  expect(p.labels).toContain('org.opencontainers.image.version=');
});

test('an invalid enable expression is an error naming the rule', () => {
  expect(() => plan(metaContext('push default branch'), { tags: ['type=raw,value=x,enable=yes'] })).toThrow(
    /enable is "yes"/,
  );
});

test('an unknown date attribute or time zone is an error', () => {
  expect(() => plan(metaContext('schedule'), { tags: ["type=schedule,pattern={{date 'YYYY' foo='x'}}"] })).toThrow(
    /unknown date attribute "foo"/,
  );
  expect(() =>
    plan(metaContext('schedule'), { tags: ["type=schedule,pattern={{date 'YYYY' tz='Mars/Base'}}"] }),
  ).toThrow(/unknown time zone/);
});
