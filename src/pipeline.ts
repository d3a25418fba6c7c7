import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRunContext } from './context.js';
import type { Deps } from './deps.js';
import { errorMessage, InputErrors, StageError } from './errors.js';
import { parseInputs } from './inputs/index.js';
import { StateStore } from './state.js';
import { decidePush, planBuild, runBuild } from './stages/build.js';
import { withEnv } from './exec.js';
import { DEFAULT_BUILDX_VERSION, installBuildx, makeJobDockerConfig } from './stages/buildx-install.js';
import { parseBuildxVersion, planBuilder, probeBuilder, runBuilder, uniqueBuilderName } from './stages/builder.js';
import { createToolCache } from './toolcache.js';
import { planMeta } from './stages/meta.js';
import { hostArch, isLocalEngine, runQemu } from './stages/qemu.js';

interface Timing {
  stage: string;
  seconds: number;
}

/** The main step: inputs → qemu → builder → meta → build, outputs and summary. */
export async function runMain(deps: Deps): Promise<void> {
  const { host, files } = deps;
  // replaced by one that carries the per-job DOCKER_CONFIG once buildx is installed for this job
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
        const dockerConfig = makeJobDockerConfig(tempDir, deps.env);
        state.update({ dockerConfig });
        await installBuildx(
          { version: want, baseUrl: inputs.buildxDownloadUrl, tempDir, dockerConfig },
          createToolCache(deps.env),
          (m) => host.info(m),
        );
        exec = withEnv(deps.exec, { DOCKER_CONFIG: dockerConfig });
        probe = await probeBuilder(exec);
      }
      host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
      let buildkitdConfig = inputs.buildkitdConfig;
      if (inputs.buildkitdConfigInline.trim()) {
        buildkitdConfig = path.join(tempDir, 'buildkitd.toml');
        fs.writeFileSync(buildkitdConfig, inputs.buildkitdConfigInline);
      }
      const plan = planBuilder(probe, { ...inputs, buildkitdConfig }, uniqueBuilderName(deps.env));
      return runBuilder(plan, { exec, log: (m) => host.info(m), created: (name) => state.update({ builder: name }) });
    });
    host.setOutput('builder', builder.name);
    host.setOutput('driver', builder.driver);
    host.setOutput('builder-platforms', builder.platforms.join(','));

    const meta = planMeta({ images: inputs.images, tags: inputs.tags }, ctx);
    host.setOutput('tags', meta.refs.join('\n'));
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
      push: push.push,
      metadataFile,
    });
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

/** The host's architecture when the engine is this machine's own, else undefined (ask the engine). */
function localEngineArch(deps: Deps): string | undefined {
  const configDir = deps.env.DOCKER_CONFIG || path.join(deps.env.HOME || os.homedir(), '.docker');
  return isLocalEngine(deps.env, deps.files.readFile(path.join(configDir, 'config.json'))) ? hostArch(os.arch()) : undefined;
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
