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
