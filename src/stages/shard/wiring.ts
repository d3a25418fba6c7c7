/**
 * The shard stage over the Run (see plan.ts, record.ts and act.ts): after the build, a shard built by
 * the docker driver is pushed by digest, and a shard's result is set as an output and uploaded; a
 * merge without digests finds this run's shards.
 */
import * as path from 'node:path';

import type { ShardRef } from '../../inputs/shard.js';
import { actDeps, type Run } from '../../run/run.js';
import { findShardRecords, pushShardLayout, type ShardArtifactDeps, uploadShardRecord } from './act.js';
import { planShardPush, shardOutput, type ShardTarget } from './plan.js';
import { jobRunId, selectShards, shardArtifactName, shardRecord, shardSet } from './record.js';

/** The docker driver cannot push by digest: the OCI layout it built is copied to the registry by digest. */
export async function shardPushStage(run: Run, shard: ShardTarget, digest: string, driver: string): Promise<void> {
  if (driver !== 'docker') return;
  const authFile = path.join(run.dockerConfig, 'config.json');
  const argv = planShardPush(shard.image, digest, shard.ociDir, run.files.exists(authFile) ? authFile : undefined);
  await run.timed('push', () => pushShardLayout(argv, actDeps(run)));
}

/** The `shard` output the merge job passes on, then the shard's record uploaded for a merge to find. */
export async function shardResultStage(run: Run, shard: ShardTarget, digest: string): Promise<void> {
  const platform = run.inputs.platforms[0]!;
  run.host.setOutput('shard', shardOutput(shard.image, platform, digest));
  await uploadShardResult(run, shard.image, platform, digest);
}

function artifactDeps(run: Run): ShardArtifactDeps {
  return {
    store: run.artifacts,
    tempDir: run.tempDir,
    writeFile: (p, content) => run.files.writeFile(p, content, 0o644),
    makeDir: (p) => run.files.makeDir(p),
    readFile: (p) => run.files.readFile(p),
    log: (m) => run.host.info(m),
  };
}

/** mode shard, after the push: upload the result for the merge job; sets the shard-artifact output. */
export async function uploadShardResult(run: Run, image: string, platform: string, digest: string): Promise<void> {
  const { env } = run;
  if (!run.artifacts.available) {
    run.host.info(
      "no Actions artifact service in this run: the merge job needs this shard's shard output in its digests input",
    );
    return;
  }
  const set = shardSet(image, run.inputs.shardKey);
  // the job's run id keeps two legs of one platform apart; GITHUB_JOB alone is the same in every leg
  const name = shardArtifactName(
    set,
    platform,
    Number(env.GITHUB_RUN_ATTEMPT) || 1,
    jobRunId(env.ACTIONS_RUNTIME_TOKEN ?? '') ?? `${env.GITHUB_JOB}:${env.RUNNER_NAME}`,
  );
  await run.timed('shard artifact', () =>
    uploadShardRecord(name, shardRecord(set, image, platform, digest, env), artifactDeps(run)),
  );
  run.host.setOutput('shard-artifact', name);
}

/** mode merge without digests: this run's shards of the set, checked against the platforms input. */
export async function readShardRefs(run: Run): Promise<ShardRef[]> {
  const image = run.inputs.images[0]!;
  const set = shardSet(image, run.inputs.shardKey);
  return run.timed('shard artifacts', async () => {
    const found = await findShardRecords(set, artifactDeps(run));
    return selectShards(found, { set, image, platforms: run.inputs.platforms });
  });
}
