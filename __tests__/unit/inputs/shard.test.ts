/** The digest list (src/inputs/shard.ts) through the one reference split (oci/reference.ts referenceParts). */
import { InputError } from '../../../src/errors.js';
import { parseDigestList } from '../../../src/inputs/shard.js';

const D = `sha256:${'a'.repeat(64)}`;

function problem(text: string): string {
  try {
    parseDigestList(text);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  return '';
}

test('image@digest and a bare digest', () => {
  expect(parseDigestList(`ghcr.io/o/app@${D}\n${D}`)).toEqual([{ image: 'ghcr.io/o/app', digest: D }, { digest: D }]);
});

test.each([
  [`ghcr.io/o/app:1@${D}`, 'names an invalid image "ghcr.io/o/app:1" (no tag allowed before @)'],
  [`a@b@${D}`, 'names an invalid image "a@b" (no tag allowed before @)'],
  ['ghcr.io/o/app@sha256:123', 'has no valid sha256 digest'],
  ['ghcr.io/o/app:1', 'has no valid sha256 digest'],
])('%j: %s', (entry, why) => {
  expect(problem(entry)).toContain(`entry 1 (${JSON.stringify(entry)}) ${why}: use one per line`);
});

// moved from the shard stage's tests
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('parseDigestList: every accepted form', () => {
  test.each<[string, string, unknown]>([
    [
      'image@digest lines',
      `${IMG}@${A}\n${IMG}@${B}\n`,
      [
        { image: IMG, digest: A },
        { image: IMG, digest: B },
      ],
    ],
    ['bare digests, blanks and comments', `\n# amd64\n${A}\n\n  ${B}  \n`, [{ digest: A }, { digest: B }]],
    [
      'shard JSON per line',
      `{"image":"${IMG}","platform":"linux/arm64","digest":"${A}"}\n{"image":"${IMG}","platform":"linux/arm/v7","digest":"${B}"}`,
      [
        { image: IMG, platform: 'linux/arm64', digest: A },
        { image: IMG, platform: 'linux/arm/v7', digest: B },
      ],
    ],
    [
      'JSON array of shard objects',
      JSON.stringify([{ image: IMG, platform: 'linux/amd64', digest: A }, { digest: B }]),
      [{ image: IMG, platform: 'linux/amd64', digest: A }, { digest: B }],
    ],
    ['JSON array of strings', JSON.stringify([`${IMG}@${A}`, B]), [{ image: IMG, digest: A }, { digest: B }]],
    ['mixed lines', `${A}\n{"digest":"${B}"}`, [{ digest: A }, { digest: B }]],
    ['registry with a port', `127.0.0.1:5000/e2e/x@${A}`, [{ image: '127.0.0.1:5000/e2e/x', digest: A }]],
  ])('%s', (_name, text, want) => {
    expect(parseDigestList(text)).toEqual(want);
  });

  test.each<[string, string, RegExp]>([
    ['empty', '  \n', /is empty/],
    ['only comments', '# nothing\n', /no entry/],
    ['short digest', `${IMG}@sha256:abc`, /entry 1 .*no valid sha256/],
    ['upper-case hex', `sha256:${'A'.repeat(64)}`, /entry 1/],
    ['a tag instead of a digest', `${IMG}:v1`, /no valid sha256/],
    ['tag before the digest', `${IMG}:v1@${A}`, /invalid image/],
    ['second line broken', `${A}\nsha512:${'a'.repeat(128)}`, /entry 2/],
    ['broken JSON line', `{"digest": "${A}"`, /not valid JSON/],
    ['JSON without digest', '{"image":"x/y"}', /no "digest"/],
    ['JSON with a bad platform', `{"digest":"${A}","platform":"linux/arm65"}`, /invalid platform/],
    ['broken JSON array', '[1,', /not valid JSON/],
    ['array of numbers', '[1]', /neither a string nor a shard object/],
  ])('malformed: %s → error naming digests', (_name, text, why) => {
    let err: unknown;
    try {
      parseDigestList(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).input).toBe('digests');
    expect((err as InputError).message).toMatch(/^Input "digests": /);
    expect((err as InputError).message).toMatch(why);
  });
});
