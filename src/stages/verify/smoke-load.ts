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
 */
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
