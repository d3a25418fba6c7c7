import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { ToolCache } from '../../../../src/ports/tool-cache.js';
import { findChecksum } from '../../../../src/ports/tool-install.js';
import { buildxAsset, installBuildx } from '../../../../src/stages/builder/act-buildx-install.js';

test.each([
  ['linux', 'x64', 'buildx-v0.29.1.linux-amd64'],
  ['linux', 'arm64', 'buildx-v0.29.1.linux-arm64'],
  ['linux', 'arm', 'buildx-v0.29.1.linux-arm-v7'],
  ['darwin', 'arm64', 'buildx-v0.29.1.darwin-arm64'],
  ['win32', 'x64', 'buildx-v0.29.1.windows-amd64.exe'],
])('asset for %s/%s', (platform, arch, name) => {
  const a = buildxAsset('https://mirror/buildx/', '0.29.1', platform, arch);
  expect(a.name).toBe(name);
  expect(a.url).toBe(`https://mirror/buildx/v0.29.1/${name}`);
  expect(a.checksumsUrl).toBe('https://mirror/buildx/v0.29.1/checksums.txt');
});

test('findChecksum: both sha256sum forms', () => {
  const h = 'a'.repeat(64);
  expect(
    findChecksum(
      `${'b'.repeat(64)}  buildx-v1.0.0.linux-arm64\n${h}  buildx-v1.0.0.linux-amd64\n`,
      'buildx-v1.0.0.linux-amd64',
    ),
  ).toBe(h);
  expect(findChecksum(`${h.toUpperCase()} *buildx-v1.0.0.linux-amd64\n`, 'buildx-v1.0.0.linux-amd64')).toBe(h);
  expect(findChecksum(`${h}  buildx-v1.0.0.linux-amd64.sbom.json\n`, 'buildx-v1.0.0.linux-amd64')).toBeUndefined();
});

