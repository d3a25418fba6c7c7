import * as os from 'node:os';
import * as path from 'node:path';

import { userDockerConfigDir } from '../../ports/docker-config.js';
import { actDeps, type Run } from '../../run/run.js';
import { runQemu } from './act.js';
import { activeEndpoint, builderEndpoint, type EngineLocation, locateEngine } from './act-engine.js';

/** buildx's default BuildKit image: the docker-container driver pulls it anyway, and it carries busybox. */
export const DEFAULT_BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';

/** The BuildKit image the builder will run (driver-opts image=), which the probe container borrows. */
export function buildkitImage(driverOpts: string[]): string {
  const opt = driverOpts.map((o) => /^image=(.+)$/i.exec(o.trim())).find(Boolean);
  return opt?.[1]?.trim() || DEFAULT_BUILDKIT_IMAGE;
}

/**
 * Where the builder's engine is, judged from the endpoint it really uses (the active context,
 * DOCKER_HOST, the endpoint input), not from which variables happen to be set.
 */
async function engineLocation(run: Run): Promise<EngineLocation> {
  const config = run.files.readFile(path.join(userDockerConfigDir(run.env), 'config.json'));
  const endpoint = builderEndpoint(activeEndpoint(run.env, config), run.inputs.endpoint);
  return locateEngine(run.exec, endpoint);
}

export async function qemuStage(run: Run): Promise<void> {
  const { inputs, host } = run;
  const remoteDriver = inputs.driver === 'remote' || inputs.driver === 'kubernetes';
  await run.timed('qemu', async () => {
    const skipped = inputs.qemu === 'false' || (remoteDriver && inputs.qemu === 'auto');
    const engine = skipped ? undefined : await engineLocation(run);
    if (engine) host.info(engine.described);
    return runQemu(
      inputs.platforms,
      {
        ...actDeps(run),
        localArch: engine?.local ? os.arch() : undefined,
        remoteEngine: engine !== undefined && !engine.local,
        readFile: (p) => run.files.readFile(p),
      },
      {
        mode: inputs.qemu,
        image: inputs.qemuImage,
        nodePlatforms: inputs.append.flatMap((n) => n.platforms),
        skipReason: remoteDriver ? `the ${inputs.driver} driver builds away from this engine` : undefined,
        probeImage: buildkitImage(inputs.driverOpts),
      },
    );
  });
}
