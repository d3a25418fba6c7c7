/**
 * Arch check, the act: find each platform's layers (in the registry when pushed; from a cached
 * re-export of the build as an OCI tar stream otherwise), leave out the base images' layers unless
 * `full`, stream the rest once each and judge every platform (plan.ts).
 */
import { commandProblem, errorMessage } from '../../errors.js';
import { canonicalPlatformOf, imageConfigPlatform, parseManifestNode } from '../../oci/manifests.js';
import { type ActDeps, NO_TIMEOUT } from '../../ports/exec.js';
import { mapLimit, PROBE_CONCURRENCY } from '../../ports/pool.js';
import { type RegistryDeps, RegistryRepo } from '../../ports/registry.js';
import { judgePlatform, type LayerScan, type PlatformVerdict, reexportArgv } from './plan.js';
import { scanLayer, scanOciLayout } from './scan.js';

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

/** Judge each platform from its image and the scans of the layers that were read. */
function judgeAll(
  images: PlatformImage[],
  scans: Map<string, LayerScan>,
  skip: Set<string>,
  ignore: (p: string) => boolean,
): PlatformVerdict[] {
  return images.map((img) => {
    const read = img.layers
      .filter((l) => !skip.has(l))
      .map((l) => scans.get(l))
      .filter((s): s is LayerScan => s !== undefined);
    return judgePlatform(img.platform, read, img.layers.length, ignore);
  });
}

export interface CheckTarget {
  platforms: string[];
  skip: Set<string>;
  ignore: (p: string) => boolean;
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
  const todo = [...new Set(images.flatMap((i) => i.layers))].filter((l) => !t.skip.has(l));
  const scans = new Map<string, LayerScan>();
  const next = async (): Promise<void> => {
    for (let l = todo.shift(); l; l = todo.shift()) scans.set(l, await scanLayer(await repo.blob(l), l));
  };
  await Promise.all([next(), next(), next()]);
  return judgeAll(images, scans, t.skip, t.ignore);
}

/** Not pushed: re-run the build (every step cached) with an OCI tar streamed to us, and judge it. */
export async function checkLocal(
  buildArgv: string[],
  t: CheckTarget,
  deps: ArchCheckDeps,
  env?: Record<string, string>,
): Promise<PlatformVerdict[]> {
  let scan: Awaited<ReturnType<typeof scanOciLayout>> | undefined;
  const argv = reexportArgv(buildArgv);
  const res = await deps.exec({
    argv,
    silent: true,
    env,
    timeoutMs: NO_TIMEOUT,
    readStdout: async (s) => void (scan = await scanOciLayout(s, t.skip)),
  });
  if (res.code !== 0 || !scan) throw new Error(`re-exporting the build failed: ${commandProblem(argv, res)}`);
  const blobs = scan.json;
  const get = async (d: string) => blobs.get(d) ?? Promise.reject(new Error(`blob ${d} is not in the export`));
  const images = await platformImages(scan.index, { manifest: get, config: get }, t.platforms);
  return judgeAll(images, scan.layers, t.skip, t.ignore);
}

// what the wiring needs, through this one lazily loaded module
export { archCheckFailure, archCheckSummary, ignoreMatcher } from './plan.js';
