import { explainName, isValidReference, isValidTag } from '../../../src/oci/reference.js';

describe('docker reference grammar', () => {
  test.each([
    ['latest', true],
    ['v1.2.3', true],
    ['_x', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['.hidden', false],
    ['-dash', false],
    ['feat/x', false],
    ['', false],
    ['naïve', false],
  ])('tag %j valid=%s', (tag, ok) => expect(isValidTag(tag)).toBe(ok));

  test.each([
    ['127.0.0.1:5000/app:v1', true],
    ['ghcr.io/org/app', true],
    ['localhost:5000/a/b/c:x', true],
    ['docker.io/library/alpine:3', true],
    ['app', true],
    ['App', false],
    ['ghcr.io/org/app:', false],
    ['ghcr.io//app', false],
    ['ghcr.io/org/app:.x', false],
  ])('reference %j valid=%s', (ref, ok) => expect(isValidReference(ref)).toBe(ok));

  test.each([
    ['ghcr.io/org/app:v1', /must not contain a tag/],
    ['ghcr.io/org/app@sha256:abc', /must not contain a digest/],
    ['bad name', /not a valid image name/],
  ])('explainName(%j)', (name, why) => expect(explainName(name)).toMatch(why));
});

// normaliseImageName came here from the shard stage (an import of its own, so as not to touch the one above)
import { normaliseImageName } from '../../../src/oci/reference.js';

describe('normaliseImageName: Docker short names compare equal', () => {
  test.each([
    ['app', 'app'],
    ['library/app', 'app'],
    ['docker.io/library/app', 'app'],
    ['index.docker.io/library/app', 'app'],
    ['Docker.IO/Org/App', 'org/app'],
    ['docker.io/org/app', 'org/app'],
    ['org/app', 'org/app'],
    ['ghcr.io/org/app', 'ghcr.io/org/app'],
    ['ghcr.io/library/app', 'ghcr.io/library/app'],
    ['localhost:5000/library/app', 'localhost:5000/library/app'],
    ['127.0.0.1:5000/e2e/x', '127.0.0.1:5000/e2e/x'],
    ['docker.io/library/a/b', 'library/a/b'],
  ])('%s → %s', (name, want) => expect(normaliseImageName(name)).toBe(want));
});
