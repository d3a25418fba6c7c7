/**
 * Arch check, the act: find each platform's layers (in the registry when pushed; otherwise in the
 * OCI layout the build itself wrote, see export.ts), leave out the base images' layers unless
 * `full`, stream the rest once each and judge every platform (plan.ts). A multi-node build leaves
 * one folder a platform instead: its files are judged, the base images' own left out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { errorMessage, StageError } from '../../errors.js';
import { describeElf } from '../../oci/elf.js';
import { canonicalPlatformOf, imageConfigPlatform, parseManifestNode } from '../../oci/manifests.js';
import type { ActDeps } from '../../ports/exec.js';
import { mapLimit, PROBE_CONCURRENCY } from '../../ports/pool.js';
import { type RegistryDeps, RegistryRepo } from '../../ports/registry.js';
import { scanLayer, scanOciLayout, scanTree } from './act-scan.js';
import { CHECK_MARK_KEY, type CheckExport, layoutBlobPath, platformFolder } from './export.js';
import { judgePlatform, type LayerScan, type PlatformVerdict, stackLayers } from './plan.js';

export interface PlatformImage {
  platform: string;
  /** Layer digests, bottom to top. */
  layers: string[];
}

/** How platformImages reads what an image points at: a manifest or index by digest, a config blob by digest. */
export interface ImageReader {
  manifest(digest: string): Promise<string>;
  config(digest: string): Promise<string>;
}

/**
 * Walk an index (or a manifest) to the platform images it holds; oci/manifests.ts reads each one.
 * Only `wanted` platforms are read (all when undefined).
 */
export async function platformImages(root: string, read: ImageReader, wanted?: string[]): Promise<PlatformImage[]> {
  const node = parseManifestNode(root);
  if (node.kind === 'image') {
    // a single-platform manifest: its platform is only in its config
    const platform = imageConfigPlatform(node.config ? await read.config(node.config) : '{}');
    return [{ platform, layers: node.layers }];
  }
  const out: PlatformImage[] = [];
  // linux/arm64/v8 asked, linux/arm64 in the index: the same platform
  const want = wanted?.map(canonicalPlatformOf);
  for (const e of node.entries) {
    if (want && !want.includes(e.platform)) continue;
    const m = parseManifestNode(await read.manifest(e.digest));
    out.push({ platform: e.platform, layers: m.kind === 'image' ? m.layers : [] });
  }
  // an OCI layout's index.json points at the image index without a platform: follow it
  for (const d of node.nested) out.push(...(await platformImages(await read.manifest(d), read, wanted)));
  return out;
}

export interface ArchCheckDeps extends ActDeps {
  registry: RegistryDeps;
}

/** The base images' layer digests for these platforms; a base that cannot be read is warned about (its layers get read). */
export async function baseLayers(refs: string[], platforms: string[], deps: ArchCheckDeps): Promise<Set<string>> {
  const skip = new Set<string>();
  // as preflight's inspects, a few at a time: a Dockerfile may name 120 bases
  await mapLimit(refs, PROBE_CONCURRENCY, async (ref) => {
    try {
      const { repo, reference } = RegistryRepo.of(ref, deps.registry);
      for (const img of await platformImages(await repo.manifest(reference), registryReader(repo), platforms))
        for (const l of img.layers) skip.add(l);
    } catch (err) {
      deps.warn(`arch-check: cannot read base image ${ref} (${errorMessage(err)}); its layers are checked too`);
    }
  });
  return skip;
}

/** A repository's manifests and config blobs, for platformImages. */
function registryReader(repo: RegistryRepo): ImageReader {
  return { manifest: (d) => repo.manifest(d), config: (d) => repo.config(d) };
}

/**
 * Judge each platform from its image: a layer left out (a base) is skipped, a recorded one judged
 * from its recorded scan, any other from the scan just read.
 */
