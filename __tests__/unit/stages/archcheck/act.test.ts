import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import {
  type ArchCheckDeps,
  checkExported,
  platformImages,
  seedPlaceholders,
  unwrittenPlaceholders,
} from '../../../../src/stages/archcheck/act.js';
import { scanOciLayout } from '../../../../src/stages/archcheck/act-scan.js';
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

/** An OCI layout of two platforms above one base layer; arm64 got an x86-64 file in its own layer. */
async function layoutTar(): Promise<Buffer> {
  const layer = async (machine: number) => zlib.gzipSync(await tarOf([['usr/local/bin/tool', elf(2, 1, machine)]]));
  const manifest = (layers: string[]) =>
    JSON.stringify({ config: { digest: 'sha256:cf' }, layers: layers.map((digest) => ({ digest })) });
  const index = JSON.stringify({
    manifests: [
      { digest: 'sha256:d1', platform: { os: 'linux', architecture: 'amd64' } },
      { digest: 'sha256:d2', platform: { os: 'linux', architecture: 'arm64' } },
    ],
  });
  return tarOf([
    ['blobs/sha256/a1', await layer(62)],
    ['blobs/sha256/a2', await layer(62)],
    ['blobs/sha256/ba5e', zlib.gzipSync(await tarOf([['bin/base', elf(2, 1, 62)]]))],
    ['blobs/sha256/cf', Buffer.from('{"os":"linux","architecture":"amd64"}')],
    ['blobs/sha256/d1', Buffer.from(manifest(['sha256:ba5e', 'sha256:a1']))],
    ['blobs/sha256/d2', Buffer.from(manifest(['sha256:ba5e', 'sha256:a2']))],
    ['blobs/sha256/ee', Buffer.from(index)],
    [
      'index.json',
      Buffer.from(
        JSON.stringify({
          manifests: [{ digest: 'sha256:ee', mediaType: 'application/vnd.oci.image.index.v1+json' }],
        }),
      ),
    ],
  ]);
}

/** A registry with one base image (index → arm64 manifest → one layer), answering by URL suffix. */
function fakeRegistry(blobs: Record<string, Buffer | string>): ArchCheckDeps {
  const fetchFake = (async (url: string) => {
    const hit = Object.entries(blobs).find(([k]) => url.endsWith(k));
    return hit ? new Response(hit[1]) : new Response('', { status: 404, statusText: 'Not Found' });
  }) as typeof fetch;
  const warnings: string[] = [];
  return {
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    registry: {
      fetch: fetchFake,
      exec: async () => ({ code: 0, stdout: '', stderr: '' }),
      readFile: () => undefined,
      dockerConfig: '',
    },
    log: () => undefined,
    warn: (m) => void warnings.push(m),
  } as ArchCheckDeps;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'archcheck-'));
const all = { ignore: () => false };

