/** Scale out, the shard side's act: the docker driver's copy of the built layout by digest. */
import { commandProblem, errorMessage, StageError } from '../../errors.js';
import { type ActDeps, NO_TIMEOUT } from '../../ports/exec.js';

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
