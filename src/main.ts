// Entry of the action's main step (bundled to dist/main). Everything else is side-effect free.
import { createActionsHost } from './host-actions.js';
import { createExec } from './exec.js';
import { realFiles } from './deps.js';
import { runMain } from './pipeline.js';

await runMain({
  host: createActionsHost(),
  exec: createExec(),
  files: realFiles,
  env: process.env,
  cwd: process.cwd(),
  now: () => Date.now(),
});
