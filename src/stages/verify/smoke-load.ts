/**
 * A smoke test without a push on a builder that keeps its results to itself. The engine's own
 * builder (docker driver) stores what it builds in the engine, so `docker run` finds the tag; a
 * docker-container, remote or kubernetes builder keeps a multi-platform result in its own cache
 * only, and the engine cannot load a multi-platform image either (the classic store takes one
 * platform per tag). So each platform is loaded on its own with a second `docker buildx build
 * --load --platform P` under a run-unique tag: the same build on the same builder, every step a
 * cache hit, so the smoke test runs exactly the layers just built. (An OCI layout export was the
 * other way; `docker run` cannot run one without loading it anyway, so loading directly is one copy
 * fewer.) The tags are removed right after the smoke test, and by post if main stops before.
 *
 * Where buildx and the engine allow it there is no second build: the step's one build adds a
 * docker exporter under one run-unique tag (planSmokeExport). That needs several exporters on one
 * build (buildx 0.13), an engine on the containerd image store (it loads a multi-platform image
 * under one tag) and an image the build already exports for the arch check, listed after it: buildx
 * reports the last exporter's digest and name, so the step's outputs stay that export's.
 */
import { BUILDX_MINIMUM, buildxAtLeast, parseBuildxVersion } from '../../inputs/buildx-version.js';
import { type CheckExportPlan, SECOND_EXPORTER } from '../archcheck/export.js';
import { type BuildPlanInput, planBuild } from '../build/plan.js';

/** Pure: whether the smoke test must load the image first (see the file comment). */
export function needsSmokeLoad(driver: string, pushed: boolean, load: boolean): boolean {
  return driver !== 'docker' && !pushed && !load;
}

/** Pure: the run-unique local tag of one platform's image. */
export function smokeLoadTag(runId: string, platform: string): string {
  return `multiarch-smoke-${runId}:${platform.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
}

/**
 * Pure: the build that loads one platform: the run's own build input with that platform, the local
 * tag, --load, and nothing that writes anywhere else (no push, cache export, outputs, attestations).
 * Index-level annotations are left out: a single image loaded into the engine has no index.
 */
export function planSmokeLoad(input: BuildPlanInput, platform: string, tag: string, metadataFile: string): string[] {
  return planBuild({
    ...input,
    platforms: [platform],
    refs: [tag],
    annotations: (input.annotations ?? []).filter((a) => !/^index(?:\[[^\]]*\])?:/.test(a)),
    push: false,
    cacheTo: [],
    metadataFile,
    // no-cache or pull would rebuild or re-resolve: the point is the very layers just built
    options: input.options && {
      ...input.options,
      outputs: [],
      load: true,
      provenance: undefined,
      sbom: '',
      iidFile: '',
      noCache: false,
      noCacheFilters: [],
      pull: false,
    },
  });
}

/** What the step's build gives the smoke test: an exporter of its own, or why each platform is loaded by another build. */
export interface SmokeExportPlan {
  /** The run-unique tag the build loads every platform under, and its --output value. */
  reuse?: { tag: string; output: string };
  /** Why the build cannot load it (each platform is then loaded by a build of its own). */
  why?: string;
}

export interface SmokeExportInput {
  driver: string;
  pushed: boolean;
  /** mode shard: its one platform is pushed by digest, the merge job smoke-tests nothing here. */
  shard: boolean;
  load: boolean;
  outputs: string[];
  /** The engine's image store (undefined: not known). */
  containerdStore?: boolean;
  buildxVersion: string;
  /** What the build exports for the arch check. */
  check?: CheckExportPlan;
}

/** Pure: the run-unique tag the build loads every platform under. */
export function smokeImageTag(runId: string): string {
  return `multiarch-smoke-${runId}:build`;
}

/**
 * Pure: how an unpushed build's smoke test finds its image (see the file comment); undefined when
 * `docker run` finds it already (the engine's own builder, a push, load) or there is none (a shard).
 */
export function planSmokeExport(p: SmokeExportInput, runId: string): SmokeExportPlan | undefined {
  if (p.shard || !needsSmokeLoad(p.driver, p.pushed, p.load)) return undefined;
  const version = parseBuildxVersion(p.buildxVersion) ?? p.buildxVersion;
  if (!buildxAtLeast(version, SECOND_EXPORTER))
    return {
      why: `buildx ${version || '(unknown)'} writes one exporter a build; loading the image with the build needs ${BUILDX_MINIMUM[SECOND_EXPORTER]}`,
    };
  if (p.containerdStore !== true)
    return {
      why:
        p.containerdStore === false
          ? "the engine's classic image store holds one platform per tag"
          : "the engine's image store is not known to hold multi-platform images",
    };
  if (p.outputs.length)
    return { why: 'outputs: the build writes only the exporters you named, so its outputs stay theirs' };
  if (p.check?.export?.kind === 'files')
    return {
      why: 'a multi-node builder: the build exports folders for the arch check, and no OCI image from several nodes',
    };
  if (p.check?.export?.kind !== 'layout')
    return {
      why: `the build exports no image for the arch check (${p.check?.skipped ?? 'arch-check is off'}), so a docker exporter would become its outputs`,
    };
  const tag = smokeImageTag(runId);
  return { reuse: { tag, output: `type=docker,name=${tag}` } };
}
