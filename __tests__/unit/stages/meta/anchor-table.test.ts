/**
 * docker/metadata-action's own meta test table, case by case through our planner: each case must
 * give the version, tags and labels metadata-action's test expects.
 */
import { planMetaOutputs } from '../../../../src/stages/meta/outputs.js';
import { LATEST_PR_CASES } from '../../anchor/cases-latest-pr.js';
import { PR_CASES } from '../../anchor/cases-pr.js';
import { PUSH_CASES } from '../../anchor/cases-push.js';
import { SCHEDULE_CASES } from '../../anchor/cases-schedule.js';
import { TAG_CASES } from '../../anchor/cases-tag.js';
import { TAG2_CASES } from '../../anchor/cases-tag2.js';
import { ANCHOR_NOW, anchorContext, anchorLabels } from '../../anchor/events.js';
import type { AnchorCase } from '../../anchor/table.js';
import { plan } from '../../fixtures/plan.js';

const CASES: AnchorCase[] = [
  ...PUSH_CASES,
  ...TAG_CASES,
  ...TAG2_CASES,
  ...LATEST_PR_CASES,
  ...PR_CASES,
  ...SCHEDULE_CASES,
];

test('case ids are unique', () => {
  expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
});

// [id, event, case]: a fixed arity (jest hands a done callback to a function with more params than the row)
test.each(CASES.map((c) => [c[0], c[1], c] as const))(
  '%s (%s)',
  (_id, _event, [, event, inputs, main, partial, latest, tags, labels, annotations]) => {
    const meta = anchorContext(event);
    const p = plan(
      meta,
      {
        images: inputs.images,
        tags: inputs.tags,
        flavor: inputs.flavor,
        labels: inputs.labels,
        annotations: inputs.annotations,
      },
      ANCHOR_NOW,
    );
    // metadata-action's Version {main, partial, latest}: ours as tagNames (main, partials, then the
    // latest tag with its flavor prefix/suffix when latest is set)
    expect(p.version).toBe(main ?? '');
    expect(p.tagNames.slice(0, partial.length + 1)).toEqual(main === undefined ? [] : [main, ...partial]);
    expect(p.tagNames.length).toBe(main === undefined ? 0 : 1 + partial.length + (latest ? 1 : 0));
    if (latest) expect(p.tagNames[p.tagNames.length - 1]).toMatch(/latest/);
    expect(p.tags).toEqual(tags);
    const wantLabels = labels ?? anchorLabels(main ?? '', meta.sha);
    expect(p.labels).toEqual(wantLabels);
    // its getAnnotations() has no level; ours carry DOCKER_METADATA_ANNOTATIONS_LEVELS' (manifest)
    expect(p.annotations).toEqual((annotations ?? wantLabels).map((a) => `manifest:${a}`));
    // the json output (describe('json')) is the same data
    expect(p.json.tags).toEqual(tags);
    expect(Object.entries(p.json.labels).map(([k, v]) => `${k}=${v}`)).toEqual(wantLabels);
  },
);

describe("its describe('bakeFile'): the bake definitions in its JSON form", () => {
  const bake = (id: string, event: AnchorCase[1], tags: string[], bakeTarget: string) => {
    const p = plan(anchorContext(event), { images: ['user/app'], tags, labels: ['invalid'] }, ANCHOR_NOW);
    // DOCKER_METADATA_ANNOTATIONS_LEVELS=index,manifest-descriptor in its test
    const leveled = {
      ...p,
      annotations: ['index', 'manifest-descriptor'].flatMap((l) =>
        p.annotations.map((a) => a.replace(/^manifest:/, `${l}:`)),
      ),
    };
    const out = planMetaOutputs({
      plan: leveled,
      images: ['user/app'],
      sepTags: '\n',
      sepLabels: '\n',
      sepAnnotations: '\n',
      bakeTarget,
      dir: '/d',
    });
    const file = (n: string) =>
      JSON.parse(out.files.find(([f]) => f === out.outputs.find(([o]) => o === n)![1])![1]) as {
        target: Record<string, Record<string, unknown>>;
      };
    return {
      p,
      id,
      tags: file('bake-file-tags'),
      labels: file('bake-file-labels'),
      annotations: file('bake-file-annotations'),
    };
  };
  test.each([
    [
      'bakeFile01',
      'push_dev',
      ['type=ref,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
      'docker-metadata-action',
      ['user/app:dev', 'user/app:my', 'user/app:custom', 'user/app:tags'],
      'dev',
    ],
    [
      'bakeFile02',
      'push_dev',
      ['type=ref,event=branch', 'type=raw,my'],
      'docker-metadata-action',
      ['user/app:dev', 'user/app:my'],
      'dev',
    ],
    [
      'bakeFile03',
      'tag_release1',
      ['type=ref,event=tag', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
      'meta',
      ['user/app:release1', 'user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:latest'],
      'release1',
    ],
  ] as const)('%s', (id, event, tags, target, wantTags, version) => {
    const b = bake(id, event, [...tags], target);
    const sha = anchorContext(event).sha;
    expect(b.tags).toEqual({
      target: { [target]: { tags: wantTags, args: { DOCKER_META_IMAGES: 'user/app', DOCKER_META_VERSION: version } } },
    });
    expect(b.labels).toEqual({
      target: {
        [target]: {
          labels: Object.fromEntries(
            anchorLabels(version, sha).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
          ),
        },
      },
    });
    expect(b.annotations).toEqual({
      target: {
        [target]: {
          annotations: ['index', 'manifest-descriptor'].flatMap((l) =>
            anchorLabels(version, sha).map((a) => `${l}:${a}`),
          ),
        },
      },
    });
  });
});
