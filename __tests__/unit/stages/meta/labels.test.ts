/** OCI labels and annotations, user overrides, levels, SOURCE_DATE_EPOCH, json output. */
import { createdAt } from '../../../../src/stages/meta/labels.js';
import { metaContext, SHA } from '../../fixtures/events.js';
import { plan } from '../../fixtures/plan.js';

const OCI_V123 = [
  'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
  'org.opencontainers.image.description=This your first repo!',
  'org.opencontainers.image.licenses=MIT',
  `org.opencontainers.image.revision=${SHA}`,
  'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
  'org.opencontainers.image.title=Hello-World',
  'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
  'org.opencontainers.image.version=1.2.3',
];

test('generated OCI labels, sorted by key; version = highest priority tag', () => {
  const p = plan(metaContext('tag v1.2.3'), { tags: ['type=semver,pattern={{version}}', 'type=sha'] });
  expect(p.labels).toEqual(OCI_V123);
  expect(p.version).toBe('1.2.3');
});

test('user labels override generated ones and add new keys; expressions rendered', () => {
  const p = plan(metaContext('tag v1.2.3'), {
    tags: ['type=semver,pattern={{version}}'],
    labels: [
      'maintainer=CrazyMax',
      'org.opencontainers.image.title=MyCustomTitle',
      'org.opencontainers.image.vendor=Ref {{tag}} a=b',
    ],
  });
  expect(p.labels[0]).toBe('maintainer=CrazyMax');
  expect(p.labels).toContain('org.opencontainers.image.title=MyCustomTitle');
  expect(p.labels).not.toContain('org.opencontainers.image.title=Hello-World');
  expect(p.labels).toContain('org.opencontainers.image.vendor=Ref v1.2.3 a=b');
});

test('SOURCE_DATE_EPOCH sets created', () => {
  const p = plan(metaContext('tag v1.2.3', { SOURCE_DATE_EPOCH: '1577836800' }), {
    tags: ['type=semver,pattern={{version}}'],
  });
  expect(p.labels).toContain('org.opencontainers.image.created=2020-01-01T00:00:00.000Z');
});

test('a SOURCE_DATE_EPOCH past the 12 digits of the rule is not a date: created is now, nothing throws', () => {
  // 14 digits: past what a Date holds, where toISOString threw a RangeError
  expect(createdAt(' 99999999999999 ', 0)).toBe('1970-01-01T00:00:00.000Z');
  expect(createdAt('-5', 0)).toBe('1970-01-01T00:00:00.000Z');
  expect(createdAt('1577836800', 0)).toBe('2020-01-01T00:00:00.000Z');
});

test('{{commit_date}} reads the commit timestamp from the push payload (UTC)', () => {
  const p = plan(metaContext('push default branch'), {
    labels: ["org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}"],
  });
  expect(p.labels).toContain('org.opencontainers.image.created=2020-01-10T01:15:00.000Z');
});

test('annotations: default level manifest, user annotations override', () => {
  const p = plan(metaContext('tag v1.2.3'), {
    tags: ['type=semver,pattern={{version}}'],
    annotations: ['org.opencontainers.image.description=Annotated'],
  });
  expect(p.annotations).toHaveLength(8);
  expect(p.annotations.every((a) => a.startsWith('manifest:org.opencontainers.image.'))).toBe(true);
  expect(p.annotations).toContain('manifest:org.opencontainers.image.description=Annotated');
});

test('DOCKER_METADATA_ANNOTATIONS_LEVELS: every annotation at every level, in level order', () => {
  const p = plan(metaContext('tag v1.2.3', { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' }), {
    tags: ['type=semver,pattern={{version}}'],
  });
  expect(p.annotations).toHaveLength(16);
  expect(p.annotations.slice(0, 8)).toEqual(OCI_V123.map((l) => `manifest:${l}`));
  expect(p.annotations.slice(8)).toEqual(OCI_V123.map((l) => `index:${l}`));
});

test('json output: {tags, labels (object), annotations}', () => {
  const p = plan(metaContext('tag v1.2.3'), { tags: ['type=semver,pattern={{version}}'] });
  expect(p.json).toEqual({
    tags: ['name/app:1.2.3', 'name/app:latest'],
    labels: Object.fromEntries(OCI_V123.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    annotations: OCI_V123.map((l) => `manifest:${l}`),
  });
});

test('schedule payload without repository: title from GITHUB_REPOSITORY, url from server url', () => {
  const p = plan(metaContext('schedule'));
  expect(p.labels).toContain('org.opencontainers.image.title=Hello-World');
  expect(p.labels).toContain('org.opencontainers.image.url=https://github.com/octocat/Hello-World');
  expect(p.labels).toContain('org.opencontainers.image.licenses=');
});

// the json output and the bake files read the labels through one helper (labelObject); the json
// output's own loop assigned each key, which dropped a "__proto__" label the bake files kept
test('a "__proto__" label is in the json output as in the labels output and the bake files', () => {
  const p = plan(metaContext('push default branch'), { labels: ['__proto__=x'] });
  expect(p.labels).toContain('__proto__=x');
  expect(JSON.stringify(p.json.labels)).toContain('"__proto__":"x"');
  expect(Object.keys(p.json.labels)).toContain('__proto__');
});
