import { StageError } from '../../../../src/errors.js';
import { parseManifest } from '../../../../src/oci/manifests.js';
import {
  checkDuplicatePlatforms,
  checkShardImages,
  planMerge,
  type ResolvedShard,
  resolveShard,
  verifyIndex,
} from '../../../../src/stages/merge/plan.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const M = `sha256:${'c'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('checkShardImages', () => {
  test('fills in the image of bare digests, accepts docker.io short forms', () => {
    expect(checkShardImages([{ digest: A }, { image: 'docker.io/library/app', digest: B }], 'app')).toEqual([
      { image: 'app', digest: A },
      { image: 'app', digest: B },
    ]);
  });
  test('a shard of another image is an input error naming digests and both names', () => {
    expect(() =>
      checkShardImages(
        [
          { image: IMG, digest: A },
          { image: 'ghcr.io/org/other', digest: B },
        ],
        IMG,
      ),
    ).toThrow(/Input "digests": ghcr.io\/org\/other@sha256:b+ belongs to another image than "ghcr.io\/org\/app"/);
  });
  test('the same digest twice', () => {
    expect(() => checkShardImages([{ digest: A }, { image: IMG, digest: A }], IMG)).toThrow(/given more than once/);
  });
});

/** What the registry answered, as the one manifest reader reads it. */
const parsed = (body: object) => parseManifest(JSON.stringify(body));
const shard = (platform: string, digest: string, manifest = digest): ResolvedShard => ({
  image: IMG,
  digest,
  platform,
  manifest,
});

describe('resolveShard and duplicate platforms', () => {
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
  test('a one-platform index (shard with attestations): the platform manifest inside', () => {
    expect(resolveShard({ image: IMG, digest: A }, parsed(attested))).toEqual(shard('linux/arm64', A, M));
  });
  test('a plain manifest: platform from the shard JSON, else from its config', () => {
    const manifest = parsed({ mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, manifest)).toEqual(shard('linux/amd64', A));
    expect(resolveShard({ image: IMG, digest: A }, manifest, { platform: 'linux/arm/v7' })).toEqual(
      shard('linux/arm/v7', A),
    );
    expect(() => resolveShard({ image: IMG, digest: A }, manifest)).toThrow(/cannot tell the platform/);
    expect(() =>
      resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, manifest, { platform: 'linux/arm64' }),
    ).toThrow(/is a linux\/arm64 image, but its shard output says linux\/amd64/);
  });
  test('a config that cannot be read: the platform cannot be told, and the message says why', () => {
    const manifest = parsed({ mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(() => resolveShard({ image: IMG, digest: A }, manifest, { problem: 'its image config names none' })).toThrow(
      new RegExp(`cannot tell the platform of ${IMG}@${A}: its image config names none`),
    );
    expect(() =>
      resolveShard({ image: IMG, digest: A }, manifest, { problem: 'cannot read its image config: ERROR: denied' }),
    ).toThrow(/: cannot read its image config: ERROR: denied/);
  });
  test('picked: an index entry whose platform our table does not know is that platform, not a thrown parse error', () => {
    // the old shard-side reader ran parsePlatform on it and threw "unknown architecture" outside any check
    const sparc = parsed({ manifests: [{ digest: M, platform: { os: 'linux', architecture: 'sparc' } }] });
    expect(resolveShard({ image: IMG, digest: A }, sparc)).toEqual(shard('linux/sparc', A, M));
  });
  test('an index of several platforms is not a shard; a platform that contradicts the shard JSON', () => {
    const multi = parsed({
      manifests: [
        { digest: A, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: B, platform: { os: 'linux', architecture: 'arm64' } },
      ],
    });
    expect(() => resolveShard({ image: IMG, digest: M }, multi)).toThrow(
      /index of 2 platforms \(linux\/amd64, linux\/arm64\)/,
    );
    expect(() => resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, parsed(attested))).toThrow(
      /holds linux\/arm64, but its shard output says linux\/amd64/,
    );
  });
  test('duplicate platforms name both digests', () => {
    expect(() =>
      checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/arm64', M), shard('linux/amd64', B)]),
    ).toThrow(StageError);
    expect(() => checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/amd64', B)])).toThrow(
      new RegExp(`duplicate platforms: linux/amd64 from ${A} and ${B}`),
    );
    expect(() => checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/arm64', B)])).not.toThrow();
  });
});

describe('argv', () => {
  test('merge: every tag, index-level annotations, every shard by digest', () => {
    expect(
      planMerge(
        [`${IMG}:1.2.3`, `${IMG}:latest`],
        ['manifest:org.x=1', 'index:org.opencontainers.image.version=1.2.3', 'manifest-descriptor:d=4'],
        [shard('linux/amd64', A), shard('linux/arm64', B, M)],
      ),
    ).toEqual([
      'docker',
      'buildx',
      'imagetools',
      'create',
      '--tag',
      `${IMG}:1.2.3`,
      '--tag',
      `${IMG}:latest`,
      '--annotation',
      'index:org.opencontainers.image.version=1.2.3',
      '--annotation',
      'manifest-descriptor:d=4',
      `${IMG}@${A}`,
      `${IMG}@${B}`,
    ]);
  });
});

describe('verifyIndex', () => {
  const shards = [shard('linux/amd64', A), shard('linux/arm64', B, M)];
  const desc = (digest: string, architecture: string) => ({ digest, platform: { os: 'linux', architecture } });
  test('every shard platform present with its manifest', () => {
    expect(
      verifyIndex(
        parsed({
          manifests: [
            desc(A, 'amd64'),
            desc(M, 'arm64'),
            { digest: B, platform: { os: 'unknown', architecture: 'unknown' } },
          ],
        }),
        shards,
      ),
    ).toEqual([]);
  });
  test.each<[string, object, RegExp]>([
    ['missing platform', { manifests: [desc(A, 'amd64')] }, /linux\/arm64 is missing/],
    [
      'other manifest',
      { manifests: [desc(A, 'amd64'), desc(A, 'arm64')] },
      /linux\/arm64 is sha256:a+, not the shard's sha256:c+/,
    ],
    ['not an index', { mediaType: 'application/vnd.oci.image.manifest.v1+json' }, /not an image index/],
  ])('%s', (_n, index, why) => {
    expect(verifyIndex(parsed(index), shards).join('\n')).toMatch(why);
  });
});
