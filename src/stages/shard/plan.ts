/**
 * Scale out, the shard side: `mode: shard` builds one platform and pushes it by digest only, no
 * tag; the merge job (src/stages/merge) joins the shards. Pure.
 */
import { isLoopbackHost, registryHost } from '../../oci/reference.js';

/** The image a shard builds and the OCI layout the docker driver builds it to (build/plan.ts). */
export interface ShardTarget {
  image: string;
  ociDir: string;
}

/**
 * The `--output` of a shard build. buildx pushes by digest itself, except with the docker
 * driver, which cannot ("push-by-digest is currently not implemented for docker driver"): there
 * the build goes to an OCI layout that `planShardPush` copies to the registry by digest.
 */
export function planShardOutput(image: string, driver: string, ociDir: string): string {
  if (driver === 'docker') return `type=oci,dest=${ociDir},tar=false`;
  return `type=image,name=${image},push-by-digest=true,name-canonical=true,push=true`;
}

/**
 * Copy an OCI layout (one image or index) to the registry by digest only, no tag (skopeo,
 * preinstalled on GitHub's Ubuntu runners). Loopback registries are plain HTTP, as docker
 * treats them.
 */
export function planShardPush(image: string, digest: string, ociDir: string, authFile?: string): string[] {
  const argv = ['skopeo', 'copy', '--all', '--preserve-digests', '--retry-times', '2'];
  if (authFile) argv.push('--authfile', authFile);
  if (isLoopbackHost(registryHost(image))) argv.push('--dest-tls-verify=false');
  argv.push(`oci:${ociDir}`, `docker://${image}@${digest}`);
  return argv;
}

/** The `shard` output the merge job passes on. */
export function shardOutput(image: string, platform: string, digest: string): string {
  return JSON.stringify({ image, platform, digest });
}

/** Annotations a shard build carries: all but the index level, which belongs to the merged index. */
export function shardAnnotations(annotations: string[]): string[] {
  return annotations.filter((a) => !/^index(?:\[[^\]]*\])?:/.test(a));
}
