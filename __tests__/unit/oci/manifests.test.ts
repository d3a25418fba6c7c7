import { canonicalPlatformOf, imageConfigPlatform, MANIFEST_MEDIA_TYPES, parseManifest, parseManifestNode } from '../../../src/oci/manifests.js';

describe('reading manifests on the way to layers (the arch check)', () => {
  test('an image manifest: its config and layers, bottom to top', () => {
    const raw = JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { digest: 'sha256:c' }, layers: [{ digest: 'sha256:a' }, { digest: 'sha256:b' }] });
    expect(parseManifestNode(raw)).toEqual({ kind: 'image', config: 'sha256:c', layers: ['sha256:a', 'sha256:b'] });
    expect(parseManifestNode(JSON.stringify({ config: { digest: '' }, layers: [] }))).toEqual({ kind: 'image', config: undefined, layers: [] });
  });

  test('an index: its platform entries as parseManifest reads them, and the indexes it names without a platform', () => {
    const raw = JSON.stringify({
      manifests: [
        { digest: 'sha256:m', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: 'sha256:i', mediaType: 'application/vnd.oci.image.index.v1+json' },
        { digest: 'sha256:l', mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json' },
        { digest: 'sha256:x', mediaType: 'application/vnd.oci.image.manifest.v1+json' },
      ],
    });
    const node = parseManifestNode(raw);
    expect(node).toEqual({ kind: 'index', entries: [{ platform: 'linux/arm64', digest: 'sha256:m' }], nested: ['sha256:i', 'sha256:l'] });
    expect(node.kind === 'index' && node.entries).toEqual((parseManifest(raw) as { entries: unknown }).entries);
    expect(parseManifestNode('{}')).toEqual({ kind: 'index', entries: [], nested: [] });
    expect(() => parseManifestNode('nope')).toThrow('not a JSON manifest');
  });

  test('the platform of an image config, canonical; a platform string made canonical', () => {
    expect(imageConfigPlatform(JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8' }))).toBe('linux/arm64');
    expect(imageConfigPlatform(JSON.stringify({ os: 'linux', architecture: 'arm', variant: 'v7' }))).toBe('linux/arm/v7');
    expect(imageConfigPlatform('{}')).toBe('unknown/unknown');
    expect(canonicalPlatformOf('linux/arm64/v8')).toBe('linux/arm64');
    expect(canonicalPlatformOf('linux/amd64')).toBe('linux/amd64');
  });

  test('the media types a registry is asked for: indexes first, OCI and Docker', () => {
    expect(MANIFEST_MEDIA_TYPES).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });
});
