/**
 * What an unpushed build leaves for the arch check: one more exporter on the very same
 * `docker buildx build`, so the check reads what the build produced and never runs a step again
 * (a second build would re-run every step under no-cache, and could differ from the first).
 * Pure: which exporter, where, and the outputs it adds.
 *
 * - one node: an OCI layout folder (`type=oci,tar=false,dest=<run temp>/arch-check.oci`), the
 *   image's layers as built, so the default check reads only the layers above the base images.
 *   The base images' layer blobs are seeded there as empty placeholders before the build: BuildKit
 *   does not write a blob the folder already holds, so the base (often most of the bytes) never
 *   travels to the runner. The check never reads a placeholder: they are exactly the layers it
 *   leaves out. buildx before 0.13 writes the layout as one tar (`arch-check.oci.tar`) instead;
 * - a multi-node builder: buildx refuses oci and tar there ("oci for multi-node builds currently
 *   not supported"), but each node can write its platform's files: `type=local,platform-split=true`
 *   (one folder a platform, no layers).
 *
 * Several exporters on one build need buildx 0.13 and BuildKit 0.13 (engine 26 for the docker
 * driver). The engine's own builder stores an unpushed build in the engine by default, only while no
 * output is named: that store (`type=image`) is then named too, so the smoke test still finds the tag.
 *
 * Beside another image exporter (that store, or a load) of several platforms, the check's copy is
 * made distinct: its own config timestamps (`source-date-epoch`, layers untouched) and a per-run
 * annotation on its index and manifests (BuildKit refuses index annotations for one platform).
 * Both exporters run at once in the same content store; with the same manifests and configs each
 * waited on the other's write of every one of them (0.3–0.9 s a blob, measured on engine 26), with
 * distinct ones neither waits. The copy goes first: buildx reports the last exporter's digest and
 * writes it into the folder's index.json, so the step's outputs stay the stored or loaded image's,
 * and the check finds its copy's index by the annotation instead.
 */
import * as path from 'node:path';

import { BUILDX_MINIMUM, buildxAtLeast, type BuildxFeature, parseBuildxVersion } from '../../inputs/buildx-version.js';
import { buildxCsvField } from '../../lists.js';
import { blobDigestParts } from '../../oci/reference.js';
import type { LayerRecord } from './record.js';

/** The buildx feature of several exporters on one build (the smoke test's exporter needs it too). */
export const SECOND_EXPORTER: BuildxFeature = "a second exporter beside the build's own";
const LAYOUT_FOLDER: BuildxFeature = 'an OCI layout folder export';

/** Where the build leaves the image for the check: an OCI layout folder or tar, or one folder a platform. */
export interface CheckExport {
  kind: 'layout' | 'oci' | 'files';
  /** Inside the run's temp folder (post removes it); the check removes it when done. */
  path: string;
  /**
   * layout: the base images' layer digests, read before the build and seeded there as empty
   * placeholders (seedPlaceholders); the check leaves exactly these out.
   */
  bases?: Set<string>;
  /** layout: the record of checked layers read before the build, its layers seeded as placeholders too. */
  record?: LayerRecord;
  /** layout: the recorded layers seeded as placeholders (not bases, not already there). */
  recordSeeded?: Set<string>;
  /** layout: the record files read before the build (named when one must be removed). */
  recordFiles?: string[];
  /**
   * layout: the annotation value on the check's own copy (made distinct beside another exporter):
   * its index is the one blob carrying it, since the folder's index.json names the other image.
   */
  mark?: string;
}

/** The annotation key that marks the check's copy of the image (its value is the run's mark). */
export const CHECK_MARK_KEY = 'org.multiarch-action.arch-check';

export interface CheckExportInput {
  archCheck: string;
  pushed: boolean;
  /** The call input: anything but build (or empty) evaluates the build and exports nothing. */
  call: string;
  driver: string;
  /** More than one builder node: each platform may be built on another node. */
  multiNode: boolean;
  buildxVersion: string;
  /** The engine's own builder over the classic image store, which exports no OCI beside storing the image. */
  classicStore?: boolean;
  /** The platforms built (the builder's own one when none is given). */
  platforms: string[];
  /** The build's own exporters (load, outputs). */
  load: boolean;
  outputs: string[];
  tempDir: string;
  /** A value new each run, for the annotation that marks the check's copy beside another exporter. */
  mark: string;
  /** reproducible: every image exporter rewrites timestamps to the build's source date, the check's too. */
  reproducible?: boolean;
}

export interface CheckExportPlan {
  export?: CheckExport;
  /** --output values to add to the build. */
  outputs: string[];
  /** Why there is nothing to read (said in the log when the check would have run). */
  skipped?: string;
}

