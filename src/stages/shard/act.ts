/**
 * Scale out, the shard side's act: the docker driver's copy of the built layout by digest, and the
 * shard record uploaded as an artifact (found again by the merge).
 */
import * as path from 'node:path';

import { commandProblem, errorMessage, StageError } from '../../errors.js';
import type { ArtifactStore } from '../../ports/artifacts.js';
import { type ActDeps, NO_TIMEOUT } from '../../ports/exec.js';
import { type FoundShard, parseShardRecord, SHARD_RECORD_FILE, type ShardRecord, shardSetPrefix } from './record.js';

/** Push the OCI layout by digest (docker driver only; argv from planShardPush). */
export async function pushShardLayout(argv: string[], deps: Pick<ActDeps, 'exec' | 'log'>): Promise<void> {
  deps.log(
    `the docker driver cannot push by digest: copying the built image to the registry by digest (${argv.join(' ')})`,
  );
  let res;
  try {
    res = await deps.exec({ argv, timeoutMs: NO_TIMEOUT });
  } catch (err) {
    throw new StageError(
      'shard',
      `cannot run skopeo (${errorMessage(err)}): the docker driver needs skopeo to push by digest. Install skopeo (apt-get install skopeo), or use driver: docker-container.`,
    );
  }
  if (res.code !== 0) throw new StageError('shard', `pushing by digest failed: ${commandProblem(argv, res)}`);
}

/** The Actions artifact service as the shard stages use it (the real one: src/ports/artifacts.ts). */
export interface ShardArtifactDeps {
  store: ArtifactStore;
  tempDir: string;
  writeFile(p: string, content: string): void;
  makeDir(p: string): void;
  readFile(p: string): string | undefined;
  log(m: string): void;
}

/** Act: upload a shard's record. A failure fails the shard: the image is pushed, but no merge could find it. */
export async function uploadShardRecord(name: string, record: ShardRecord, deps: ShardArtifactDeps): Promise<void> {
  const dir = path.join(deps.tempDir, 'shard-artifact');
  deps.makeDir(dir);
  const file = path.join(dir, SHARD_RECORD_FILE);
  deps.writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  try {
    await deps.store.upload(name, [file], dir);
  } catch (err) {
    throw new StageError(
      'shard',
      `${record.image}@${record.digest} (${record.platform}) is pushed, but its result could not be uploaded as artifact ${name}: ${errorMessage(err)}. ` +
        "A merge without digests cannot find this shard: re-run this job, or pass the shard runs' shard outputs to the merge's digests input",
    );
  }
  deps.log(`shard result uploaded as artifact ${name}`);
}

/** Act: download and read every shard artifact of one set in this run. */
export async function findShardRecords(set: string, deps: ShardArtifactDeps): Promise<FoundShard[]> {
  const prefix = shardSetPrefix(set);
  let listed: { id: number; name: string }[];
  try {
    listed = (await deps.store.list()).filter((a) => a.name.startsWith(prefix));
  } catch (err) {
    throw new StageError(
      'merge',
      `cannot list this run's artifacts: ${errorMessage(err)}. Pass the shard runs' shard outputs in digests instead`,
    );
  }
  deps.log(`${listed.length} shard artifact(s) of set ${set}: ${listed.map((a) => a.name).join(', ') || 'none'}`);
  const found: FoundShard[] = [];
  for (const a of listed) {
    const dir = path.join(deps.tempDir, 'shards', String(a.id));
    deps.makeDir(dir);
    try {
      await deps.store.download(a.id, dir);
    } catch (err) {
      throw new StageError('merge', `cannot download artifact ${a.name}: ${errorMessage(err)}. Nothing was created`);
    }
    found.push({
      artifact: a.name,
      record: parseShardRecord(deps.readFile(path.join(dir, SHARD_RECORD_FILE)), a.name),
    });
  }
  return found;
}
