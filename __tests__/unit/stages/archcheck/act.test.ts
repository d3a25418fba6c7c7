import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { checkLocal, platformImages } from '../../../../src/stages/archcheck/act.js';
import { scanOciLayout } from '../../../../src/stages/archcheck/scan.js';
import { fakeExec } from '../../fakes.js';
import { elf, tarOf } from '../../images.js';

describe('streaming a layer and an OCI layout', () => {
  test('an OCI layout: layers scanned before index.json arrives, base layers skipped, platforms resolved', async () => {
    const layerA = zlib.gzipSync(await tarOf([['bin/x', elf(2, 1, 62)]]));
    const layerB = zlib.gzipSync(await tarOf([['bin/y', elf(2, 1, 183)]]));
    const cfg = (arch: string) => JSON.stringify({ os: 'linux', architecture: arch });
    const manifest = (cfgD: string, layers: string[]) =>
      JSON.stringify({ config: { digest: cfgD }, layers: layers.map((digest) => ({ digest })) });
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:d1', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:d2', platform: { os: 'linux', architecture: 'arm64' } },
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    const blob = (hex: string) => `blobs/sha256/${hex}`;
    const layout = await tarOf([
      [blob('aa'), layerA],
      [blob('bb'), layerB],
      [blob('cc'), Buffer.from(cfg('amd64'))],
      [blob('d1'), Buffer.from(manifest('sha256:cc', ['sha256:ba5e', 'sha256:aa']))],
      [blob('d2'), Buffer.from(manifest('sha256:cc', ['sha256:ba5e', 'sha256:aa', 'sha256:bb']))],
      [blob('ee'), Buffer.from(index)],
      [blob('ba5e'), zlib.gzipSync(await tarOf([['bin/base', elf(2, 1, 62)]]))],
      [
        'index.json',
        Buffer.from(
          JSON.stringify({
            manifests: [{ digest: 'sha256:ee', mediaType: 'application/vnd.oci.image.index.v1+json' }],
          }),
        ),
      ],
    ]);
    const scan = await scanOciLayout(Readable.from([layout]), new Set(['sha256:ba5e']));
    expect([...scan.layers.keys()].sort()).toEqual(['sha256:aa', 'sha256:bb']);
    const get = async (d: string) => scan.json.get(d)!;
    const images = await platformImages(scan.index, { manifest: get, config: get });
    expect(images).toEqual([
      { platform: 'linux/amd64', layers: ['sha256:ba5e', 'sha256:aa'] },
      { platform: 'linux/arm64', layers: ['sha256:ba5e', 'sha256:aa', 'sha256:bb'] },
    ]);
    // only the asked platforms, in any spelling the platform parser accepts
    expect(
      (await platformImages(scan.index, { manifest: get, config: get }, ['linux/arm64/v8'])).map((i) => i.platform),
    ).toEqual(['linux/arm64']);
    // a single-platform manifest takes its platform from its config
    expect(await platformImages(scan.json.get('sha256:d1')!, { manifest: get, config: get })).toEqual([
      { platform: 'linux/amd64', layers: ['sha256:ba5e', 'sha256:aa'] },
    ]);
  });
});

describe('platformImages reads every manifest with oci/manifests.ts', () => {
  const reader = (blobs: Record<string, string>) => {
    const get = async (d: string) => blobs[d] ?? Promise.reject(new Error(`no ${d}`));
    return { manifest: get, config: get };
  };

  test('an index: the asked platforms, attestations left out, an entry that is no image manifest has no layers', async () => {
    const index = JSON.stringify({
      manifests: [
        { digest: 'sha256:m1', platform: { os: 'linux', architecture: 'amd64' } },
        { digest: 'sha256:m2', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
        { digest: 'sha256:att', platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    });
    const blobs = {
      'sha256:m1': JSON.stringify({ layers: [{ digest: 'sha256:l1' }] }),
      'sha256:m2': JSON.stringify({ manifests: [] }),
    };
    expect(await platformImages(index, reader(blobs))).toEqual([
      { platform: 'linux/amd64', layers: ['sha256:l1'] },
      { platform: 'linux/arm/v7', layers: [] },
    ]);
  });

  test('a manifest without a config is of an unknown platform; one that is not JSON says so', async () => {
    expect(await platformImages(JSON.stringify({ layers: [{ digest: 'sha256:l1' }] }), reader({}))).toEqual([
      { platform: 'unknown/unknown', layers: ['sha256:l1'] },
    ]);
    await expect(platformImages('<html>', reader({}))).rejects.toThrow('not a JSON manifest');
  });
});

test('checkLocal: a failed re-export says what failed as commandProblem does', async () => {
  const exec = fakeExec(() => ({ code: 1, stderr: '#3 ERROR: failed to solve\nERROR: no cache\n' }));
  const t = { platforms: ['linux/amd64'], skip: new Set<string>(), ignore: () => false };
  const deps = {
    exec,
    registry: { fetch, exec, readFile: () => undefined, dockerConfig: '' },
    log: () => undefined,
    warn: () => undefined,
  };
  await expect(checkLocal(['docker', 'buildx', 'build', '/ctx'], t, deps)).rejects.toThrow(
    're-exporting the build failed: #3 ERROR: failed to solve\nERROR: no cache',
  );
  expect(exec.calls[0]!.argv).toEqual([
    'docker',
    'buildx',
    'build',
    '--provenance=false',
    '--sbom=false',
    '--output',
    'type=oci,dest=-',
    '/ctx',
  ]);
});
