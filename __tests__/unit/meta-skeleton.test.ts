import { defaultTag, planMeta, sanitizeTag } from '../../src/stages/meta.js';

describe('planMeta (literal tags)', () => {
  test.each([
    ['every tag on every image', { images: ['a/x', 'b/y'], tags: ['1', 'latest'] }, 'refs/heads/main', ['a/x:1', 'a/x:latest', 'b/y:1', 'b/y:latest']],
    ['no images → no refs', { images: [], tags: ['1'] }, 'refs/heads/main', []],
    ['default from branch', { images: ['a/x'], tags: [] }, 'refs/heads/feat/new', ['a/x:feat-new']],
    ['default from tag', { images: ['a/x'], tags: [] }, 'refs/tags/v1.2.3', ['a/x:v1.2.3']],
    ['default from PR', { images: ['a/x'], tags: [] }, 'refs/pull/42/merge', ['a/x:pr-42']],
  ])('%s', (_n, input, ref, want) => expect(planMeta(input, { ref }).refs).toEqual(want));
});

test.each([
  ['feat/x', 'feat-x'],
  ['..-lead', 'lead'],
  ['a$(rm -rf /)b', 'a-rm--rf-b'],
  ['x'.repeat(300), 'x'.repeat(128)],
])('sanitizeTag(%j)', (name, want) => expect(sanitizeTag(name)).toBe(want));

test('unknown ref gives no default tag', () => expect(defaultTag({ ref: '' })).toBeUndefined());
