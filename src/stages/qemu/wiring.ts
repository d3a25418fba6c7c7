import * as os from 'node:os';
import * as path from 'node:path';

import type { Deps } from '../../ports/deps.js';
import { userDockerConfigDir } from '../../ports/docker-config.js';
import type { Run } from '../../run/run.js';
import { runQemu } from './act.js';
import { isLocalEngine } from './plan.js';

/** This machine's os.arch() when the engine is this machine's own, else undefined (ask the engine). */
function localEngineArch(deps: Deps): string | undefined {
  return isLocalEngine(deps.env, deps.files.readFile(path.join(userDockerConfigDir(deps.env), 'config.json')))
    ? os.arch()
    : undefined;
}

export async function qemuStage(run: Run): Promise<void> {
  const { inputs, host } = run;
  const remoteDriver = inputs.driver === 'remote' || inputs.driver === 'kubernetes';
  const localArch = localEngineArch(run);
  await run.timed('qemu', () =>
    runQemu(
      inputs.platforms,
      {
        exec: run.exec,
        localArch,
        remoteEngine: localArch === undefined,
        readFile: (p) => run.files.readFile(p),
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
}
