/**
 * The four places where docker/metadata-action and we differed, as the plan gives them:
 * match= on semver/pep440, {{is_not_default_branch}}, labels lines without '='. (Whitespace
 * separators and the input pass: inputs/meta.test.ts; unquoted date formats: expressions.test.ts.)
 */
import { readMetaContext } from '../../../../src/context/run-context.js';
import { metaContext } from '../../fixtures/events.js';
import { bare, plan } from '../../fixtures/plan.js';

const tagged = (tag: string) =>
  readMetaContext(
    { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/${tag}`, GITHUB_SHA: 'a'.repeat(40), GITHUB_REPOSITORY: 'o/r' },
    {},
  );

describe('match= on type=semver and type=pep440: the first capture group is the version', () => {
  test.each([
    ['p1-v1.0.0', 'type=semver,pattern={{version}},"match=v(\\d.\\d.\\d)$"', ['1.0.0', 'latest']],
    ['p1-v1.2.3', 'type=semver,pattern={{major}}.{{minor}},"match=v(\\d.\\d.\\d)$"', ['1.2', 'latest']],
    ['p1-v1.0.0', 'type=pep440,pattern={{version}},"match=v(\\d.\\d.\\d)$"', ['1.0.0', 'latest']],
    ['v2.0.0-beta.1', 'type=semver,pattern={{version}},match=^v(.*)$', ['2.0.0-beta.1']],
    // no match: the whole tag is tried (as metadata-action), here still a version
    ['v1.2.3', 'type=semver,pattern={{version}},match=^release-(.*)$', ['1.2.3', 'latest']],
  ])('%s with %s → %j', (tag, rule, expected) => {
    const p = plan(tagged(tag), { tags: [rule] });
    expect(bare(p)).toEqual(expected);
    expect(p.version).toBe(expected[0]);
  });

  test('a match that does not fit leaves a note, and the text is used as it is', () => {
    const p = plan(tagged('p1-v1.0.0'), { tags: ['type=semver,pattern={{version}},match=^x(\\d)$'] });
    expect(bare(p)).toEqual([]);
    expect(p.notes.join('\n')).toMatch(/does not match p1-v1.0.0/);
  });
});

describe('{{is_not_default_branch}}', () => {
  test.each([
    ['push default branch', ['base']],
    ['push other branch', ['base', 'dev']],
  ] as const)('%s → %j', (fixture, expected) => {
    const p = plan(metaContext(fixture), {
      tags: ['type=raw,value=base', 'type=raw,value=dev,enable={{is_not_default_branch}}'],
    });
    expect(bare(p)).toEqual(expected);
  });
});

describe('labels and annotations lines without "=" are dropped with a note naming the line', () => {
  test('foo= is kept empty, "novalue" and "=x" are dropped', () => {
    const p = plan(metaContext('push default branch'), {
      labels: ['foo=', 'novalue', '=x', 'a=b=c'],
      annotations: ['bare'],
    });
    expect(p.labels).toContain('foo=');
    expect(p.labels).toContain('a=b=c');
    expect(p.labels.some((l) => l.startsWith('novalue') || l.startsWith('='))).toBe(false);
    expect(p.notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^labels: "novalue" is not KEY=VALUE/),
        expect.stringMatching(/^labels: "=x"/),
        expect.stringMatching(/^annotations: "bare"/),
      ]),
    );
  });
});