function judgeAll(images: PlatformImage[], scans: Map<string, LayerScan>, t: CheckTarget): PlatformVerdict[] {
  return images.map((img) => {
    let recorded = 0;
    const layers: LayerScan[] = [];
    for (const l of img.layers.filter((d) => !t.skip.has(d))) {
      const read = scans.get(l);
      const memo = read ? undefined : t.memo?.recorded.get(l);
      if (memo) {
        recorded++;
        t.memo?.used.add(l);
      }
      const scan = read ?? memo;
      if (scan) layers.push(scan);
    }
    return judgePlatform(img.platform, layers, img.layers.length, t.ignore, recorded);
  });
}

/** The record of checked layers (record.ts) as a check uses it: what it may skip, what it read. */
export interface LayerMemo {
  /** Recorded scans by digest: those layers are not read. */
  recorded: Map<string, LayerScan>;
  /** Filled by the check: the layers it read and scanned. */
  read: Map<string, LayerScan>;
  /** Filled by the check: the recorded layers it judged. */
  used: Set<string>;
}

/** The layers a check reads: neither left out nor recorded. */
function toRead(images: PlatformImage[], t: CheckTarget): string[] {
  return [...new Set(images.flatMap((i) => i.layers))].filter((l) => !t.skip.has(l) && !t.memo?.recorded.has(l));
}

/** Hand what was read to the memo (the record keeps it for the next check). */
function remember(t: CheckTarget, scans: Map<string, LayerScan>): void {
  if (t.memo) for (const [d, s] of scans) t.memo.read.set(d, s);
}

export interface CheckTarget {
  platforms: string[];
  /** The base images' layers (left out of an image read by layers). */
  skip: Set<string>;
  /** The base images (their files are left out of a folder export); none with arch-check: full. */
  bases?: string[];
  ignore: (p: string) => boolean;
  memo?: LayerMemo;
}

/** Pushed: read the index the build pushed (ref@digest) and stream its layers from the registry, a few at a time. */
export async function checkPushed(
  ref: string,
  digest: string,
  t: CheckTarget,
  deps: ArchCheckDeps,
): Promise<PlatformVerdict[]> {
  const { repo } = RegistryRepo.of(ref, deps.registry);
  const images = await platformImages(await repo.manifest(digest), registryReader(repo), t.platforms);
  const todo = toRead(images, t);
  const scans = new Map<string, LayerScan>();
  const next = async (): Promise<void> => {
    for (let l = todo.shift(); l; l = todo.shift()) scans.set(l, await scanLayer(await repo.blob(l), l));
  };
  await Promise.all([next(), next(), next()]);
  remember(t, scans);
  return judgeAll(images, scans, t);
}

/** Not pushed, one node: the OCI layout tar the build itself wrote beside its other outputs. */
async function checkOciTar(file: string, t: CheckTarget): Promise<PlatformVerdict[]> {
  // a recorded layer passes through unread, as a base one does
  const scan = await scanOciLayout(fs.createReadStream(file), new Set([...t.skip, ...(t.memo?.recorded.keys() ?? [])]));
  if (!scan.index) throw new Error("the build's OCI export has no index.json");
  const blobs = scan.json;
  const get = async (d: string) => blobs.get(d) ?? Promise.reject(new Error(`blob ${d} is not in the export`));
  const images = await platformImages(scan.index, { manifest: get, config: get }, t.platforms);
  remember(t, scan.layers);
  return judgeAll(images, scan.layers, t);
}

/**
 * Before the build: an empty file for each base or recorded layer blob in the layout folder the
 * build will write, so BuildKit, finding the blob there, does not send it. Returns the digests seeded.
 */
export function seedPlaceholders(dir: string, digests: Iterable<string>): Set<string> {
  const seeded = new Set<string>();
  for (const d of digests) {
    const file = layoutBlobPath(dir, d);
    if (!file) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': a file already there is not ours to empty
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
      seeded.add(d);
    } catch {
      /* already there */
    }
  }
  return seeded;
}

