/**
 * A pinned release binary installed the one way this action installs tools (buildx, cosign): from
 * the tool cache when it is there, else downloaded from a release folder, checked against the
 * release's published sha256 checksums file, then cached. A mismatch installs nothing.
 *
 * The tool cache is keyed by tool/version/arch only, so on a self-hosted runner a copy cached by an
 * earlier job from another download URL (a mirror) would otherwise be run here unchecked. Each cached
 * copy has a record beside it (`<exe>.sha256`: its verified sha256 and the URL it came from); a hit
 * is used only when the binary still hashes to the record and the record names this run's URL.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { errorMessage, StageError } from '../errors.js';
import type { ToolCache } from './tool-cache.js';

/** One release asset: the binary and the checksums file beside it. */
export interface ReleaseAsset {
  /** The tool-cache name (e.g. docker-buildx, cosign). */
  tool: string;
  version: string;
  /** The asset's file name, as the checksums file lists it. */
  name: string;
  url: string;
  checksumsUrl: string;
  /** The tool-cache arch key. */
  arch: string;
}

/** What the messages name: the stage that fails, the tool, and the inputs a user can change. */
export interface ReleaseWords {
  stage: string;
  /** e.g. buildx, cosign */
  tool: string;
  versionInput: string;
  urlInput: string;
  /** e.g. "v<version>/<asset> and v<version>/checksums.txt" */
  layout: string;
}

export interface ReleaseInstallOptions {
  /** Authorization header value for the release folder ('' = none), from the URL input's user:password. */
  auth?: string;
  /** Scratch folder for downloads (inside the run's temp folder, removed by post). */
  tempDir: string;
  /** false keeps a download out of the tool cache (default: cached). */
  cache?: boolean;
}

export interface ReleaseInstallResult {
  /** The verified binary: in the tool cache, or (not cached) in `tempDir` for this run. */
  file: string;
  fromCache: boolean;
  cachedDir: string;
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

function httpStatus(err: unknown): number | undefined {
  const code = (err as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof code === 'number' ? code : undefined;
}

/** What a cached copy was verified as: its sha256 and the asset URL it was downloaded from. */
interface CacheRecord {
  sha256: string;
  url: string;
}

const recordFile = (dir: string, exe: string) => path.join(dir, `${exe}.sha256`);

function writeCacheRecord(dir: string, exe: string, record: CacheRecord): void {
  fs.writeFileSync(recordFile(dir, exe), JSON.stringify(record));
}

/** The record beside a cached `exe`; undefined when missing or unreadable (an older cache, or something else wrote the folder). */
function readCacheRecord(dir: string, exe: string): CacheRecord | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(recordFile(dir, exe), 'utf8')) as Partial<CacheRecord>;
    return typeof r.sha256 === 'string' && typeof r.url === 'string' ? { sha256: r.sha256, url: r.url } : undefined;
  } catch {
    return undefined;
  }
}

/** Why a cached copy may not be used for `asset` ('' = it may). */
function cacheRefusal(dir: string, exe: string, asset: ReleaseAsset): string {
  const record = readCacheRecord(dir, exe);
  if (!record) return 'it has no checksum record (cached by an older version)';
  if (record.url !== asset.url) return `it was downloaded from another URL than ${asset.url}`;
  const file = path.join(dir, exe);
  if (!fs.existsSync(file) || sha256File(file) !== record.sha256) return 'it no longer matches its recorded sha256';
  return '';
}

async function download(
  tc: ToolCache,
  asset: ReleaseAsset,
  url: string,
  dest: string,
  what: string,
  ctx: { words: ReleaseWords; auth?: string },
): Promise<string> {
  const { words } = ctx;
  try {
    return await tc.downloadTool(url, dest, ctx.auth);
  } catch (err) {
    const status = httpStatus(err);
    const why = status ? `HTTP ${status}` : errorMessage(err);
    const hint =
      status === 404
        ? `is ${asset.version} a released ${words.tool} version? Check ${words.versionInput} and ${words.urlInput} (it must serve ${words.layout})`
        : `check network access to ${words.urlInput}, or point it at a mirror you can reach`;
    throw new StageError(words.stage, `could not download ${what} from ${url} (${why}): ${hint}.`);
  }
}

/**
 * Act: the verified binary of `asset`, from the tool cache when its record matches (see above), else
 * downloaded with its checksums file, compared, made executable, then cached with its record
 * (unless `cache: false`).
 */
export async function installRelease(
  asset: ReleaseAsset,
  exe: string,
  words: ReleaseWords,
  opts: ReleaseInstallOptions,
  deps: { tc: ToolCache; log: (m: string) => void },
): Promise<ReleaseInstallResult> {
  const { tc, log } = deps;
  const label = `${words.tool} ${asset.version}`;
  const found = tc.find(asset.tool, asset.version, asset.arch);
  if (found) {
    const refusal = cacheRefusal(found, exe, asset);
    if (!refusal) {
      log(`${label}: found in the tool cache (${found}), sha256 and source URL match its record`);
      return { file: path.join(found, exe), fromCache: true, cachedDir: found };
    }
    log(`${label}: not using the copy in the tool cache (${found}): ${refusal}; downloading it afresh`);
  }
  const dl = fs.mkdtempSync(path.join(opts.tempDir, `${asset.tool}-dl-`));
  try {
    log(`${label}: downloading ${asset.url}`);
    const ctx = { words, auth: opts.auth };
    const sumsName = path.basename(new URL(asset.checksumsUrl).pathname);
    const sums = await download(tc, asset, asset.checksumsUrl, path.join(dl, sumsName), 'the checksums file', ctx);
    const expected = findChecksum(fs.readFileSync(sums, 'utf8'), asset.name);
    if (!expected) {
      throw new StageError(
        words.stage,
        `the checksums file ${asset.checksumsUrl} has no entry for ${asset.name}; nothing was installed. Check ${words.urlInput} serves the ${words.tool} release files unchanged.`,
      );
    }
    const file = await download(tc, asset, asset.url, path.join(dl, asset.name), asset.name, ctx);
    const actual = sha256File(file);
    if (actual !== expected) {
      throw new StageError(
        words.stage,
        `checksum mismatch for ${asset.name} from ${asset.url}: expected sha256 ${expected} (${sumsName}), got ${actual}. ` +
          `The download is corrupt or was tampered with; nothing was installed. Retry the job, or check what ${words.urlInput} serves.`,
      );
    }
    fs.chmodSync(file, 0o755);
    if (opts.cache === false) {
      // for this run only, the tool cache is left as it was; the file stays in the run's temp folder
      log(`${label}: sha256 ${actual} verified, not cached`);
      const kept = path.join(opts.tempDir, `${asset.tool}-${asset.version}-${exe}`);
      fs.renameSync(file, kept);
      return { file: kept, fromCache: false, cachedDir: '' };
    }
    const cachedDir = await tc.cacheFile(file, exe, asset.tool, asset.version, asset.arch);
    writeCacheRecord(cachedDir, exe, { sha256: actual, url: asset.url });
    log(`${label}: sha256 ${actual} verified, cached in ${cachedDir}`);
    return { file: path.join(cachedDir, exe), fromCache: false, cachedDir };
  } finally {
    fs.rmSync(dl, { recursive: true, force: true });
  }
}