/** The exporter the build adds for the arch check, and the outputs that go with it. */
export function planCheckExport(p: CheckExportInput): CheckExportPlan {
  if (p.archCheck === 'false' || p.pushed) return { outputs: [] };
  if (p.call && p.call !== 'build') return { outputs: [], skipped: `call: ${p.call} builds no image` };
  // beside a load the check's export reports the image the engine loads (the containerd store's
  // index, the classic store's config: real builds show imageid unchanged), except for one platform
  // on the engine's own builder: there the export adds the config's digest to the build's answer,
  // which buildx then writes as the image ID in place of the loaded image's
  if (p.load && p.driver === 'docker' && p.platforms.length < 2)
    return {
      outputs: [],
      skipped:
        "load of one platform on the engine's own builder: the build goes to the engine alone, so its image ID stays the loaded image's",
    };
  if (p.load && p.multiNode)
    return {
      outputs: [],
      skipped:
        "load on a multi-node builder: the check's per-platform folders would leave the build without an image ID",
    };
  // a second exporter beside the outputs the user named changes what they report (a files-only build's empty digest)
  if (p.outputs.length)
    return {
      outputs: [],
      skipped: 'outputs: the build writes only the exporters you named, so its outputs stay theirs',
    };
  if (p.driver === 'docker' && p.classicStore)
    return {
      outputs: [],
      skipped:
        "the engine's own builder over the classic image store cannot also export the build for the check; use driver docker-container, or the containerd image store",
    };
  // the engine's own builder stores the build in the engine only while no output is named
  const keepStore = p.driver === 'docker' && !p.load && !p.outputs.length;
  const hasExporter = keepStore || p.load || p.outputs.length > 0;
  const version = parseBuildxVersion(p.buildxVersion) ?? p.buildxVersion;
  if (hasExporter && !buildxAtLeast(version, SECOND_EXPORTER))
    return {
      outputs: [],
      skipped: `reading an unpushed build beside its own output needs buildx ${BUILDX_MINIMUM[SECOND_EXPORTER]} or later (this is ${version || 'unknown'}); set buildx-version`,
    };
  if (p.multiNode) {
    const dir = path.join(p.tempDir, 'arch-check-files');
    return {
      export: { kind: 'files', path: dir },
      outputs: [`type=local,${buildxCsvField('dest', dir)},platform-split=true`],
    };
  }
  const store = keepStore ? ['type=image'] : [];
  if (buildxAtLeast(version, LAYOUT_FOLDER)) {
    const dir = path.join(p.tempDir, 'arch-check.oci');
    const layout = `type=oci,${buildxCsvField('dest', dir)},tar=false`;
    // one platform has no index to annotate (BuildKit refuses it): the copy stays the image itself
    if (!hasExporter || p.platforms.length < 2)
      return { export: { kind: 'layout', path: dir }, outputs: [...store, layout] };
    // the copy first, the store after it (a load is appended after every output by buildx)
    return {
      export: { kind: 'layout', path: dir, mark: p.mark },
      outputs: [`${layout},${distinctCopy(p.mark, p.reproducible)}`, ...store],
    };
  }
  // before buildx 0.13 there is no second exporter (hasExporter returned above): the tar is the only output
  const tar = path.join(p.tempDir, 'arch-check.oci.tar');
  return { export: { kind: 'oci', path: tar }, outputs: [`type=oci,${buildxCsvField('dest', tar)}`] };
}

/**
 * The exporter fields that make the check's copy distinct from the image exported beside it (see
 * the top of this file). Under reproducible every image exporter rewrites its layers to the
 * build's source date, so the copy keeps that date (another would rewrite its layers differently):
 * only the annotations differ, and the two still wait on each other for the configs.
 */
function distinctCopy(mark: string, reproducible?: boolean): string {
  const annotations = [`annotation-index.${CHECK_MARK_KEY}=${mark}`, `annotation-manifest.${CHECK_MARK_KEY}=${mark}`];
  return [...annotations, ...(reproducible ? [] : ['source-date-epoch=1'])].join(',');
}

/** The path of a blob inside an OCI layout folder (blobs/<algorithm>/<hex>), or undefined for a malformed digest. */
export function layoutBlobPath(dir: string, digest: string): string | undefined {
  const parts = blobDigestParts(digest);
  return parts && path.join(dir, 'blobs', parts.algorithm, parts.hex);
}

/** The folder a platform-split local export writes a platform to (linux/arm/v7 → linux_arm_v7). */
export function platformFolder(platform: string): string {
  return platform.replace(/\//g, '_');
}