/** After the build: how many seeded placeholders are still empty (BuildKit did not write those blobs). */
export function unwrittenPlaceholders(dir: string, seeded: Set<string>): number {
  let n = 0;
  for (const d of seeded) {
    const file = layoutBlobPath(dir, d);
    if (file && fs.statSync(file, { throwIfNoEntry: false })?.size === 0) n++;
  }
  return n;
}

const MAX_JSON_BLOB = 4 * 1024 * 1024;

/** Whether a layout entry can be a JSON blob: a regular file (no link), not empty (a placeholder), small. */
const jsonSized = (st: fs.Stats) => st.isFile() && st.size > 0 && st.size <= MAX_JSON_BLOB;

/** A small JSON file of the layout (index, manifest, config), refused when it is not one. */
async function layoutJson(file: string): Promise<string> {
  if (!jsonSized(await fs.promises.lstat(file))) throw new Error(`${path.basename(file)} is not a JSON blob`);
  return fs.promises.readFile(file, 'utf8');
}

/**
 * A manifest or config blob the build left as one of the placeholders seeded before it: the record
 * of checked layers (or a base image) named the build's own JSON as a layer, so BuildKit, finding
 * the blob there, did not write it. Not "cannot read the image" (a warning): a failure, since a
 * record that can do this can hide the build's content.
 */
async function seededJson(exp: CheckExport, d: string, file: string): Promise<void> {
  const seeded = exp.recordSeeded?.has(d) ? 'the record of checked layers' : exp.bases?.has(d) ? 'a base image' : '';
  if (!seeded || (await fs.promises.lstat(file).catch(() => undefined))?.size !== 0) return;
  const remove = exp.recordSeeded?.has(d) && exp.recordFiles?.length ? `; remove ${exp.recordFiles.join(' and ')}` : '';
  throw new StageError(
    'arch-check',
    `the image's own manifest or config ${d} was left unwritten: ${seeded} names it as a layer, so it was seeded as a placeholder${remove}`,
  );
}

/**
 * The image index of the check's own copy (export.ts: made distinct beside another exporter): the
 * one JSON blob of the folder that is an index carrying the run's mark. The folder's index.json
 * names the other exporter's image, which is not in the folder. Only small files that start as
 * JSON are read whole (a new layer is a compressed tar).
 */
export async function markedIndex(dir: string, mark: string): Promise<string> {
  const found: string[] = [];
  for (const algorithm of await fs.promises.readdir(path.join(dir, 'blobs')).catch(() => [] as string[]))
    for (const hex of await fs.promises.readdir(path.join(dir, 'blobs', algorithm))) {
      const text = await jsonBlob(path.join(dir, 'blobs', algorithm, hex));
      if (text !== undefined && isMarkedIndex(text, mark)) found.push(text);
    }
  if (found.length !== 1)
    throw new Error(`the build's OCI export holds ${found.length} image indexes marked for the check, not one`);
  return found[0]!;
}

/** A blob's text when it is a small regular file that starts as a JSON object, else undefined. */
async function jsonBlob(file: string): Promise<string | undefined> {
  if (!jsonSized(await fs.promises.lstat(file))) return undefined;
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const first = Buffer.alloc(1);
    await fh.read(first, 0, 1, 0);
    return first[0] === 0x7b ? await fh.readFile({ encoding: 'utf8' }) : undefined;
  } finally {
    await fh.close();
  }
}

function isMarkedIndex(text: string, mark: string): boolean {
  try {
    const doc = JSON.parse(text) as { manifests?: unknown; annotations?: Record<string, unknown> };
    return Array.isArray(doc.manifests) && doc.annotations?.[CHECK_MARK_KEY] === mark;
  } catch {
    return false;
  }
}

/**
 * Not pushed, one node: the OCI layout folder the build wrote beside its other outputs. Only the
 * layers above the base images are read; a base layer (a placeholder, or written) never is.
 */
