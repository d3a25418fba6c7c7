/** Meta inputs: parsed before any docker command; each error names its input. */
import { InputErrors } from '../../../src/errors.js';
import { parseInputs } from '../../../src/inputs/index.js';

const env = { workspace: '/ws', exists: () => true };
const get = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? (n === 'platforms' ? 'linux/amd64' : '');

function errorsOf(inputs: Record<string, string>): string[] {
  try {
    parseInputs(get(inputs), env);
    return [];
  } catch (err) {
    if (err instanceof InputErrors) return err.errors.map((e) => `${e.input}: ${e.message}`);
    throw err;
  }
}

test('valid metadata-action inputs parse', () => {
  const i = parseInputs(
    get({
      images: 'name/app\nghcr.io/o/app',
      tags: 'type=ref,event=branch\n# comment\ntype=semver,pattern={{version}}',
      flavor: 'latest=false',
      labels: 'a=b',
      'sep-tags': ',',
      'dry-run': 'true',
    }),
    env,
  );
  expect(i.images).toEqual(['name/app', 'ghcr.io/o/app']);
  expect(i.tagRules.map((r) => r.type)).toEqual(['semver', 'ref']);
  expect(i.flavor.latest).toBe('false');
  expect(i.sepTags).toBe(',');
  expect(i.sepLabels).toBe('\n');
  expect(i.dryRun).toBe(true);
});

test.each([
  [{ tags: 'type=foo' }, /^tags: .*unknown type "foo"/],
  [{ flavor: 'latest=sometimes' }, /^flavor: .*latest must be auto, true or false/],
  [{ images: 'Name/App:v1' }, /^images: .*must not contain a tag/],
  [{ tags: 'type=semver,pattern={{version}},match=v(' }, /^tags: .*not a regular expression/],
  [{ tags: 'type=pep440,pattern={{version}},match=v\\d' }, /^tags: .*no capture group/],
  [{ 'dry-run': 'maybe' }, /^dry-run: .*use true or false/],
])('%j → error naming the input', (inputs, why) => {
  expect(errorsOf(inputs as Record<string, string>).join('\n')).toMatch(why);
});

describe('image names: lowercased and checked once, in the input pass (the meta plan takes them as they are)', () => {
  test('upper-case names are lowercased; every tag is on the lowercased name', () => {
    const i = parseInputs(
      get({
        images: 'Name/App\nname=GHCR.io/Octo/App,enable=true\nname=Off/App,enable=false',
        tags: 'type=raw,value=V1',
      }),
      env,
    );
    expect(i.images).toEqual(['name/app', 'ghcr.io/octo/app']);
  });
  test('an upper-case name with a tag: the message quotes the lowercased name', () => {
    expect(errorsOf({ images: 'Name/App:v1' })).toEqual([
      'images: Input "images": "name/app:v1": an image name must not contain a tag; put tags in "tags"',
    ]);
  });
  test('a disabled image is checked too', () => {
    expect(errorsOf({ images: 'name=a/b\nname=c/d@sha256:abc,enable=false' })).toEqual([
      'images: Input "images": "c/d@sha256:abc": an image name must not contain a digest (@sha256:...)',
    ]);
  });
  test('a full reference in tags: its name lowercased, its tag as given', () => {
    expect(parseInputs(get({ tags: 'GHCR.io/Org/App:V1.0\nghcr.io/org/app' }), env).literalRefs).toEqual([
      'ghcr.io/org/app:V1.0',
      'ghcr.io/org/app',
    ]);
  });
  test('a full reference with a digest is not a tag reference', () => {
    expect(errorsOf({ tags: 'ghcr.io/Org/App@sha256:abc' })).toEqual([
      'tags: Input "tags": "ghcr.io/Org/App@sha256:abc" is neither a tag nor a valid image reference: a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, a reference is registry/name:tag (or put the name in "images" and the tag here)',
    ]);
  });
});

// moved from stages/meta/gaps.test.ts (the differences from metadata-action that the input pass owns)
describe('separators are read untrimmed and as written', () => {
  const env = { workspace: '/ws', exists: () => true };
  const raw: Record<string, string> = {
    platforms: 'linux/amd64',
    'sep-tags': ' ',
    'sep-labels': '\t',
    'sep-annotations': '\\n',
  };
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

test('labels and annotations lines without "=": the input pass does not fail on them (the plan drops them with a note)', () => {
  expect(() =>
    parseInputs((n) => ({ platforms: 'linux/amd64', labels: 'novalue', annotations: '=x' })[n] ?? '', {
      workspace: '/ws',
      exists: () => true,
    }),
  ).not.toThrow();
});
