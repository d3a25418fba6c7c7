/**
 * The shard stage's artifact parts over the Run (see record.ts and act.ts): a shard uploads its
 * result, a merge without digests finds this run's shards.
 */
import type { ShardRef } from '../../inputs/shard.js';
import type { Run } from '../../run/run.js';
import { findShardRecords, type ShardArtifactDeps, uploadShardRecord } from './act.js';
import { jobRunId, selectShards, shardArtifactName, shardRecord, shardSet } from './record.js';

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