async function checkOciLayout(exp: CheckExport, t: CheckTarget): Promise<PlatformVerdict[]> {
  const dir = exp.path;
  const blob = (d: string) => {
    const file = layoutBlobPath(dir, d);
    if (!file) throw new Error(`the build's OCI export names a malformed digest ${JSON.stringify(d)}`);
    return file;
  };
  const index = exp.mark
    ? await markedIndex(dir, exp.mark)
    : await layoutJson(path.join(dir, 'index.json')).catch(() => {
        throw new Error("the build's OCI export has no index.json");
      });
  // only a blob that cannot be read is asked whether it was seeded: one lstat a blob, not two
  const get = (d: string) =>
    layoutJson(blob(d)).catch(async (err: unknown) => {
      await seededJson(exp, d, blob(d));
      throw err;
    });
  const images = await platformImages(index, { manifest: get, config: get }, t.platforms);
  const scans = new Map<string, LayerScan>();
  // a recorded layer is never read: it may be a placeholder seeded before the build (seedPlaceholders)
  await mapLimit(toRead(images, t), 3, async (l) => {
    const file = blob(l);
    const st = await fs.promises.lstat(file);
    if (!st.isFile()) throw new Error(`layer ${l} is not a file in the export`);
    // no layer blob is empty (a compressed tar never is): only a base placeholder, not content
    if (st.size === 0) throw new Error(`layer ${l} is an empty placeholder, not the build's content`);
    scans.set(l, await scanLayer(fs.createReadStream(file), l));
  });
  remember(t, scans);
  return judgeAll(images, scans, t);
}

/** Each platform's ELF files in the base images (path → architecture), stacked as the image holds them. */
export async function baseElves(
  refs: string[],
  platforms: string[],
  deps: ArchCheckDeps,
): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>(platforms.map((p) => [canonicalPlatformOf(p), new Map()]));
  for (const ref of refs) {
    try {
      const { repo, reference } = RegistryRepo.of(ref, deps.registry);
      for (const img of await platformImages(await repo.manifest(reference), registryReader(repo), platforms)) {
        const layers: LayerScan[] = [];
        for (const l of img.layers) layers.push(await scanLayer(await repo.blob(l), l));
        for (const e of stackLayers(layers)) out.get(img.platform)?.set(e.path, describeElf(e.header));
      }
    } catch (err) {
      deps.warn(`arch-check: cannot read base image ${ref} (${errorMessage(err)}); its files are checked too`);
    }
  }
  return out;
}

/**
 * Not pushed, several nodes: each platform's folder the build wrote (a folder has no layers). By
 * default a file the base image holds at the same path with the same architecture is its, not this
 * build's (what leaving out the base layers does); `full` (no bases) judges every file.
 */
async function checkFolders(dir: string, t: CheckTarget, deps: ArchCheckDeps): Promise<PlatformVerdict[]> {
  const bases = t.bases?.length ? await baseElves(t.bases, t.platforms, deps) : undefined;
  const out: PlatformVerdict[] = [];
  for (const platform of t.platforms) {
    const folder = path.join(dir, platformFolder(platform));
    if (!fs.existsSync(folder)) throw new Error(`the build's export holds no ${platform} folder`);
    const scan = await scanTree(folder);
    const base = bases?.get(canonicalPlatformOf(platform));
    if (base) scan.elves = scan.elves.filter((e) => base.get(e.path) !== describeElf(e.header));
    out.push(judgePlatform(platform, [scan], 0, t.ignore));
  }
  return out;
}

/** Not pushed: judge what the build itself exported for the check (export.ts). */
export async function checkExported(exp: CheckExport, t: CheckTarget, deps: ArchCheckDeps): Promise<PlatformVerdict[]> {
  if (exp.kind === 'layout') return checkOciLayout(exp, t);
  return exp.kind === 'oci' ? checkOciTar(exp.path, t) : checkFolders(exp.path, t, deps);
}

// what the wiring needs, through this one lazily loaded module
export { archCheckFailure, archCheckSummary, ignoreMatcher } from './plan.js';
