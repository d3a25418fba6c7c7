import { InputError, StageError } from '../../../../src/errors.js';
import {
  checkDuplicatePlatforms,
  checkShardImages,
  indexImages,
  planMerge,
  planShardOutput,
  planShardPush,
  resolveShard,
  shardAnnotations,
  shardCacheScope,
  shardOutput,
  verifyIndex,
  type ResolvedShard,
} from '../../../../src/stages/shard/shard.js';
import { parseDigestList } from '../../../../src/inputs/shard.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const M = `sha256:${'c'.repeat(64)}`;
const IMG = 'ghcr.io/org/app';

describe('parseDigestList: every accepted form', () => {
  test.each<[string, string, unknown]>([
    ['image@digest lines', `${IMG}@${A}\n${IMG}@${B}\n`, [{ image: IMG, digest: A }, { image: IMG, digest: B }]],
    ['bare digests, blanks and comments', `\n# amd64\n${A}\n\n  ${B}  \n`, [{ digest: A }, { digest: B }]],
    ['shard JSON per line', `{"image":"${IMG}","platform":"linux/arm64","digest":"${A}"}\n{"image":"${IMG}","platform":"linux/arm/v7","digest":"${B}"}`, [
      { image: IMG, platform: 'linux/arm64', digest: A },
      { image: IMG, platform: 'linux/arm/v7', digest: B },
    ]],
    ['JSON array of shard objects', JSON.stringify([{ image: IMG, platform: 'linux/amd64', digest: A }, { digest: B }]), [{ image: IMG, platform: 'linux/amd64', digest: A }, { digest: B }]],
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

describe('checkShardImages', () => {
  test('fills in the image of bare digests, accepts docker.io short forms', () => {
    expect(checkShardImages([{ digest: A }, { image: 'docker.io/library/app', digest: B }], 'app')).toEqual([
      { image: 'app', digest: A },
      { image: 'app', digest: B },
    ]);
  });
  test('a shard of another image is an input error naming digests and both names', () => {
    expect(() => checkShardImages([{ image: IMG, digest: A }, { image: 'ghcr.io/org/other', digest: B }], IMG)).toThrow(
      /Input "digests": ghcr.io\/org\/other@sha256:b+ belongs to another image than "ghcr.io\/org\/app"/,
    );
  });
  test('the same digest twice', () => {
    expect(() => checkShardImages([{ digest: A }, { image: IMG, digest: A }], IMG)).toThrow(/given more than once/);
  });
});

const shard = (platform: string, digest: string, manifest = digest): ResolvedShard => ({ image: IMG, digest, platform, manifest });

describe('resolveShard and duplicate platforms', () => {
  const attested = {
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { digest: M, platform: { os: 'linux', architecture: 'arm64' } },
      { digest: B, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
    ],
  };
  test('a one-platform index (shard with attestations): the platform manifest inside', () => {
    expect(resolveShard({ image: IMG, digest: A }, attested)).toEqual(shard('linux/arm64', A, M));
    expect(indexImages(attested)).toEqual([{ platform: 'linux/arm64', digest: M }]);
  });
  test('a plain manifest: platform from the shard JSON, else from its config', () => {
    const manifest = { mediaType: 'application/vnd.oci.image.manifest.v1+json' };
    expect(resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, manifest)).toEqual(shard('linux/amd64', A));
    expect(resolveShard({ image: IMG, digest: A }, manifest, 'linux/arm/v7')).toEqual(shard('linux/arm/v7', A));
    expect(() => resolveShard({ image: IMG, digest: A }, manifest)).toThrow(/cannot tell the platform/);
    expect(() => resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, manifest, 'linux/arm64')).toThrow(/is a linux\/arm64 image, but its shard output says linux\/amd64/);
  });
  test('an index of several platforms is not a shard; a platform that contradicts the shard JSON', () => {
    const multi = { manifests: [{ digest: A, platform: { os: 'linux', architecture: 'amd64' } }, { digest: B, platform: { os: 'linux', architecture: 'arm64' } }] };
    expect(() => resolveShard({ image: IMG, digest: M }, multi)).toThrow(/index of 2 platforms \(linux\/amd64, linux\/arm64\)/);
    expect(() => resolveShard({ image: IMG, digest: A, platform: 'linux/amd64' }, attested)).toThrow(/holds linux\/arm64, but its shard output says linux\/amd64/);
  });
  test('duplicate platforms name both digests', () => {
    expect(() => checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/arm64', M), shard('linux/amd64', B)])).toThrow(StageError);
    expect(() => checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/amd64', B)])).toThrow(new RegExp(`duplicate platforms: linux/amd64 from ${A} and ${B}`));
    expect(() => checkDuplicatePlatforms([shard('linux/amd64', A), shard('linux/arm64', B)])).not.toThrow();
  });
});

describe('argv', () => {
  test('shard output: buildx pushes by digest, no tag', () => {
    expect(planShardOutput(IMG, 'docker-container', '/t/oci')).toBe(`type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`);
    expect(planShardOutput(IMG, 'remote', '/t/oci')).toBe(`type=image,name=${IMG},push-by-digest=true,name-canonical=true,push=true`);
    // the docker driver cannot push by digest: an OCI layout, then a copy by digest
    expect(planShardOutput(IMG, 'docker', '/t/oci')).toBe('type=oci,dest=/t/oci,tar=false');
  });
  test('shard push of the OCI layout by digest (plain HTTP only for loopback registries)', () => {
    expect(planShardPush(IMG, A, '/t/oci', '/t/cfg/config.json')).toEqual([
      'skopeo', 'copy', '--all', '--preserve-digests', '--retry-times', '2', '--authfile', '/t/cfg/config.json', 'oci:/t/oci', `docker://${IMG}@${A}`,
    ]);
    expect(planShardPush('127.0.0.1:5000/e2e/x', A, '/o')).toEqual([
      'skopeo', 'copy', '--all', '--preserve-digests', '--retry-times', '2', '--dest-tls-verify=false', 'oci:/o', `docker://127.0.0.1:5000/e2e/x@${A}`,
    ]);
    expect(planShardPush('localhost:5000/x', A, '/o')).toContain('--dest-tls-verify=false');
    expect(planShardPush('localhost/x', A, '/o')).toContain('--dest-tls-verify=false');
    expect(planShardPush('library/localhost', A, '/o')).not.toContain('--dest-tls-verify=false');
  });
  test('shard output JSON, cache scope, annotations', () => {
    expect(JSON.parse(shardOutput(IMG, 'linux/arm64', A))).toEqual({ image: IMG, platform: 'linux/arm64', digest: A });
    expect(shardCacheScope('linux/arm/v7')).toBe('multiarch-linux-arm-v7');
    expect(shardCacheScope('linux/amd64', 'app')).toBe('app-linux-amd64');
    expect(shardAnnotations(['manifest:a=1', 'index:b=2', 'index[linux/amd64]:c=3', 'manifest-descriptor:d=4'])).toEqual(['manifest:a=1', 'manifest-descriptor:d=4']);
  });
  test('merge: every tag, index-level annotations, every shard by digest', () => {
    expect(planMerge([`${IMG}:1.2.3`, `${IMG}:latest`], ['manifest:org.x=1', 'index:org.opencontainers.image.version=1.2.3', 'manifest-descriptor:d=4'], [shard('linux/amd64', A), shard('linux/arm64', B, M)])).toEqual([
      'docker', 'buildx', 'imagetools', 'create',
      '--tag', `${IMG}:1.2.3`, '--tag', `${IMG}:latest`,
      '--annotation', 'index:org.opencontainers.image.version=1.2.3', '--annotation', 'manifest-descriptor:d=4',
      `${IMG}@${A}`, `${IMG}@${B}`,
    ]);
  });
});

describe('verifyIndex', () => {
  const shards = [shard('linux/amd64', A), shard('linux/arm64', B, M)];
  const desc = (digest: string, architecture: string) => ({ digest, platform: { os: 'linux', architecture } });
  test('every shard platform present with its manifest', () => {
    expect(verifyIndex({ manifests: [desc(A, 'amd64'), desc(M, 'arm64'), { digest: B, platform: { os: 'unknown', architecture: 'unknown' } }] }, shards)).toEqual([]);
  });
  test.each<[string, object, RegExp]>([
    ['missing platform', { manifests: [desc(A, 'amd64')] }, /linux\/arm64 is missing/],
    ['other manifest', { manifests: [desc(A, 'amd64'), desc(A, 'arm64')] }, /linux\/arm64 is sha256:a+, not the shard's sha256:c+/],
    ['not an index', { mediaType: 'application/vnd.oci.image.manifest.v1+json' }, /not an image index/],
  ])('%s', (_n, index, why) => {
    expect(verifyIndex(index, shards).join('\n')).toMatch(why);
  });
});

test('shard output by driver: buildx pushes by digest on container drivers, an OCI layout for skopeo on docker', () => {
  for (const driver of ['docker-container', 'remote', 'kubernetes']) {
    expect(planShardOutput('127.0.0.1:5000/app', driver, '/t/oci')).toBe('type=image,name=127.0.0.1:5000/app,push-by-digest=true,name-canonical=true,push=true');
  }
  expect(planShardOutput('127.0.0.1:5000/app', 'docker', '/t/oci')).toBe('type=oci,dest=/t/oci,tar=false');
});
