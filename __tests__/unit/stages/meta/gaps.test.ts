/**
 * The four places where docker/metadata-action and we differed (issue 18): match= on semver/pep440,
 * {{is_not_default_branch}}, whitespace separators, labels lines without '='.
 */
import { parseInputs } from '../../../../src/inputs/index.js';
import { metaContext } from '../../fixtures/events.js';
import { bare, plan } from '../../fixtures/plan.js';
import { readMetaContext } from '../../../../src/context/run-context.js';

const tagged = (tag: string) => readMetaContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/${tag}`, GITHUB_SHA: 'a'.repeat(40), GITHUB_REPOSITORY: 'o/r' }, {});

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
    const p = plan(metaContext(fixture), { tags: ['type=raw,value=base', 'type=raw,value=dev,enable={{is_not_default_branch}}'] });
    expect(bare(p)).toEqual(expected);
  });
});

describe('separators are read untrimmed and as written', () => {
  const env = { workspace: '/ws', exists: () => true };
  const raw: Record<string, string> = { platforms: 'linux/amd64', 'sep-tags': ' ', 'sep-labels': '\t', 'sep-annotations': '\\n' };
  // a getter like core.getInput: trims unless asked not to
  const get = (n: string, o?: { raw?: boolean }) => (o?.raw ? (raw[n] ?? '') : (raw[n] ?? '').trim());
  test('a space, a tab, and the two characters \\n', () => {
    const i = parseInputs(get, env);
    expect(i.sepTags).toBe(' ');
    expect(i.sepLabels).toBe('\t');
    expect(i.sepAnnotations).toBe('\\n');
  });
  test('empty is a newline', () => {
    const i = parseInputs((n) => (n === 'platforms' ? 'linux/amd64' : ''), env);
    expect([i.sepTags, i.sepLabels, i.sepAnnotations]).toEqual(['\n', '\n', '\n']);
  });
});

describe('labels and annotations lines without "=" are dropped with a note naming the line', () => {
  test('foo= is kept empty, "novalue" and "=x" are dropped', () => {
    const p = plan(metaContext('push default branch'), { labels: ['foo=', 'novalue', '=x', 'a=b=c'], annotations: ['bare'] });
    expect(p.labels).toContain('foo=');
    expect(p.labels).toContain('a=b=c');
    expect(p.labels.some((l) => l.startsWith('novalue') || l.startsWith('='))).toBe(false);
    expect(p.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^labels: "novalue" is not KEY=VALUE/), expect.stringMatching(/^labels: "=x"/), expect.stringMatching(/^annotations: "bare"/)]));
  });
  test('the input pass no longer fails on them', () => {
    expect(() => parseInputs((n) => ({ platforms: 'linux/amd64', labels: 'novalue', annotations: '=x' })[n] ?? '', { workspace: '/ws', exists: () => true })).not.toThrow();
  });
});

// docker/metadata-action's own table (pr12): an unquoted format is a name Handlebars leaves undefined,
// so the date comes in the default format; we do the same, and say how to quote it
test('an unquoted date format renders the default format, with a note', async () => {
  const { unquotedDateFormats } = await import('../../../../src/stages/meta/expressions.js');
  expect(unquotedDateFormats(['{{date YYYYMMDD}}', "{{date 'YYYYMMDD'}}", "{{date tz='UTC'}}", '{{commit_date YYYY-MM tz="UTC"}}', '{{date}}'])).toEqual([
    '{{date YYYYMMDD}}',
    '{{commit_date YYYY-MM tz="UTC"}}',
  ]);
});
