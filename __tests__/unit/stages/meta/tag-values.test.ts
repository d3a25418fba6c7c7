/** Each tag rule type's value on one run, before affixes (tag-values.ts; the whole plan: anchor-table, events, flavor). */
import { parseTagRule } from '../../../../src/inputs/meta-rules.js';
import { TAG_VALUES } from '../../../../src/stages/meta/tag-values.js';
import { metaContext, NOW } from '../../fixtures/events.js';

function valueOf(fixture: Parameters<typeof metaContext>[0], line: string) {
  const meta = metaContext(fixture);
  const notes: string[] = [];
  const rule = parseTagRule(line);
  return { got: TAG_VALUES[rule.type](rule, { ex: { meta, now: NOW, commitDate: meta.commitDate }, notes }), notes };
}

test.each([
  ['tag v1.2.3', 'type=semver,pattern={{major}}.{{minor}}', { value: '1.2', latest: true }],
  ['tag v1.2.3', 'type=pep440,pattern={{version}}', { value: '1.2.3', latest: true }],
  ['tag v1.2.3', 'type=match,pattern=v(\\d),group=1', { value: '1', latest: true }],
  ['tag v1.2.3', 'type=ref,event=tag', { value: 'v1.2.3', latest: true }],
  ['push default branch', 'type=ref,event=branch', { value: 'master', latest: false }],
  ['push default branch', 'type=edge', { value: 'edge', latest: false }],
  ['pull_request', 'type=ref,event=pr', { value: '15', latest: false }],
  ['push default branch', 'type=raw,value=x-{{branch}}', { value: 'x-master', latest: false }],
  ['schedule', 'type=schedule', { value: 'nightly', latest: false }],
] as const)('%s: %s → %j', (fixture, line, want) => {
  expect(valueOf(fixture, line).got).toEqual(want);
});

test.each([
  ['push default branch', 'type=semver,pattern={{version}}'],
  ['push default branch', 'type=ref,event=tag'],
  ['tag v1.2.3', 'type=ref,event=branch'],
  ['tag v1.2.3', 'type=edge'],
  ['push default branch', 'type=schedule'],
] as const)('%s: %s gives nothing', (fixture, line) => {
  expect(valueOf(fixture, line)).toEqual({ got: undefined, notes: [] });
});

test('a value that is no version: nothing, with a note', () => {
  expect(valueOf('push default branch', 'type=semver,pattern={{version}},value=main')).toEqual({
    got: undefined,
    notes: ['type=semver,pattern={{version}},value=main: main is not a valid semver, skipped'],
  });
});

test('sha: short (7) by default, long on request', () => {
  const short = valueOf('push default branch', 'type=sha').got!;
  const long = valueOf('push default branch', 'type=sha,format=long').got!;
  expect(short.value).toHaveLength(7);
  expect(long.value).toHaveLength(40);
  expect(long.value.startsWith(short.value)).toBe(true);
});
