import { explainName, isValidReference, isValidTag, splitReference } from '../../../src/oci/reference.js';

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

describe('splitReference: registry, repository, tag or digest (as the arch check reads a registry)', () => {
  test.each([
    ['alpine', 'docker.io', 'library/alpine', 'latest'],
    ['docker.io/o/x:1', 'docker.io', 'o/x', '1'],
    ['index.docker.io/alpine', 'docker.io', 'library/alpine', 'latest'],
    ['127.0.0.1:5000/e2e/x:v1', '127.0.0.1:5000', 'e2e/x', 'v1'],
    ['localhost/x@sha256:ab', 'localhost', 'x', 'sha256:ab'],
    ['ghcr.io/o/x:v1@sha256:ab', 'ghcr.io', 'o/x', 'sha256:ab'],
    ['o/x', 'docker.io', 'o/x', 'latest'],
  ])('splitReference(%p)', (ref, registry, repository, reference) => {
    expect(splitReference(ref)).toEqual({ registry, repository, reference });
  });
});
