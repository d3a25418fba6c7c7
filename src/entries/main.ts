// Entry of the action's main step (bundled to dist/main). Everything else is side-effect free.

import { clipMessage, errorMessage } from '../errors.js';
import { runMain } from '../pipeline/main.js';
import { stopSmoke } from '../pipeline/smoke-cleanup.js';
import { realActionsCache } from '../ports/actions-cache.js';
import { createArtifactStore } from '../ports/artifacts.js';
import { createExec, withDebug } from '../ports/exec.js';
import { realFiles } from '../ports/files.js';
import { createActionsHost } from '../ports/host-actions.js';
import { onStopSignals, processSignals } from '../ports/signals.js';

const host = createActionsHost();
// a cancelled job (SIGINT, then SIGTERM): stop the docker commands and exit; the state saved so far
// tells the post step, which the runner still runs, what to remove
const stopped = new AbortController();
onStopSignals(processSignals, {
  abort: () => stopped.abort(),
  // the smoke test's containers run on without their docker run: removed now (post again), on a
  // gateway of its own (the run's is stopped)
  cleanup: () => stopSmoke(host, createExec(process.env)),
  removeNow: () => undefined,
  log: (m) => host.warning(m),
});
try {
  await runMain({
    host,
    exec: withDebug(createExec(process.env, { signal: stopped.signal }), (m) => host.debug(m)),
    files: realFiles,
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
    actionsCache: realActionsCache(process.env),
    artifacts: createArtifactStore(process.env),
  });
} catch (err) {
  // the last resort: whatever escaped is still one ::error saying what, never a stack trace
  host.error(clipMessage(errorMessage(err)), { title: 'multiarch-action failed' });
  process.exitCode = 1;
}
