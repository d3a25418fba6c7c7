// Entry of the action's post step (bundled to dist/post). Always exits 0.
import { createActionsHost } from './host-actions.js';
import { createExec } from './exec.js';
import { realFiles } from './deps.js';
import { runPost } from './cleanup.js';

const host = createActionsHost();
try {
  await runPost({ host, exec: createExec(), files: realFiles, env: process.env, cwd: process.cwd(), now: () => Date.now() });
} catch (err) {
  host.warning(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
}
process.exitCode = 0;
