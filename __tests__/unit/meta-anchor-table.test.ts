/**
 * docker/metadata-action's own meta test table, case by case through our planner: each case must
 * give the version, tags and labels metadata-action's test expects (issue 18).
 */
import { anchorContext, anchorLabels, ANCHOR_NOW } from './anchor/events.js';
import { PUSH_CASES } from './anchor/cases-push.js';
import { TAG_CASES } from './anchor/cases-tag.js';
import { TAG2_CASES } from './anchor/cases-tag2.js';
import { LATEST_PR_CASES } from './anchor/cases-latest-pr.js';
import { PR_CASES } from './anchor/cases-pr.js';
import { SCHEDULE_CASES } from './anchor/cases-schedule.js';
import type { AnchorCase } from './anchor/table.js';
import { plan } from './fixtures/plan.js';

const CASES: AnchorCase[] = [...PUSH_CASES, ...TAG_CASES, ...TAG2_CASES, ...LATEST_PR_CASES, ...PR_CASES, ...SCHEDULE_CASES];

test('case ids are unique', () => {
  expect(new Set(CASES.map((c) => c[0])).size).toBe(CASES.length);
});

// [id, event, case]: a fixed arity (jest hands a done callback to a function with more params than the row)
test.each(CASES.map((c) => [c[0], c[1], c] as const))('%s (%s)', (_id, _event, [, event, inputs, main, partial, latest, tags, labels, annotations]) => {
  const meta = anchorContext(event);
  const p = plan(meta, { images: inputs.images, tags: inputs.tags, flavor: inputs.flavor, labels: inputs.labels, annotations: inputs.annotations }, ANCHOR_NOW);
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
});
