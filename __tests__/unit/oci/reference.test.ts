import {
  blobDigestParts,
  explainName,
  isBlobDigest,
  isLoopbackHost,
  isSha256Digest,
  isValidReference,
  isValidTag,
  lowercaseName,
  normaliseImageName,
  referenceParts,
  registryHost,
  splitReference,
} from '../../../src/oci/reference.js';

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

describe('referenceParts: the one name[:tag][@digest] split', () => {
  test.each([
    ['app', { name: 'app' }],
    ['app:v1', { name: 'app', tag: 'v1' }],
    ['localhost:5000/a/b', { name: 'localhost:5000/a/b' }],
    ['localhost:5000/a/b:x', { name: 'localhost:5000/a/b', tag: 'x' }],
    ['ghcr.io/o/app@sha256:abc', { name: 'ghcr.io/o/app', digest: 'sha256:abc' }],
    ['ghcr.io/o/app:1@sha256:abc', { name: 'ghcr.io/o/app', tag: '1', digest: 'sha256:abc' }],
    ['sha256:abc', { name: 'sha256', tag: 'abc' }],
    // the digest is after the LAST '@' (the digest list's reading; splitReference took the first):
    // a name never holds an '@', so "a@b" is quoted back as the invalid name it is
    ['a@b@sha256:abc', { name: 'a@b', digest: 'sha256:abc' }],
  ])('%j', (ref, parts) => expect(referenceParts(ref)).toEqual(parts));

  test('splitReference reads the digest after the last @ too', () => {
    expect(splitReference('a@b@sha256:abc').reference).toBe('sha256:abc');
    expect(splitReference('ghcr.io/o/app:1@sha256:abc')).toEqual({
      registry: 'ghcr.io',
      repository: 'o/app',
      reference: 'sha256:abc',
    });
  });

  test.each([
    ['GHCR.io/Org/App:V1', 'ghcr.io/org/app:V1'],
    ['Localhost:5000/App', 'localhost:5000/app'],
    ['Org/App@sha256:ABC', 'org/app@sha256:ABC'],
  ])('lowercaseName(%j) = %j: the name lowercased, tag and digest as given', (ref, want) =>
    expect(lowercaseName(ref)).toBe(want),
  );

  test.each([
    ['ghcr.io/o/app@sha256:abc', false],
    ['ghcr.io/o/app:1@sha256:abc', false],
    // no '/': the ':' is a tag's (the image "localhost", tag 5000), as docker reads it
    ['localhost:5000', true],
  ])('isValidReference(%j) = %s (a --tag reference holds no digest)', (ref, ok) =>
    expect(isValidReference(ref)).toBe(ok),
  );

  test.each([
    ['localhost:5000', /must not contain a tag/],
    ['a@b@sha256:abc', /must not contain a digest/],
    ['ghcr.io/org/app:v1@sha256:abc', /must not contain a digest/],
    ['x'.repeat(256), /at most 255 characters/],
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

describe('registry host and loopback (the one reference parser)', () => {
  test.each([
    ['127.0.0.1:5000/app', '127.0.0.1:5000'],
    ['localhost/app:1', 'localhost'],
    ['LOCALHOST:5001/a/b', 'localhost:5001'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['ghcr.io/o/app', 'ghcr.io'],
    ['o/app', 'docker.io'],
    ['app', 'docker.io'],
  ])('%s -> %s', (ref, host) => expect(registryHost(ref)).toBe(host));

  test.each([
    ['127.0.0.1:5000', true],
    ['127.1.2.3', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['127.example.com', false],
    ['localhost.example.com', false],
    ['docker.io', false],
  ])('isLoopbackHost(%s) = %s', (host, want) => expect(isLoopbackHost(host)).toBe(want));
});

// normaliseImageName came here from the shard stage
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

describe('content digests: one rule for sha256 and sha512', () => {
  test.each([
    [`sha256:${'a'.repeat(64)}`, true, true],
    [`sha512:${'b'.repeat(128)}`, true, false],
    [`sha256:${'A'.repeat(64)}`, false, false],
    [`sha512:${'b'.repeat(64)}`, false, false],
    ['sha256:../../etc', false, false],
    [`sha256:${'a'.repeat(64)}\n`, false, false],
  ])('%j: a blob digest %s, sha256 %s', (d, blob, sha256) => {
    expect(isBlobDigest(d)).toBe(blob);
    expect(isSha256Digest(d)).toBe(sha256);
  });

  test('its parts name the layout path', () => {
    expect(blobDigestParts(`sha512:${'c'.repeat(128)}`)).toEqual({ algorithm: 'sha512', hex: 'c'.repeat(128) });
  });
});
