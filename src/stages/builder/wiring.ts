import * as path from 'node:path';
import type { Exec } from '../../ports/exec.js';
import { toolCacheModule } from '../../ports/lazy.js';
import type { Run } from '../../run/run.js';
import { parseBuildxVersion, planBuilder, probeBuilder, readBuildxVersion, runBuilder, uniqueBuilderName } from './builder.js';
import { DEFAULT_BUILDX_VERSION, installBuildx } from './buildx-install.js';
import { buildRegistryRefs, configMirrors } from './network.js';
import { parseInspectNodes } from './nodes.js';

export type Builder = Awaited<ReturnType<typeof runBuilder>>;

/**
 * Find (or install) buildx, then use, create or reuse the builder; outputs builder, driver, and
 * builder-platforms when the result's `platforms()` answers (call it once, before the step ends). `whileWaiting` runs once the first probe has answered (all of them are started by
 * then, the slowest still out): CPU work placed there overlaps with the engine's.
 */
export async function builderStep(run: Run, whileWaiting: () => void = () => undefined): Promise<Builder> {
  const { inputs, host } = run;
  let waiting: (() => void) | undefined = whileWaiting;
  const exec: Exec = async (req) => {
    const res = await run.exec(req);
    waiting?.();
    waiting = undefined;
    return res;
  };
  const builder = await run.stage('builder', async () => {
    let probe = await probeBuilder(exec);
    const have = probe.buildxVersion ? parseBuildxVersion(probe.buildxVersion) : undefined;
    const want = inputs.buildxVersion || (have ? '' : DEFAULT_BUILDX_VERSION);
    if (want && want !== have && inputs.dryRun) {
      host.info(`dry-run: would install buildx ${want} from ${inputs.buildxDownloadUrl}`);
    } else if (want && want !== have) {
      const { createToolCache } = await toolCacheModule();
      await installBuildx({ version: want, baseUrl: inputs.buildxDownloadUrl, tempDir: run.tempDir, dockerConfig: run.dockerConfig, cache: inputs.cacheBinary }, createToolCache(), (m) => host.info(m));
      // a new CLI plugin changes neither the engine nor the context: only buildx's answer is new
      probe = { ...probe, buildxVersion: await readBuildxVersion(exec) };
    }
    host.info(`buildx: ${probe.buildxVersion?.trim() ?? '(missing)'}`);
    let buildkitdConfig = inputs.buildkitdConfig;
    if (inputs.buildkitdConfigInline.trim()) {
      buildkitdConfig = path.join(run.tempDir, 'buildkitd.toml');
      run.files.writeFile(buildkitdConfig, inputs.buildkitdConfigInline, 0o644);
    }
    // registry mirrors in the daemon config are registries BuildKit talks to as well
    const mirrors = buildkitdConfig ? configMirrors(run.files.readFile(buildkitdConfig) ?? '') : [];
    const plan = planBuilder(probe, { ...inputs, buildkitdConfig, registries: [...buildRegistryRefs(inputs), ...mirrors] }, uniqueBuilderName(run.env));
    for (const n of plan.notes) host.info(n);
    // a dry run only printed `buildx create`: recording the name would make post remove (and warn
    // about) a builder that never existed, or one of the same name that someone else made
    const created = (name: string) => (inputs.dryRun ? host.info(`dry-run: builder ${name} was not created, post has nothing to remove`) : run.state.update({ builder: name, ...(inputs.keepState ? { keepState: true } : {}) }));
    const result = await runBuilder(plan, { exec, log: (m) => host.info(m), created });
    for (const w of result.warnings) host.warning(w);
    return result;
  });
  host.setOutput('builder', builder.name);
  host.setOutput('driver', builder.driver);
  const platforms = () =>
    Promise.all([builder.platforms(), builder.inspected()]).then(([list, text]) => {
      host.setOutput('builder-platforms', list.join(','));
      // setup-buildx-action's nodes output (its JSON, two-space indented)
      host.setOutput('nodes', JSON.stringify(parseInspectNodes(text), undefined, 2));
      return list;
    });
  return { ...builder, platforms };
}
