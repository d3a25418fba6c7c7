import { actionsFetch, type Completed, completeFromApi } from '../../context/github-api.js';
import { errorMessage, StageError } from '../../errors.js';
import { expressionTexts } from '../../inputs/meta.js';
import type { Deps } from '../../ports/deps.js';
import { once } from '../../ports/once.js';
import type { Run } from '../../run/run.js';
import { exportsMetaEnv, metaEnvName, planMetaOutputs } from './outputs.js';
import type { MetaPlan } from './plan.js';

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
    const { planMeta } = await metaModule();
    try {
      return planMeta(inputs, { meta: completed.meta, now: run.now() });
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
  for (const [file, text] of out.files) run.files.writeFile(file, text, 0o644);
  const env = exportsMetaEnv(run.env);
  for (const [name, value] of out.outputs) {
    host.setOutput(name, value);
    // as metadata-action, for later steps (DOCKER_METADATA_SET_OUTPUT_ENV=false turns it off)
    if (env) host.exportVariable(metaEnvName(name), value);
  }
  run.report.refs = meta.refs;
  return meta;
}
