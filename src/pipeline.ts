import * as os from 'node:os';
import * as path from 'node:path';
import { readRunContext, type RunContext } from './context.js';
import type { Deps } from './deps.js';
import { errorMessage, InputError, InputErrors, StageError } from './errors.js';
import { withEnv } from './exec.js';
import { type Inputs, parseInputs, secretInputValues } from './inputs/index.js';
import { StateStore } from './state.js';
import { decidePush, planBuild, runBuild } from './stages/build.js';
import { installBuildx, DEFAULT_BUILDX_VERSION } from './stages/buildx-install.js';
import { parseBuildxVersion, planBuilder, probeBuilder, runBuilder, uniqueBuilderName } from './stages/builder.js';
import { resolveProvenance, secretArgs } from './stages/buildopts.js';
import { planLogin, runLogin } from './stages/login.js';
import { completeFromApi } from './meta/repo-api.js';
import { dryRunExec } from './dry-run.js';
import { prepareJobDockerConfig } from './docker-config.js';
import { type MetaPlan, planMeta } from './stages/meta.js';
import { hostArch, isLocalEngine, runQemu } from './stages/qemu.js';
import { createToolCache } from './toolcache.js';

interface Timing {
  stage: string;
  seconds: number;
}

/** The main step: inputs → qemu → builder → meta → build, outputs and summary. */
export async function runMain(deps: Deps): Promise<void> {
  const { host, files } = deps;
  // wrapped below: dry run, then the per-job DOCKER_CONFIG
  let exec = deps.exec;
  const ctx = readRunContext(deps.env, deps.cwd);

  // mask every credential and secret value before anything at all is logged
  for (const v of secretInputValues((n) => host.getInput(n))) maskSecret(host, v);

  let inputs: Inputs;
  let push: ReturnType<typeof decidePush>;
  try {
    inputs = parseInputs((n) => host.getInput(n), { workspace: ctx.workspace, exists: (p) => files.exists(p) });
    push = decidePush(inputs.push, ctx.eventName, inputs.images);
    checkRunInputs(inputs, push.push, deps.env);
  } catch (err) {
    if (err instanceof InputErrors) {
      for (const e of err.errors) host.error(e.message, { title: `Invalid input: ${e.input}` });
      host.fail();
      return;
    }
    throw err;
  }
  for (const s of inputs.secretEnvs) maskSecret(host, deps.env[s.env] ?? '');

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

  const outputs: { digest?: string; imageid?: string; metadata?: string; refs: string[] } = { refs: [] };
  let failed = false;
  try {
    const tempDir = files.makeTempDir(ctx.runnerTemp, 'multiarch-');
    state.update({ tempDir });

    // the run's own docker config: logins and an installed buildx land there, never in ~/.docker
    const dockerConfig = files.makeTempDir(ctx.runnerTemp, 'multiarch-docker-config-');
    state.update({ dockerConfig });
    prepareJobDockerConfig(dockerConfig, { files, env: deps.env });
    // wraps the current gateway, so a dry run stays a dry run
    exec = withEnv(exec, { DOCKER_CONFIG: dockerConfig });

    // login first: every later docker call (builders included) uses its credentials
    const login = planLogin(inputs, push.push, ctx.eventName);
    for (const n of login.notes) {
      if (n.level === 'warning') host.warning(n.message);
      else host.info(n.message);
    }
    if (login.logins.length > 0) {
      const runExec = exec;
      await stage('login', async () => {
        const done: string[] = [];
        try {
          done.push(...(await runLogin(login.logins, dockerConfig, { exec: runExec, files, env: deps.env, log: (m) => host.info(m) })));
        } finally {
          state.update({ logins: done });
        }
      });
    }

    const remoteDriver = inputs.driver === 'remote' || inputs.driver === 'kubernetes';
    await stage('qemu', () =>
      runQemu(
        inputs.platforms,
        {
          exec,
          localArch: localEngineArch(deps),
          readFile: (p) => files.readFile(p),
          log: (m) => host.info(m),
          warn: (m) => host.warning(m),
        },
        {
          mode: inputs.qemu,
          image: inputs.qemuImage,
          nodePlatforms: inputs.append.flatMap((n) => n.platforms),
          skipReason: remoteDriver ? `the ${inputs.driver} driver builds away from this engine` : undefined,
        },
      ),
    );
    const builder = await stage('builder', async () => {
      let probe = await probeBuilder(exec);
      const have = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
      const want = inputs.buildxVersion || (have ? '' : DEFAULT_BUILDX_VERSION);
      if (want && want !== have) {
        await installBuildx(
          { version: want, baseUrl: inputs.buildxDownloadUrl, tempDir, dockerConfig },
          createToolCache(deps.env),
          (m) => host.info(m),
        );
        probe = await probeBuilder(exec);
      }
      host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
      let buildkitdConfig = inputs.buildkitdConfig;
      if (inputs.buildkitdConfigInline.trim()) {
        buildkitdConfig = path.join(tempDir, 'buildkitd.toml');
        files.writeFile(buildkitdConfig, inputs.buildkitdConfigInline, 0o644);
      }
      const plan = planBuilder(probe, { ...inputs, buildkitdConfig }, uniqueBuilderName(deps.env));
      return runBuilder(plan, { exec, log: (m) => host.info(m), created: (name) => state.update({ builder: name }) });
    });
    host.setOutput('builder', builder.name);
    host.setOutput('driver', builder.driver);
    host.setOutput('builder-platforms', builder.platforms.join(','));

    const meta = await stage('meta', () => runMetaStage(inputs, ctx, deps));
    outputs.refs = meta.refs;
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
      options: {
        ...inputs,
        secretArgs: secretArgs(inputs, tempDir, files),
        provenance: resolveProvenance(inputs.provenance, {
          load: inputs.load,
          outputs: inputs.outputs,
          repoPrivate: repoPrivate(ctx.payload),
          builderId: ctx.repository && ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}${ctx.runAttempt ? `/attempts/${ctx.runAttempt}` : ''}` : '',
        }),
        iidFile: path.join(tempDir, 'iid'),
      },
    });
    // --- dry run: print the build plan instead of running it ---
    if (inputs.dryRun) {
      host.info(`dry-run plan:\n${JSON.stringify({ platforms: inputs.platforms, push: push.push, pushReason: push.reason, tags: meta.tags, labels: meta.labels, annotations: meta.annotations, version: meta.version, buildx: argv }, null, 2)}`);
      host.setOutput('pushed', 'false');
      host.setOutput('platforms', inputs.platforms.join(','));
      await host.summary(summaryTable(meta.refs, '(dry run)', inputs.platforms, false, timings));
      return;
    }
    const secretEnv: Record<string, string> = {};
    for (const s of inputs.secretEnvs) secretEnv[s.env] = deps.env[s.env] ?? '';
    const buildExec = exec;
    const result = await stage('build', () =>
      runBuild(argv, metadataFile, { exec: buildExec, readFile: (p) => files.readFile(p) }, {
        iidFile: path.join(tempDir, 'iid'),
        dockerfile: inputs.file && path.isAbsolute(inputs.file) ? path.relative(ctx.workspace, inputs.file) : undefined,
        env: secretEnv,
      }),
    );
    Object.assign(outputs, result);
    host.setOutput('digest', result.digest);
    host.setOutput('imageid', result.imageid);
    host.setOutput('metadata', result.metadata);
    host.setOutput('pushed', String(push.push));
    host.setOutput('platforms', inputs.platforms.join(','));
  } catch (err) {
    failed = true;
    // outputs that exist are still set: nothing was pushed by a failed run
    host.setOutput('pushed', 'false');
    if (err instanceof StageError) {
      host.error(err.message, {
        title: `multiarch-action: ${err.stage} failed`,
        file: err.annotation?.file,
        startLine: err.annotation?.line,
      });
    } else if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') {
      // Node's message names no path ("ENOSPC: no space left on device, write"): say where
      host.error(
        `no space left on device while writing the run's files (temp folder and docker config, under RUNNER_TEMP ${ctx.runnerTemp}): free space there and re-run. The post step removes what this run created. (${errorMessage(err)})`,
        { title: 'multiarch-action: disk full' },
      );
    } else {
      host.error(errorMessage(err), { title: 'multiarch-action failed' });
    }
    host.fail();
  }
  await host.summary(
    summaryTable(outputs.refs, outputs.digest ?? '', inputs.platforms, push.push && !failed, timings, {
      imageid: outputs.imageid,
      status: failed ? 'failed' : 'succeeded',
    }),
  );
}

