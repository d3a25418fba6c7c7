/** Annotation lines with a level prefix pass through as written; unprefixed lines take the default levels. */
import { parseFlavor } from '../../../../src/inputs/meta-rules.js';
import { annotationLevelOf } from '../../../../src/stages/meta/labels.js';
import { leveledAnnotations, planMeta } from '../../../../src/stages/meta/plan.js';
import { metaContext } from '../../fixtures/events.js';
import { plan } from '../../fixtures/plan.js';

test.each([
  ['index:com.example.key=value', 'index'],
  ['manifest:k=v', 'manifest'],
  ['index-descriptor:k=v', 'index-descriptor'],
  ['manifest-descriptor:k=v', 'manifest-descriptor'],
  ['manifest[linux/amd64]:k=v', 'manifest[linux/amd64]'],
  ['manifest[linux/arm64/v8,linux/amd64]:k=v', 'manifest[linux/arm64/v8,linux/amd64]'],
  ['com.example.key=value', undefined],
  ['indexer:k=v', undefined],
  ['com.example:key=v', undefined],
])('%s has level %s', (line, level) => {
  expect(annotationLevelOf(line)).toBe(level);
});

test('prefixed lines are kept as written and replace the generated key at their level only', () => {
  const p = plan(metaContext('tag v1.2.3'), {
    tags: ['type=semver,pattern={{version}}'],
    annotations: ['index:com.example.key=value', 'manifest:org.opencontainers.image.title=Mine', 'plain=1'],
  });
  expect(p.annotations).toContain('index:com.example.key=value');
  expect(p.annotations).toContain('manifest:org.opencontainers.image.title=Mine');
  expect(p.annotations).toContain('manifest:plain=1');
  expect(p.annotations.filter((a) => a.startsWith('manifest:org.opencontainers.image.title='))).toHaveLength(1);
  expect(p.annotations.some((a) => a.startsWith('manifest:index:'))).toBe(false);
});

test("build-push-action's form: no generated labels or annotations; unprefixed lines stay unprefixed", () => {
  const p = planMeta(
    {
      images: [],
      literalRefs: ['ghcr.io/org/app:1'],
      tagRules: [],
      flavor: parseFlavor([]),
      labels: ['a=1'],
      annotations: ['plain=1', 'index:k=v'],
      form: 'build-push-action',
    },
    { meta: metaContext('tag v1.2.3'), now: 0 },
  );
  expect(p.labels).toEqual(['a=1']);
  expect(p.annotations).toEqual(['plain=1', 'index:k=v']);
});

test('a prefixed line without a key is dropped with a note', () => {
  const dropped: string[] = [];
  expect(leveledAnnotations([], ['index:=v', 'index:k=v'], ['manifest'], (l) => dropped.push(l))).toEqual([
    'index:k=v',
  ]);
  expect(dropped).toEqual(['index:=v']);
});
