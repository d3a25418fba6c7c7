import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { StageError } from '../../errors.js';
import type { ToolCache } from '../../ports/tool-cache.js';
import { installRelease, type ReleaseWords } from '../../ports/tool-install.js';

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

const WORDS: ReleaseWords = {
  stage: 'builder',
  tool: 'buildx',
  versionInput: 'buildx-version',
  urlInput: 'buildx-download-url',
  layout: 'v<version>/<asset> and v<version>/checksums.txt',
};

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
  const got = await installRelease(
    { ...asset, tool: TOOL_NAME },
    exe,
    WORDS,
    { auth: opts.auth, tempDir: opts.tempDir, cache: opts.cache },
    { tc, log },
  );
  const plugin = placePlugin(opts.dockerConfig, exe, got.file);
  // not cached (cache-binary: false): the copy in cli-plugins is the run's only one
  if (!got.cachedDir) fs.rmSync(got.file, { force: true });
  return { plugin, fromCache: got.fromCache, cachedDir: got.cachedDir };
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
