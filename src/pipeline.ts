import * as path from 'node:path';
import { readRunContext, type RunContext } from './context.js';
import type { Deps } from './deps.js';
import { errorMessage, InputErrors, StageError } from './errors.js';
import { type Inputs, parseInputs } from './inputs/index.js';
import { StateStore } from './state.js';
import { decidePush, planBuild, runBuild } from './stages/build.js';
import { runBuilder } from './stages/builder.js';
import { completeFromApi } from './meta/repo-api.js';
import { dryRunExec } from './dry-run.js';
import { type MetaPlan, planMeta } from './stages/meta.js';
import { runQemu } from './stages/qemu.js';

interface Timing {
  stage: string;
  seconds: number;
}

/** The main step: inputs → qemu → builder → meta → build, outputs and summary. */
export async function runMain(deps: Deps): Promise<void> {
  const { host, files } = deps;
  let exec = deps.exec;
  const ctx = readRunContext(deps.env, deps.cwd);

  let inputs;
  try {
    inputs = parseInputs((n) => host.getInput(n), { workspace: ctx.workspace, exists: (p) => files.exists(p) });
  } catch (err) {
    if (err instanceof InputErrors) {
      for (const e of err.errors) host.error(e.message, { title: `Invalid input: ${e.input}` });
      host.fail();
      return;
    }
    throw err;
  }

  // --- dry run: only read-only commands reach the real exec gateway ---
  if (inputs.dryRun) {
    host.info('dry-run: planning every stage; no docker command that changes anything will run');
    exec = dryRunExec(deps.exec, (m) => host.info(m));
  }

  const state = new StateStore(host);
  const timings: Timing[] = [];
  const stage = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const start = deps.now();
    try {
      return await host.group(name, fn);
    } finally {
      timings.push({ stage: name, seconds: (deps.now() - start) / 1000 });
    }
  };

  try {
    const tempDir = files.makeTempDir(ctx.runnerTemp, 'multiarch-');
    state.update({ tempDir });

    await stage('qemu', () =>
      runQemu(inputs.platforms, {
        exec,
        readFile: (p) => files.readFile(p),
        log: (m) => host.info(m),
        warn: (m) => host.warning(m),
      }),
    );
    const builder = await stage('builder', () => runBuilder(exec));
    host.info(`builder: ${builder.name} (driver ${builder.driver}, buildx ${builder.buildxVersion})`);

    const meta = await stage('meta', () => runMetaStage(inputs, ctx, deps));
    const push = decidePush(inputs.push, ctx.eventName, inputs.images);
    if (push.push && meta.refs.length === 0) {
      throw new StageError('meta', 'nothing to push: no tag could be derived from the git ref; set "tags"');
    }
    host.info(`tags: ${meta.refs.join(', ') || '(none)'}; ${push.reason}`);

    const metadataFile = path.join(tempDir, 'metadata.json');
    const argv = planBuild({
      builder: builder.name,
      platforms: inputs.platforms,
      context: inputs.context,
      file: inputs.file,
      buildArgs: inputs.buildArgs,
      refs: meta.refs,
      labels: meta.labels,
      annotations: meta.annotations,
      push: push.push,
      metadataFile,
    });
    // --- dry run: print the build plan instead of running it ---
    if (inputs.dryRun) {
      host.info(`dry-run plan:\n${JSON.stringify({ platforms: inputs.platforms, push: push.push, pushReason: push.reason, tags: meta.tags, labels: meta.labels, annotations: meta.annotations, version: meta.version, buildx: argv }, null, 2)}`);
      host.setOutput('pushed', 'false');
      host.setOutput('platforms', inputs.platforms.join(','));
      await host.summary(summaryTable(meta.refs, '(dry run)', inputs.platforms, false, timings));
      return;
    }
    const result = await stage('build', () => runBuild(argv, metadataFile, { exec, readFile: (p) => files.readFile(p) }));

    host.setOutput('digest', result.digest);
    host.setOutput('metadata', result.metadata);
    host.setOutput('pushed', String(push.push));
    host.setOutput('platforms', inputs.platforms.join(','));
    await host.summary(summaryTable(meta.refs, result.digest, inputs.platforms, push.push, timings));
  } catch (err) {
    if (err instanceof StageError) {
      host.error(err.message, {
        title: `multiarch-action: ${err.stage} failed`,
        file: err.annotation?.file,
        startLine: err.annotation?.line,
      });
    } else {
      host.error(errorMessage(err), { title: 'multiarch-action failed' });
    }
    host.fail();
  }
}

/** Meta stage: complete the context from the API where the payload lacks data, plan, set outputs. */
async function runMetaStage(inputs: Inputs, ctx: RunContext, deps: Deps): Promise<MetaPlan> {
  const { host } = deps;
  const texts = [...inputs.tagRules.flatMap((r) => Object.values(r.attrs)), ...inputs.labels, ...inputs.annotations, inputs.flavor.prefix, inputs.flavor.suffix];
  const completed = await completeFromApi(ctx.meta, texts.some((t) => t.includes('commit_date')), {
    fetch: (url, init) => fetch(url, init),
    token: deps.env.GITHUB_TOKEN,
  });
  for (const w of completed.warnings) host.warning(w);
  let meta: MetaPlan;
  try {
    meta = planMeta(
      { images: inputs.imageEntries, tagRules: inputs.tagRules, flavor: inputs.flavor, labels: inputs.labels, annotations: inputs.annotations },
      { meta: completed.meta, now: deps.now() },
    );
  } catch (err) {
    throw new StageError('meta', errorMessage(err));
  }
  for (const n of meta.notes) host.warning(n);
  if (!meta.version) host.warning('No Docker image version has been generated. Check the tags input.');
  host.info(`version: ${meta.version || '(none)'}`);
  host.info(`tags:\n${meta.tags.join('\n') || '(none)'}`);
  host.info(`labels:\n${meta.labels.join('\n')}`);
  host.info(`annotations:\n${meta.annotations.join('\n')}`);
  host.setOutput('version', meta.version);
  host.setOutput('tags', meta.tags.join(inputs.sepTags));
  host.setOutput('labels', meta.labels.join(inputs.sepLabels));
  host.setOutput('annotations', meta.annotations.join(inputs.sepAnnotations));
  host.setOutput('json', JSON.stringify(meta.json));
  return meta;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function summaryTable(refs: string[], digest: string, platforms: string[], pushed: boolean, timings: Timing[]): string {
  const rows = [
    '### multiarch-action',
    '',
    '| | |',
    '|---|---|',
    `| images | ${escapeCell(refs.map((r) => `\`${r}\``).join('<br>') || '(untagged)')} |`,
    `| digest | \`${escapeCell(digest || '-')}\` |`,
    `| platforms | ${escapeCell(platforms.join(', '))} |`,
    `| pushed | ${pushed ? 'yes' : 'no'} |`,
    `| stage times | ${timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)}s`).join(', ')} |`,
    '',
  ];
  return rows.join('\n');
}
