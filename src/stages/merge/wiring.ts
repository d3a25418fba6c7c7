import { StageError } from '../../errors.js';
import { actDeps, type Run, writePushed } from '../../run/run.js';
import { metaStage } from '../meta/wiring.js';
import { readShardRefs } from '../shard/wiring.js';
import { prepareSign, pushedRepos, signStage } from '../sign/wiring.js';
import { resolveShards, runMerge } from './act.js';
import { checkShardImages, planMerge } from './plan.js';

/** mode merge: no builder, no build; tags from the meta stage, an index from the shards. */
export async function mergeStage(run: Run): Promise<void> {
  const { inputs, host, push } = run;
  // no digests: @actions/artifact will read the shard results; load it while the tags are computed
  if (!inputs.digests.length && push.enabled) run.artifacts.warmUp();
  const meta = await metaStage(run);
  if (!push.enabled) {
    host.info(`merge: nothing to merge, ${push.reason}`);
    await prepareSign(run); // its notice: nothing is signed
    return;
  }
  if (meta.refs.length === 0)
    throw new StageError('meta', 'nothing to merge under: no tag could be derived from the git ref; set "tags"');
  const deps = actDeps(run);
  const { log } = deps;
  // no digests: the shard results in this run's artifacts (read only, like every check below)
  const refs = inputs.digests.length ? inputs.digests : await readShardRefs(run);
  const signer = await prepareSign(run);
  const result = await run.timed('merge', async () => {
    // every check reads only: nothing is created until every shard is found and distinct
    const shards = await resolveShards(checkShardImages(refs, inputs.images[0]!), deps);
    const argv = planMerge(meta.refs, meta.annotations, shards);
    if (inputs.dryRun) {
      log(`dry-run plan:\n${JSON.stringify({ tags: meta.tags, shards, imagetools: argv }, null, 2)}`);
      return { digest: '', manifests: Object.fromEntries(shards.map((s) => [s.platform, s.manifest])) };
    }
    return runMerge(argv, meta.refs, shards, deps);
  });
  run.report.digest = result.digest || '(dry run)';
  run.report.pushed = !inputs.dryRun;
  writePushed(host, run.report);
  run.report.platforms = Object.keys(result.manifests);
  host.setOutput('digest', result.digest);
  host.setOutput('manifests', JSON.stringify(result.manifests));
  host.setOutput('platforms', run.report.platforms.join(','));
  // the index this merge created; each shard signed its own manifest when sign was set there
  await signStage(run, signer, { digest: result.digest, repos: pushedRepos(meta.refs) });
}
