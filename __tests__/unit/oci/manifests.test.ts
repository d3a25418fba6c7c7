import { createHash } from 'node:crypto';

import { EXIT_NOT_FOUND, NOT_ON_PATH } from '../../../src/errors.js';
import {
  canonicalPlatformOf,
  configPlatform,
  imageConfigPlatform,
  inspectConfigArgv,
  inspectManifestArgv,
  MANIFEST_MEDIA_TYPES,
  manifestDigest,
  parseManifest,
  parseManifestNode,
} from '../../../src/oci/manifests.js';

describe('reading manifests on the way to layers (the arch check)', () => {
  test('an image manifest: its config and layers, bottom to top', () => {
    const raw = JSON.stringify({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { digest: 'sha256:c' },
      layers: [{ digest: 'sha256:a' }, { digest: 'sha256:b' }],
    });
    expect(parseManifestNode(raw)).toEqual({ kind: 'image', config: 'sha256:c', layers: ['sha256:a', 'sha256:b'] });
    expect(parseManifestNode(JSON.stringify({ config: { digest: '' }, layers: [] }))).toEqual({
      kind: 'image',
      config: undefined,
      layers: [],
    });
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
    expect(node).toEqual({
      kind: 'index',
      entries: [{ platform: 'linux/arm64', digest: 'sha256:m' }],
      nested: ['sha256:i', 'sha256:l'],
    });
    expect(node.kind === 'index' && node.entries).toEqual((parseManifest(raw) as { entries: unknown }).entries);
    expect(parseManifestNode('{}')).toEqual({ kind: 'index', entries: [], nested: [] });
    expect(() => parseManifestNode('nope')).toThrow('not a JSON manifest');
  });

  test('the platform of an image config, canonical; a platform string made canonical', () => {
    expect(imageConfigPlatform(JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8' }))).toBe(
      'linux/arm64',
    );
    expect(imageConfigPlatform(JSON.stringify({ os: 'linux', architecture: 'arm', variant: 'v7' }))).toBe(
      'linux/arm/v7',
    );
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

const B = `sha256:${'b'.repeat(64)}`;
const M = `sha256:${'c'.repeat(64)}`;

describe('parseManifest: the one index reader', () => {
  test('a one-platform index with attestations: the platform manifest only', () => {
    // moved from the shard tests (indexImages, the shard side's second reader, is gone)
    const attested = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: M, platform: { os: 'linux', architecture: 'arm64' } },
        {
          digest: B,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
        },
      ],
    };
    expect(parseManifest(JSON.stringify(attested))).toEqual({
      kind: 'index',
      entries: [{ platform: 'linux/arm64', digest: M }],
    });
  });
  test('a plain manifest names no platform; not JSON throws', () => {
    expect(
      parseManifest(
        JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }),
      ),
    ).toEqual({ kind: 'manifest' });
    expect(() => parseManifest('<html>')).toThrow(/not a JSON manifest/);
  });
});

describe('the registry reads', () => {
  test('a manifest is read raw, a config through imagetools; "--" before the reference', () => {
    expect(inspectManifestArgv('img:1')).toEqual(['docker', 'buildx', 'imagetools', 'inspect', '--raw', '--', 'img:1']);
    expect(inspectConfigArgv('img:1')).toEqual([
      'docker',
      'buildx',
      'imagetools',
      'inspect',
      '--format',
      '{{json .Image}}',
      '--',
      'img:1',
    ]);
  });
  test('the digest of a raw manifest is the sha256 of its bytes (non-ASCII as UTF-8)', () => {
    const raw = '{"schemaVersion":2,"annotations":{"a":"é"}}';
    expect(manifestDigest(raw)).toBe(`sha256:${createHash('sha256').update(Buffer.from(raw, 'utf8')).digest('hex')}`);
  });
});

describe('configPlatform: the one image-config platform lookup (preflight and merge)', () => {
  const argv = inspectConfigArgv('img:1');
  const ok = (cfg: object) => configPlatform(argv, { code: 0, stdout: JSON.stringify(cfg), stderr: '' });
  test('picked: the platform is canonical (preflight did not normalise, merge did)', () => {
    expect(ok({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toEqual({ platform: 'linux/arm64' });
    expect(ok({ os: 'linux', architecture: 'arm' })).toEqual({ platform: 'linux/arm/v7' });
    expect(ok({ os: 'Linux', architecture: 'AMD64' })).toEqual({ platform: 'linux/amd64' });
  });
  test('picked: a platform our table does not know is kept as given, never a thrown Error (merge threw it raw)', () => {
    expect(ok({ os: 'linux', architecture: 'sparc' })).toEqual({ platform: 'linux/sparc' });
    expect(ok({ os: 'freebsd', architecture: 'amd64' })).toEqual({ platform: 'freebsd/amd64' });
  });
  test('every failure is a problem in words', () => {
    expect(configPlatform(argv, { code: 1, stdout: '', stderr: 'ERROR: denied\n' })).toEqual({
      problem: 'cannot read its image config: ERROR: denied',
    });
    expect(configPlatform(argv, { code: EXIT_NOT_FOUND, stdout: '', stderr: `docker: ${NOT_ON_PATH}` })).toEqual({
      problem: expect.stringMatching(/docker CLI not found on PATH/),
    });
    expect(configPlatform(argv, { code: 0, stdout: 'nope', stderr: '' })).toEqual({
      problem: 'its image config is not JSON',
    });
    expect(configPlatform(argv, { code: 0, stdout: 'null', stderr: '' })).toEqual({
      problem: 'its image config names none',
    });
    expect(ok({ os: 'linux' })).toEqual({ problem: 'its image config names none' });
    expect(ok({ os: 'linux', architecture: 7 })).toEqual({ problem: 'its image config names none' });
  });
});
