import { readGitCommitTime } from '../../context/git.js';
import { actionsFetch, commitDateFromApi, type Completed, completeFromApi } from '../../context/github-api.js';
import type { MetaContext } from '../../context/run-context.js';
import { errorMessage, StageError } from '../../errors.js';
import { expressionTexts } from '../../inputs/meta.js';
import { userSourceDate } from '../../inputs/reproducible.js';
import type { Deps } from '../../ports/deps.js';
import { once } from '../../ports/once.js';
import type { Run } from '../../run/run.js';
import { publishMetaOutputs } from './act.js';
import { exportsMetaEnv, planMetaOutputs } from './outputs.js';
import type { MetaPlan } from './plan.js';
import { describeSourceDate, pickSourceDate, type SourceDate, type SourceDateClues } from './source-date.js';

/** The meta stage's Handlebars, moment-timezone, semver and pep440, loaded on first use (see src/pipeline/preload.ts). */
export const metaModule = once(() => import('./plan.js'));

/**
 * Start reading what the event payload lacks from the GitHub API (see completeFromApi): called as soon
 * as the inputs are valid, so the request runs while the engine is probed. Never rejects.
 */
export function startRepoApi(deps: Pick<Deps, 'env'>, inputs: Run['inputs'], ctx: Run['ctx']): Promise<Completed> {
  return completeFromApi(
    ctx.meta,
    expressionTexts(inputs).some((t) => t.includes('commit_date')),
    {
      fetch: actionsFetch(),
      token: inputs.githubToken || deps.env.GITHUB_TOKEN,
    },
  ).catch((err: unknown) => ({ meta: ctx.meta, warnings: [`could not read repository data: ${errorMessage(err)}`] }));
}

/** Meta stage: the context completed from the API (started earlier, see startRepoApi), plan, set outputs. */
export async function metaStage(run: Run): Promise<MetaPlan> {
  const { inputs, host } = run;
  const meta = await run.timed('meta', async () => {
    const completed = await run.repoApi;
    for (const w of completed.warnings) host.warning(w);
    const sourceDate = inputs.reproducible ? await sourceDateOf(run, completed.meta) : undefined;
    if (sourceDate) host.info(describeSourceDate(sourceDate, completed.meta.sha));
    const { planMeta } = await metaModule();
    try {
      const meta = sourceDate ? { ...completed.meta, sourceDateEpoch: sourceDate.epoch } : completed.meta;
      return { ...planMeta(inputs, { meta, now: run.now() }), sourceDate };
    } catch (err) {
      throw new StageError('meta', errorMessage(err));
    }
  });
  for (const n of meta.notes) host.warning(n);
  if (!meta.version) host.warning('No Docker image version has been generated. Check the tags input.');
  host.info(`version: ${meta.version || '(none)'}`);
  host.info(`tags:\n${meta.tags.join('\n') || '(none)'}`);
  host.info(`labels:\n${meta.labels.join('\n')}`);
  host.info(`annotations:\n${meta.annotations.join('\n')}`);
  const out = planMetaOutputs({
    plan: meta,
    images: inputs.images,
    sepTags: inputs.sepTags,
    sepLabels: inputs.sepLabels,
    sepAnnotations: inputs.sepAnnotations,
    bakeTarget: inputs.bakeTarget,
    dir: run.tempDir,
  });
  publishMetaOutputs(out, { files: run.files, host, exportEnv: exportsMetaEnv(run.env) });
  run.report.refs = meta.refs;
  return meta;
}

/**
 * reproducible: the source date, in pickSourceDate's order. Git is asked in the build context's
 * checkout (the reusable workflow checks the caller's repository out below the workspace), the API
 * only when neither git nor the payload knows the commit. Nothing known is an error: the build would
 * not be reproducible.
 */
async function sourceDateOf(run: Run, meta: MetaContext): Promise<SourceDate> {
  const { inputs, ctx } = run;
  const userSet = userSourceDate(inputs.buildArgs, run.env.SOURCE_DATE_EPOCH) !== undefined;
  const local = !inputs.contextIsRemote && run.files.exists(inputs.context) ? inputs.context : ctx.workspace;
  const clues: SourceDateClues = {
    buildArgs: inputs.buildArgs,
    env: run.env.SOURCE_DATE_EPOCH,
    git: userSet ? undefined : await readGitCommitTime(run.exec, local, meta.sha),
    payloadDate: ctx.meta.commitDate,
    // read already when a tag expression needed {{commit_date}}
    apiDate: meta.commitDate,
  };
  let apiProblem = '';
  const found = pickSourceDate(clues);
  if (found) return found;
  const apiDate = await commitDateFromApi(meta, {
    fetch: actionsFetch(),
    token: inputs.githubToken || run.env.GITHUB_TOKEN,
  }).catch((err: unknown) => void (apiProblem = ` (${errorMessage(err)})`));
  const picked = pickSourceDate({ ...clues, apiDate: apiDate || undefined });
  if (picked) return picked;
  throw new StageError(
    'meta',
    `reproducible: no commit time for ${meta.sha || '(no sha)'}: no git checkout of it at ${local}, none in the event payload, none from the GitHub API${apiProblem}. Check the repository out (actions/checkout), or set SOURCE_DATE_EPOCH`,
  );
}
