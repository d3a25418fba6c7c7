import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { errorMessage, StageError } from '../../errors.js';
import type { ToolCache } from '../../ports/tool-cache.js';

export const TOOL_NAME = 'docker-buildx';

/** Node's os.arch() → the suffix buildx release assets use. */
const ASSET_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm-v7',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};
const ASSET_OS: Record<string, string> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

export interface BuildxAsset {
  version: string;
  /** e.g. buildx-v0.29.1.linux-amd64 */
  name: string;
  url: string;
  checksumsUrl: string;
  /** The tool-cache arch key. */
  arch: string;
}

/** Pure: the release asset for this OS/arch, under `base/v<version>/`. */
export function buildxAsset(
  base: string,
  version: string,
  platform: string = process.platform,
  arch: string = os.arch(),
): BuildxAsset {
  const o = ASSET_OS[platform];
  const a = ASSET_ARCH[arch];
  if (!o || !a)
    throw new StageError(
      'builder',
      `buildx has no release for ${platform}/${arch}; install the docker-buildx plugin by hand and leave buildx-version empty`,
    );
  const name = `buildx-v${version}.${o}-${a}${o === 'windows' ? '.exe' : ''}`;
  const dir = `${base.replace(/\/+$/, '')}/v${version}`;
  return { version, name, url: `${dir}/${name}`, checksumsUrl: `${dir}/checksums.txt`, arch: a };
}

/** Pure: the sha256 for `name` in a sha256sum-style checksums file ("<hex>  name" or "<hex> *name"). */
export function findChecksum(text: string, name: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m && path.basename(m[2]!) === name) return m[1]!.toLowerCase();
  }
  return undefined;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface InstallOptions {
  version: string;
  /** The release folder's URL, without credentials (it is logged). */
  baseUrl: string;
  /** Authorization header value for baseUrl ('' = none), from buildx-download-url's user:password. */
  auth?: string;
  /** Scratch folder for downloads (removed by post with the rest of the run's temp folder). */
  tempDir: string;
  /** The per-job docker config folder whose cli-plugins/ receives the binary. */
  dockerConfig: string;
  /** cache-binary: false keeps a download out of the tool cache (default: cached). */
  cache?: boolean;
  platform?: string;
  arch?: string;
}

export interface InstallResult {
  /** Path of the plugin in dockerConfig/cli-plugins. */
  plugin: string;
  fromCache: boolean;
  cachedDir: string;
}

function httpStatus(err: unknown): number | undefined {
  const code = (err as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof code === 'number' ? code : undefined;
}

async function download(
  tc: ToolCache,
  url: string,
  dest: string,
  what: string,
  opts: Pick<InstallOptions, 'version' | 'auth'>,
): Promise<string> {
  const { version } = opts;
  try {
    return await tc.downloadTool(url, dest, opts.auth);
  } catch (err) {
    const status = httpStatus(err);
    const why = status ? `HTTP ${status}` : errorMessage(err);
    const hint =
      status === 404
        ? `is ${version} a released buildx version? Check buildx-version and buildx-download-url (it must serve v<version>/<asset> and v<version>/checksums.txt)`
        : 'check network access to buildx-download-url, or point it at a mirror you can reach';
    throw new StageError('builder', `could not download ${what} from ${url} (${why}): ${hint}.`);
  }
}

/**
 * Act: put buildx `version` into dockerConfig/cli-plugins, from the tool cache when it is there,
 * else downloaded from `baseUrl`, verified against the release's checksums file, then cached.
 * A checksum mismatch installs nothing (neither in the tool cache nor in cli-plugins).
 */
export async function installBuildx(
  opts: InstallOptions,
  tc: ToolCache,
  log: (m: string) => void,
): Promise<InstallResult> {
  const asset = buildxAsset(opts.baseUrl, opts.version, opts.platform, opts.arch);
  const exe = asset.name.endsWith('.exe') ? `${TOOL_NAME}.exe` : TOOL_NAME;
  let cachedDir = tc.find(TOOL_NAME, opts.version, asset.arch);
  const fromCache = Boolean(cachedDir);
  if (cachedDir) {
    log(`buildx ${opts.version}: found in the tool cache (${cachedDir})`);
  } else {
    const dl = fs.mkdtempSync(path.join(opts.tempDir, 'buildx-dl-'));
    try {
      log(`buildx ${opts.version}: downloading ${asset.url}`);
      const sums = await download(tc, asset.checksumsUrl, path.join(dl, 'checksums.txt'), 'the checksums file', opts);
      const expected = findChecksum(fs.readFileSync(sums, 'utf8'), asset.name);
      if (!expected) {
        throw new StageError(
          'builder',
          `the checksums file ${asset.checksumsUrl} has no entry for ${asset.name}; nothing was installed. Check buildx-download-url serves the buildx release files unchanged.`,
        );
      }
      const file = await download(tc, asset.url, path.join(dl, asset.name), asset.name, opts);
      const actual = sha256File(file);
      if (actual !== expected) {
        throw new StageError(
          'builder',
          `checksum mismatch for ${asset.name} from ${asset.url}: expected sha256 ${expected} (checksums.txt), got ${actual}. ` +
            `The download is corrupt or was tampered with; nothing was installed. Retry the job, or check what buildx-download-url serves.`,
        );
      }
      fs.chmodSync(file, 0o755);
      if (opts.cache === false) {
        // cache-binary: false: for this run only, the tool cache is left as it was
        log(`buildx ${opts.version}: sha256 ${actual} verified, not cached (cache-binary: false)`);
        return { plugin: placePlugin(opts.dockerConfig, exe, file), fromCache, cachedDir: '' };
      }
      cachedDir = await tc.cacheFile(file, exe, TOOL_NAME, opts.version, asset.arch);
      log(`buildx ${opts.version}: sha256 ${actual} verified, cached in ${cachedDir}`);
    } finally {
      fs.rmSync(dl, { recursive: true, force: true });
    }
  }
  return { plugin: placePlugin(opts.dockerConfig, exe, path.join(cachedDir, exe)), fromCache, cachedDir };
}

/** Copy buildx into the per-job cli-plugins/. */
function placePlugin(dockerConfig: string, exe: string, from: string): string {
  const pluginDir = path.join(dockerConfig, 'cli-plugins');
  fs.mkdirSync(pluginDir, { recursive: true });
  const plugin = path.join(pluginDir, exe);
  // the per-job cli-plugins/ may hold a link to the user's own buildx: replace the link, not its target
  fs.rmSync(plugin, { force: true });
  fs.copyFileSync(from, plugin);
  fs.chmodSync(plugin, 0o755);
  return plugin;
}
