/** The tag rule, flavor and images parsers: defaults, priorities, errors. */
import {
  DEFAULT_PRIORITY,
  parseFlavor,
  parseImages,
  parseTagRule,
  parseTagRules,
} from '../../../src/inputs/meta-rules.js';

test.each([
  ['type=schedule', 'schedule', { pattern: 'nightly', enable: 'true' }, 1000],
  ['type=semver,pattern={{version}}', 'semver', { pattern: '{{version}}', value: '', match: '', enable: 'true' }, 900],
  [
    'type=pep440,pattern={{version}},value=1.0.0',
    'pep440',
    { pattern: '{{version}}', value: '1.0.0', match: '', enable: 'true' },
    900,
  ],
  ['type=match,pattern=v(.*),group=1', 'match', { pattern: 'v(.*)', group: '1', value: '', enable: 'true' }, 800],
  ['type=edge', 'edge', { branch: '', enable: 'true' }, 700],
  ['type=ref,event=pr', 'ref', { event: 'pr', prefix: 'pr-', enable: 'true' }, 600],
  ['type=ref,event=branch,prefix=b-', 'ref', { event: 'branch', prefix: 'b-', enable: 'true' }, 600],
  ['type=raw,value=foo', 'raw', { value: 'foo', enable: 'true' }, 200],
  ['type=raw,foo', 'raw', { value: 'foo', enable: 'true' }, 200],
  ['foo', 'raw', { value: 'foo', enable: 'true' }, 200],
  ['type=sha', 'sha', { prefix: 'sha-', format: 'short', enable: 'true' }, 100],
  ['type=sha,format=long,priority=5', 'sha', { prefix: 'sha-', format: 'long', enable: 'true', priority: '5' }, 5],
  ['type=raw,value=a=b', 'raw', { value: 'a=b', enable: 'true' }, 200],
  ['TYPE=raw,Value=x,enable={{is_default_branch}}', 'raw', { value: 'x', enable: '{{is_default_branch}}' }, 200],
])('%s', (line, type, attrs, priority) => {
  const r = parseTagRule(line);
  expect(r.type).toBe(type);
  expect(r.attrs).toEqual(attrs);
  expect(r.priority).toBe(priority);
});

test.each([
  ['type=nope', /unknown type "nope"/],
  ['type=semver', /needs a pattern/],
  ['type=match,pattern=x,group=one', /group must be a number/],
  ['type=ref', /needs event=/],
  ['type=ref,event=commit', /event must be branch, tag or pr/],
  ['type=raw', /needs a value/],
  ['type=sha,format=medium', /format must be short or long/],
  ['type=raw,value=x,priority=high', /priority must be a number/],
])('%s is rejected', (line, why) => {
  expect(() => parseTagRule(line)).toThrow(why);
});

test('empty tags → the four default rules, sorted by priority', () => {
  expect(parseTagRules([]).map((r) => `${r.type}:${r.attrs.event ?? ''}`)).toEqual([
    'schedule:',
    'ref:branch',
    'ref:tag',
    'ref:pr',
  ]);
  expect(DEFAULT_PRIORITY).toEqual({
    schedule: 1000,
    semver: 900,
    pep440: 900,
    match: 800,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
  });
});

test('flavor', () => {
  expect(parseFlavor([])).toEqual({ latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false });
  expect(parseFlavor(['latest=false', 'prefix=p-,onlatest=true', 'suffix=-s'])).toEqual({
    latest: 'false',
    prefix: 'p-',
    prefixLatest: true,
    suffix: '-s',
    suffixLatest: false,
  });
  expect(() => parseFlavor(['latest=maybe'])).toThrow(/latest must be auto, true or false/);
  expect(() => parseFlavor(['foo=bar'])).toThrow(/unknown flavor "foo"/);
  expect(() => parseFlavor(['prefix=x,onlatest=yes'])).toThrow(/onlatest must be true or false/);
});

test('images', () => {
  expect(parseImages(['Name/App'])).toEqual([{ name: 'name/app', enable: true }]);
  expect(parseImages(['a/b,c/d'])).toEqual([
    { name: 'a/b', enable: true },
    { name: 'c/d', enable: true },
  ]);
  expect(parseImages(['name=a/b,enable=false', 'c/d'])).toEqual([
    { name: 'a/b', enable: false },
    { name: 'c/d', enable: true },
  ]);
  expect(() => parseImages(['name=a/b,color=red', 'x'])).toThrow(/unknown image attribute "color"/);
  expect(() => parseImages(['enable=true', 'x'])).toThrow(/image name is empty/);
});

test('several bare values on one line: the last one is used, as metadata-action does, with a warning', () => {
  const [rule] = parseTagRules(['demo-1,latest']);
  expect(rule!.attrs.value).toBe('latest');
  expect(rule!.warning).toMatch(/several bare values.*only "latest" is used.*own line/);
});