describe('checkExported: what the build itself exported, read without running anything', () => {
  test('an OCI layout tar file: base layers left out, the wrong file named on its platform', async () => {
    const file = path.join(tmp(), 'arch-check.oci.tar');
    fs.writeFileSync(file, await layoutTar());
    const deps = fakeRegistry({});
    const t = { platforms: ['linux/amd64', 'linux/arm64'], skip: new Set(['sha256:ba5e']), ...all };
    const v = await checkExported({ kind: 'oci', path: file }, t, deps);
    expect(v.map((x) => [x.platform, x.wrong, x.layersRead, x.layersTotal])).toEqual([
      ['linux/amd64', [], 1, 2],
      ['linux/arm64', [{ path: '/usr/local/bin/tool', arch: 'amd64' }], 1, 2],
    ]);
  });

  test('an OCI layout folder: base placeholders never read, only the added layers judged', async () => {
    const dir = tmp();
    const put = (body: Buffer | string) => {
      const hex = createHash('sha256').update(body).digest('hex');
      fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'blobs', 'sha256', hex), body);
      return `sha256:${hex}`;
    };
    const layer = async (machine: number) => zlib.gzipSync(await tarOf([['usr/local/bin/tool', elf(2, 1, machine)]]));
    const baseDigest = `sha256:${'b'.repeat(64)}`;
    // seeded before the build, as the wiring does; the build left it empty
    expect([...seedPlaceholders(dir, [baseDigest, 'sha256:../../etc'])]).toEqual([baseDigest]);
    const a1 = put(await layer(62));
    const a2 = put(
      zlib.gzipSync(
        await tarOf([
          ['usr/local/bin/tool', elf(2, 1, 62)],
          ['etc/x', Buffer.from('y')],
        ]),
      ),
    );
    const cf = put('{"os":"linux","architecture":"amd64"}');
    const manifest = (layers: string[]) =>
      put(JSON.stringify({ config: { digest: cf }, layers: layers.map((digest) => ({ digest })) }));
    const d1 = manifest([baseDigest, a1]);
    const d2 = manifest([baseDigest, a2]);
    const idx = put(
      JSON.stringify({
        manifests: [
          { digest: d1, platform: { os: 'linux', architecture: 'amd64' } },
          { digest: d2, platform: { os: 'linux', architecture: 'arm64' } },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'index.json'),
      JSON.stringify({ manifests: [{ digest: idx, mediaType: 'application/vnd.oci.image.index.v1+json' }] }),
    );
    const t = { platforms: ['linux/amd64', 'linux/arm64'], skip: new Set([baseDigest]), ...all };
    const v = await checkExported({ kind: 'layout', path: dir }, t, fakeRegistry({}));
    expect(v.map((x) => [x.platform, x.wrong, x.layersRead, x.layersTotal])).toEqual([
      ['linux/amd64', [], 1, 2],
      ['linux/arm64', [{ path: '/usr/local/bin/tool', arch: 'amd64' }], 1, 2],
    ]);
    expect(unwrittenPlaceholders(dir, new Set([baseDigest]))).toBe(1);
    // a placeholder that would have been read (not left out) is refused, never judged as an empty layer
    await expect(
      checkExported({ kind: 'layout', path: dir }, { ...t, skip: new Set<string>() }, fakeRegistry({})),
    ).rejects.toThrow(/placeholder/);
  });

  test('seeding leaves a blob already in the folder as it is', () => {
    const dir = tmp();
    const d = `sha256:${'c'.repeat(64)}`;
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', 'c'.repeat(64)), 'real');
    expect(seedPlaceholders(dir, [d]).size).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'blobs', 'sha256', 'c'.repeat(64)), 'utf8')).toBe('real');
    expect(unwrittenPlaceholders(dir, new Set([d]))).toBe(0);
  });

  test('an OCI tar that is not a layout says so', async () => {
    const file = path.join(tmp(), 'x.tar');
    fs.writeFileSync(file, await tarOf([['hello', Buffer.from('x')]]));
    const t = { platforms: ['linux/amd64'], skip: new Set<string>(), ...all };
    await expect(checkExported({ kind: 'oci', path: file }, t, fakeRegistry({}))).rejects.toThrow(/no index\.json/);
  });

  test("one folder a platform (multi-node): files judged, the base image's own left out, links not followed", async () => {
    const dir = tmp();
    const put = (p: string, body: Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), body);
    };
    put('linux_amd64/bin/base', elf(2, 1, 62));
    put('linux_amd64/usr/local/bin/tool', elf(2, 1, 62));
    // the base ships an x86-64 file on arm64 (its problem), the build replaced another with an x86-64 one
    put('linux_arm64/bin/base', elf(2, 1, 62));
    put('linux_arm64/bin/replaced', elf(2, 1, 62));
    put('linux_arm64/usr/local/bin/tool', elf(2, 1, 183));
    put('linux_arm64/etc/readme', Buffer.from('text'));
    fs.symlinkSync('/bin/sh', path.join(dir, 'linux_arm64/bin/sh'));
    const baseLayer = zlib.gzipSync(
      await tarOf([
        ['bin/base', elf(2, 1, 62)],
        ['bin/replaced', elf(2, 1, 183)],
      ]),
    );
    // real digests: what the registry client reads is checked against the digest it asked for
    const digest = (b: string | Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const manifest = JSON.stringify({ config: { digest: 'sha256:c' }, layers: [{ digest: digest(baseLayer) }] });
    const deps = fakeRegistry({
      '/v2/base/manifests/v1': JSON.stringify({
        manifests: [{ digest: digest(manifest), platform: { os: 'linux', architecture: 'arm64' } }],
      }),
      [`/manifests/${digest(manifest)}`]: manifest,
      [`/blobs/${digest(baseLayer)}`]: baseLayer,
    });
    const t = {
      platforms: ['linux/amd64', 'linux/arm64'],
      skip: new Set<string>(),
      bases: ['127.0.0.1:5000/base:v1'],
      ...all,
    };
    const v = await checkExported({ kind: 'files', path: dir }, t, deps);
    expect(v.map((x) => [x.platform, x.wrong, x.files, x.layersTotal])).toEqual([
      ['linux/amd64', [], 2, 0],
      ['linux/arm64', [{ path: '/bin/replaced', arch: 'amd64' }], 4, 0],
    ]);
    // arch-check: full (no bases): the base's file is judged too
    const full = await checkExported({ kind: 'files', path: dir }, { ...t, bases: [] }, deps);
    expect(full[1]!.wrong.map((w) => w.path).sort()).toEqual(['/bin/base', '/bin/replaced']);
    await expect(
      checkExported({ kind: 'files', path: dir }, { ...t, platforms: ['linux/s390x'] }, deps),
    ).rejects.toThrow("the build's export holds no linux/s390x folder");
  });
});
