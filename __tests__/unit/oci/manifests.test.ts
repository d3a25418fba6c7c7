import { createHash } from 'node:crypto';
import { configPlatform, inspectConfigArgv, inspectManifestArgv, manifestDigest, parseManifest } from '../../../src/oci/manifests.js';
import { EXIT_NOT_FOUND, NOT_ON_PATH } from '../../../src/errors.js';

const B = `sha256:${'b'.repeat(64)}`;
const M = `sha256:${'c'.repeat(64)}`;

describe('parseManifest: the one index reader', () => {
  test('a one-platform index with attestations: the platform manifest only', () => {
    // moved from the shard tests (indexImages, the shard side's second reader, is gone)
    const attested = {
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: M, platform: { os: 'linux', architecture: 'arm64' } },
        { digest: B, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
      ],
    };
    expect(parseManifest(JSON.stringify(attested))).toEqual({ kind: 'index', entries: [{ platform: 'linux/arm64', digest: M }] });
  });
  test('a plain manifest names no platform; not JSON throws', () => {
    expect(parseManifest(JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }))).toEqual({ kind: 'manifest' });
    expect(() => parseManifest('<html>')).toThrow(/not a JSON manifest/);
  });
});

describe('the registry reads', () => {
  test('a manifest is read raw, a config through imagetools; "--" before the reference', () => {
    expect(inspectManifestArgv('img:1')).toEqual(['docker', 'buildx', 'imagetools', 'inspect', '--raw', '--', 'img:1']);
    expect(inspectConfigArgv('img:1')).toEqual(['docker', 'buildx', 'imagetools', 'inspect', '--format', '{{json .Image}}', '--', 'img:1']);
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
    expect(configPlatform(argv, { code: 1, stdout: '', stderr: 'ERROR: denied\n' })).toEqual({ problem: 'cannot read its image config: ERROR: denied' });
    expect(configPlatform(argv, { code: EXIT_NOT_FOUND, stdout: '', stderr: `docker: ${NOT_ON_PATH}` })).toEqual({ problem: expect.stringMatching(/docker CLI not found on PATH/) });
    expect(configPlatform(argv, { code: 0, stdout: 'nope', stderr: '' })).toEqual({ problem: 'its image config is not JSON' });
    expect(configPlatform(argv, { code: 0, stdout: 'null', stderr: '' })).toEqual({ problem: 'its image config names none' });
    expect(ok({ os: 'linux' })).toEqual({ problem: 'its image config names none' });
    expect(ok({ os: 'linux', architecture: 7 })).toEqual({ problem: 'its image config names none' });
  });
});