describe('installBuildx with a fake release server and tool cache', () => {
  let root: string;
  let served: Record<string, string>;
  let downloads: string[];
  let tc: ToolCache;
  const bin = '#!/bin/sh\necho buildx\n';
  const sha = createHash('sha256').update(bin).digest('hex');
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bxi-'));
    fs.mkdirSync(path.join(root, 'tmp'));
    fs.mkdirSync(path.join(root, 'cfg'));
    downloads = [];
    served = {
      'http://s/v0.29.1/checksums.txt': `${sha}  buildx-v0.29.1.linux-amd64\n`,
      'http://s/v0.29.1/buildx-v0.29.1.linux-amd64': bin,
    };
    const cache = path.join(root, 'cache');
    tc = {
      find: (tool, version, arch) => {
        const d = path.join(cache, tool, version, arch);
        return fs.existsSync(d) ? d : '';
      },
      downloadTool: async (url, dest) => {
        downloads.push(url);
        if (!(url in served)) throw Object.assign(new Error('Unexpected HTTP response: 404'), { httpStatusCode: 404 });
        fs.writeFileSync(dest, served[url]!);
        return dest;
      },
      cacheFile: async (src, target, tool, version, arch) => {
        const d = path.join(cache, tool, version, arch);
        // like @actions/tool-cache: caching again replaces the folder
        fs.rmSync(d, { recursive: true, force: true });
        fs.mkdirSync(d, { recursive: true });
        fs.copyFileSync(src, path.join(d, target));
        return d;
      },
    };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const opts = () => ({
    version: '0.29.1',
    baseUrl: 'http://s',
    tempDir: path.join(root, 'tmp'),
    dockerConfig: path.join(root, 'cfg'),
    platform: 'linux',
    arch: 'x64',
  });

  test('downloads, verifies, caches, installs; the second time comes from the cache', async () => {
    const first = await installBuildx(opts(), tc, () => undefined);
    expect(first.fromCache).toBe(false);
    expect(fs.readFileSync(first.plugin, 'utf8')).toBe(bin);
    expect(first.plugin).toBe(path.join(root, 'cfg', 'cli-plugins', 'docker-buildx'));
    expect(fs.statSync(first.plugin).mode & 0o111).toBeTruthy();
    expect(downloads).toHaveLength(2);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
    const second = await installBuildx(opts(), tc, () => undefined);
    expect(second.fromCache).toBe(true);
    expect(downloads).toHaveLength(2);
  });

  test('checksum mismatch: clear error, nothing installed or cached', async () => {
    served['http://s/v0.29.1/checksums.txt'] = `${'0'.repeat(64)}  buildx-v0.29.1.linux-amd64\n`;
    await expect(installBuildx(opts(), tc, () => undefined)).rejects.toThrow(
      /checksum mismatch for buildx-v0\.29\.1\.linux-amd64.*expected sha256 0{64}.*got [0-9a-f]{64}.*nothing was installed/,
    );
    expect(tc.find('docker-buildx', '0.29.1', 'amd64')).toBe('');
    expect(fs.existsSync(path.join(root, 'cfg', 'cli-plugins'))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  test("a mirror's credentials travel as an Authorization header, never in a logged URL", async () => {
    const auths: (string | undefined)[] = [];
    const logs: string[] = [];
    const withAuth: ToolCache = {
      ...tc,
      downloadTool: (url, dest, auth) => (auths.push(auth), tc.downloadTool(url, dest)),
    };
    await installBuildx({ ...opts(), auth: 'Basic Ym9iOnB3' }, withAuth, (m) => logs.push(m));
    expect(auths).toEqual(['Basic Ym9iOnB3', 'Basic Ym9iOnB3']);
    expect(downloads.every((u) => !u.includes('@'))).toBe(true);
    expect(logs.join('\n')).not.toMatch(/Ym9iOnB3|bob/);
  });

  test('no entry in checksums.txt, and an unknown version (404)', async () => {
    served['http://s/v0.29.1/checksums.txt'] = `${sha}  something-else\n`;
    await expect(installBuildx(opts(), tc, () => undefined)).rejects.toThrow(
      /has no entry for buildx-v0\.29\.1\.linux-amd64/,
    );
    await expect(installBuildx({ ...opts(), version: '9.9.9' }, tc, () => undefined)).rejects.toThrow(
      /HTTP 404.*is 9\.9\.9 a released buildx version/,
    );
  });

  describe('a cached copy is used only when it matches its record', () => {
    const mirrorBin = '#!/bin/sh\necho mirror buildx\n';
    const mirrorSha = createHash('sha256').update(mirrorBin).digest('hex');
    const cached = () => path.join(root, 'cache', 'docker-buildx', '0.29.1', 'amd64', 'docker-buildx');

    test('a copy cached from a mirror URL is downloaded again and checked for the default URL', async () => {
      served['http://mirror/v0.29.1/checksums.txt'] = `${mirrorSha}  buildx-v0.29.1.linux-amd64\n`;
      served['http://mirror/v0.29.1/buildx-v0.29.1.linux-amd64'] = mirrorBin;
      await installBuildx({ ...opts(), baseUrl: 'http://mirror' }, tc, () => undefined);
      expect(fs.readFileSync(cached(), 'utf8')).toBe(mirrorBin);
      downloads = [];
      const logs: string[] = [];
      const got = await installBuildx(opts(), tc, (m) => logs.push(m));
      expect(got.fromCache).toBe(false);
      expect(downloads).toEqual(['http://s/v0.29.1/checksums.txt', 'http://s/v0.29.1/buildx-v0.29.1.linux-amd64']);
      expect(fs.readFileSync(got.plugin, 'utf8')).toBe(bin);
      expect(fs.readFileSync(cached(), 'utf8')).toBe(bin);
      expect(logs.join('\n')).toMatch(/not using the copy in the tool cache.*another URL/);
      // the re-cached copy now carries this URL's record and is used as it is
      expect((await installBuildx(opts(), tc, () => undefined)).fromCache).toBe(true);
    });

    test('a cached binary changed after caching is refused and downloaded again', async () => {
      await installBuildx(opts(), tc, () => undefined);
      fs.writeFileSync(cached(), mirrorBin);
      downloads = [];
      const logs: string[] = [];
      const got = await installBuildx(opts(), tc, (m) => logs.push(m));
      expect(got.fromCache).toBe(false);
      expect(downloads).toHaveLength(2);
      expect(fs.readFileSync(got.plugin, 'utf8')).toBe(bin);
      expect(logs.join('\n')).toMatch(/no longer matches its recorded sha256/);
    });

    test('a cached copy without a record (an older cache) is downloaded again', async () => {
      const d = path.join(root, 'cache', 'docker-buildx', '0.29.1', 'amd64');
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'docker-buildx'), bin);
      const got = await installBuildx(opts(), tc, () => undefined);
      expect(got.fromCache).toBe(false);
      expect(downloads).toHaveLength(2);
    });

    test('a matching cache hit is used without a download', async () => {
      await installBuildx(opts(), tc, () => undefined);
      downloads = [];
      const got = await installBuildx(opts(), tc, () => undefined);
      expect(got.fromCache).toBe(true);
      expect(downloads).toEqual([]);
      expect(fs.readFileSync(got.plugin, 'utf8')).toBe(bin);
    });
  });
});