/** Mask a secret (and each of its lines: the runner masks line by line). */
function maskSecret(host: Deps['host'], value: string): void {
  if (!value) return;
  host.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim() && line !== value) host.setSecret(line);
}

function repoPrivate(payload: Record<string, unknown>): boolean | undefined {
  const repo = payload.repository as { private?: unknown } | undefined;
  return typeof repo?.private === 'boolean' ? repo.private : undefined;
}

/** Rules that need the push decision or the environment; still before any docker command. */
function checkRunInputs(inputs: Inputs, push: boolean, env: NodeJS.ProcessEnv): void {
  const errors: InputError[] = [];
  if (inputs.load && push) {
    errors.push(new InputError('load', 'true cannot be combined with a push (push resolved to true for this event): load builds into the local engine only; set push: false'));
  }
  for (const s of inputs.secretEnvs) {
    if (env[s.env] === undefined) errors.push(new InputError('secret-envs', `secret "${s.id}" reads environment variable ${s.env}, which is not set: set it in the step's env`));
  }
  if (errors.length) throw new InputErrors(errors);
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

/** The host's architecture when the engine is this machine's own, else undefined (ask the engine). */
function localEngineArch(deps: Deps): string | undefined {
  const configDir = deps.env.DOCKER_CONFIG || path.join(deps.env.HOME || os.homedir(), '.docker');
  return isLocalEngine(deps.env, deps.files.readFile(path.join(configDir, 'config.json'))) ? hostArch(os.arch()) : undefined;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export interface SummaryExtra {
  imageid?: string;
  /** Layer cache result (filled in by the cache stage; '-' until then). */
  cache?: string;
  status?: 'succeeded' | 'failed';
}

export function summaryTable(refs: string[], digest: string, platforms: string[], pushed: boolean, timings: Timing[], extra: SummaryExtra = {}): string {
  const rows = [
    '### multiarch-action',
    '',
    '| | |',
    '|---|---|',
    `| images | ${escapeCell(refs.map((r) => `\`${r}\``).join('<br>') || '(untagged)')} |`,
    `| digest | \`${escapeCell(digest || '-')}\` |`,
    `| platforms | ${escapeCell(platforms.join(', '))} |`,
    `| pushed | ${pushed ? 'yes' : 'no'} |`,
    ...(extra.imageid ? [`| image ID | \`${escapeCell(extra.imageid)}\` |`] : []),
    `| cache | ${escapeCell(extra.cache || '-')} |`,
    ...(extra.status ? [`| result | ${extra.status} |`] : []),
    `| stage times | ${timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)}s`).join(', ')} |`,
    '',
  ];
  return rows.join('\n');
}
