/** metadata-action's outputs in its own form: tag-names, bake files, DOCKER_METADATA_OUTPUT_* names. */
import { exportsMetaEnv, metaEnvName, planMetaOutputs } from '../../../../src/stages/meta/outputs.js';
import { metaContext } from '../../fixtures/events.js';
import { plan } from '../../fixtures/plan.js';

const p = plan(metaContext('tag v1.2.3'), {
  images: ['name/app', 'ghcr.io/o/app'],
  tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}'],
  annotations: ['a=1'],
});
const out = planMetaOutputs({
  plan: p,
  images: ['name/app', 'ghcr.io/o/app'],
  sepTags: ',',
  sepLabels: '\n',
  sepAnnotations: '\n',
  bakeTarget: 'docker-metadata-action',
  dir: '/tmp/run',
});
const value = (name: string) => out.outputs.find(([n]) => n === name)?.[1];
const file = (name: string) =>
  JSON.parse(out.files.find(([f]) => f === value(name))![1]) as { target: Record<string, Record<string, unknown>> };

test('tag-names: the tags without the image name, once each', () => {
  expect(value('tags')).toBe(
    'name/app:1.2.3,name/app:1.2,name/app:latest,ghcr.io/o/app:1.2.3,ghcr.io/o/app:1.2,ghcr.io/o/app:latest',
  );
  expect(value('tag-names')).toBe('1.2.3,1.2,latest');
});

test('outputs in metadata-action order, each a DOCKER_METADATA_OUTPUT_* variable', () => {
  expect(out.outputs.map(([n]) => metaEnvName(n))).toEqual([
    'DOCKER_METADATA_OUTPUT_VERSION',
    'DOCKER_METADATA_OUTPUT_TAGS',
    'DOCKER_METADATA_OUTPUT_TAG_NAMES',
    'DOCKER_METADATA_OUTPUT_LABELS',
    'DOCKER_METADATA_OUTPUT_ANNOTATIONS',
    'DOCKER_METADATA_OUTPUT_JSON',
    'DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS',
    'DOCKER_METADATA_OUTPUT_BAKE_FILE_LABELS',
    'DOCKER_METADATA_OUTPUT_BAKE_FILE_ANNOTATIONS',
    'DOCKER_METADATA_OUTPUT_BAKE_FILE',
  ]);
  expect(exportsMetaEnv({})).toBe(true);
  expect(exportsMetaEnv({ DOCKER_METADATA_SET_OUTPUT_ENV: 'false' })).toBe(false);
});

test('bake files: metadata-action names and JSON form', () => {
  expect(value('bake-file-tags')).toBe('/tmp/run/docker-metadata-action-bake-tags.json');
  expect(value('bake-file')).toBe('/tmp/run/docker-metadata-action-bake.json');
  expect(file('bake-file-tags')).toEqual({
    target: {
      'docker-metadata-action': {
        tags: p.tags,
        args: { DOCKER_META_IMAGES: 'name/app,ghcr.io/o/app', DOCKER_META_VERSION: '1.2.3' },
      },
    },
  });
  const labels = file('bake-file-labels').target['docker-metadata-action']!.labels as Record<string, string>;
  expect(labels['org.opencontainers.image.version']).toBe('1.2.3');
  expect(file('bake-file-annotations')).toEqual({
    target: { 'docker-metadata-action': { annotations: p.annotations } },
  });
  expect(Object.keys(file('bake-file').target['docker-metadata-action']!)).toEqual(['tags', 'labels', 'args']);
  // two-space indented, as JSON.stringify(…, null, 2)
  expect(out.files[0]![1]).toMatch(/^\{\n {2}"target": \{\n {4}"docker-metadata-action": \{/);
});

test('no version: DOCKER_META_VERSION left out, as metadata-action', () => {
  const none = plan(metaContext('push default branch'), { tags: ['type=semver,pattern={{version}}'] });
  const o = planMetaOutputs({
    plan: none,
    images: ['name/app'],
    sepTags: '\n',
    sepLabels: '\n',
    sepAnnotations: '\n',
    bakeTarget: 't',
    dir: '/d',
  });
  expect(JSON.parse(o.files[0]![1])).toEqual({ target: { t: { tags: [], args: { DOCKER_META_IMAGES: 'name/app' } } } });
});
