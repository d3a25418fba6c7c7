/**
 * Arch check, the act: find each platform's layers (in the registry when pushed; from a cached
 * re-export of the build as an OCI tar stream otherwise), leave out the base images' layers unless
 * `full`, stream the rest once each and judge every platform (archcheck.ts).
 */
import { type Exec, NO_TIMEOUT } from '../../ports/exec.js';
import { errorMessage } from '../../errors.js';
import type { ArchCheckMode } from '../../inputs/verify.js';
import { judgePlatform, type LayerScan, type PlatformVerdict } from './plan.js';
import { scanLayer, scanOciLayout } from './scan.js';
import { canonicalPlatform, parseManifest } from '../../oci/manifests.js';
import { type RegistryDeps, RegistryRepo } from '../../ports/registry.js';

export interface PlatformImage {
  platform: string;
  /** Layer digests, bottom to top. */
  layers: string[];
}

type Descriptor = { digest?: string; mediaType?: string; platform?: { os?: string } };
type Body = { manifests?: Descriptor[]; layers?: { digest: string }[]; config?: { digest: string } };

/**
 * Walk an index (or a manifest) to the platform images it holds. `manifest` reads a manifest or
 * index by digest, `config` a config blob. Only `wanted` platforms are read (all when undefined).
 */
export async function platformImages(
  root: string,
  read: { manifest(digest: string): Promise<string>; config(digest: string): Promise<string> },
  wanted?: string[],
): Promise<PlatformImage[]> {
  const body = JSON.parse(root) as Body;
  if (Array.isArray(body.layers)) {
    const cfg = body.config?.digest ? (JSON.parse(await read.config(body.config.digest)) as { os?: string; architecture?: string; variant?: string }) : {};
    const platform = canonicalPlatform(cfg.os ?? 'unknown', cfg.architecture ?? 'unknown', cfg.variant);
    return [{ platform, layers: body.layers.map((l) => l.digest) }];
  }
  const out: PlatformImage[] = [];
  const parsed = parseManifest(root);
  const entries = parsed.kind === 'index' ? parsed.entries : [];
  // linux/arm64/v8 asked, linux/arm64 in the index: the same platform
  const want = wanted?.map((p) => canonicalPlatform(...(p.split('/') as [string, string, string?])));
  for (const e of entries) {
    if (want && !want.includes(e.platform)) continue;
    const m = JSON.parse(await read.manifest(e.digest)) as Body;
    out.push({ platform: e.platform, layers: (m.layers ?? []).map((l) => l.digest) });
  }
  // an OCI layout's index.json points at the image index without a platform: follow it
  for (const d of body.manifests ?? []) {
    if (d.platform?.os || !d.digest || !/index|list/.test(d.mediaType ?? '')) continue;
    out.push(...(await platformImages(await read.manifest(d.digest), read, wanted)));
  }
  return out;
}

export interface ArchCheckDeps {
  exec: Exec;
  registry: RegistryDeps;
  log(message: string): void;
  warn(message: string): void;
}

/** The base images' layer digests for these platforms; a base that cannot be read is warned about (its layers get read). */
export async function baseLayers(refs: string[], platforms: string[], deps: ArchCheckDeps): Promise<Set<string>> {
  const skip = new Set<string>();
  await Promise.all(
    refs.map(async (ref) => {
      try {
        const { repo, reference } = RegistryRepo.of(ref, deps.registry);
        const read = { manifest: (d: string) => repo.manifest(d), config: async (d: string) => streamText(await repo.blob(d)) };
        for (const img of await platformImages(await repo.manifest(reference), read, platforms)) for (const l of img.layers) skip.add(l);
      } catch (err) {
        deps.warn(`arch-check: cannot read base image ${ref} (${errorMessage(err)}); its layers are checked too`);
      }
    }),
  );
  return skip;
}

async function streamText(src: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of src) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Judge each platform from its image and the scans of the layers that were read. */
function judgeAll(images: PlatformImage[], scans: Map<string, LayerScan>, skip: Set<string>, ignore: (p: string) => boolean): PlatformVerdict[] {
  return images.map((img) => {
    const read = img.layers.filter((l) => !skip.has(l)).map((l) => scans.get(l)).filter((s): s is LayerScan => s !== undefined);
    return judgePlatform(img.platform, read, img.layers.length, ignore);
  });
}

export interface CheckTarget {
  platforms: string[];
  skip: Set<string>;
  ignore: (p: string) => boolean;
}

/** Pushed: read the index the build pushed (ref@digest) and stream its layers from the registry, a few at a time. */
export async function checkPushed(ref: string, digest: string, t: CheckTarget, deps: ArchCheckDeps): Promise<PlatformVerdict[]> {
  const { repo } = RegistryRepo.of(ref, deps.registry);
  const read = { manifest: (d: string) => repo.manifest(d), config: async (d: string) => streamText(await repo.blob(d)) };
  const images = await platformImages(await repo.manifest(digest), read, t.platforms);
  const todo = [...new Set(images.flatMap((i) => i.layers))].filter((l) => !t.skip.has(l));
  const scans = new Map<string, LayerScan>();
  const next = async (): Promise<void> => {
    for (let l = todo.shift(); l; l = todo.shift()) scans.set(l, await scanLayer(await repo.blob(l), l));
  };
  await Promise.all([next(), next(), next()]);
  return judgeAll(images, scans, t.skip, t.ignore);
}

/** Pure: the build's argv turned into a re-export of its (cached) result as an OCI tar on stdout. */
export function reexportArgv(buildArgv: string[]): string[] {
  const dropWithValue = new Set(['--tag', '-t', '--output', '-o', '--cache-to', '--metadata-file', '--iidfile', '--attest', '--provenance', '--sbom', '--annotation']);
  const dropAlone = new Set(['--push', '--load']);
  const out: string[] = [];
  for (let i = 0; i < buildArgv.length - 1; i++) {
    const a = buildArgv[i]!;
    const flag = a.split('=')[0]!;
    if (dropAlone.has(a)) continue;
    if (dropWithValue.has(flag)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  // attestations add nothing to check; the context stays last
  return [...out, '--provenance=false', '--sbom=false', '--output', 'type=oci,dest=-', buildArgv[buildArgv.length - 1]!];
}

/** Not pushed: re-run the build (every step cached) with an OCI tar streamed to us, and judge it. */
export async function checkLocal(buildArgv: string[], t: CheckTarget, deps: ArchCheckDeps, env?: Record<string, string>): Promise<PlatformVerdict[]> {
  let scan: Awaited<ReturnType<typeof scanOciLayout>> | undefined;
  const res = await deps.exec({ argv: reexportArgv(buildArgv), silent: true, env, timeoutMs: NO_TIMEOUT, readStdout: async (s) => void (scan = await scanOciLayout(s, t.skip)) });
  if (res.code !== 0 || !scan) throw new Error(`re-exporting the build failed: ${res.stderr.trim().split('\n').pop() ?? `exit ${res.code}`}`);
  const blobs = scan.json;
  const get = async (d: string) => blobs.get(d) ?? Promise.reject(new Error(`blob ${d} is not in the export`));
  const images = await platformImages(scan.index, { manifest: get, config: get }, t.platforms);
  return judgeAll(images, scan.layers, t.skip, t.ignore);
}

export type { ArchCheckMode };
// what verification.ts needs, through this one lazily loaded module
export { archCheckFailure, archCheckSummary, ignoreMatcher } from './plan.js';
