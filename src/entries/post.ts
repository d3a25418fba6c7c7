// Entry of the action's post step (bundled to dist/post). Always exits 0.
import { errorMessage } from '../errors.js';
import { runPost } from '../pipeline/post.js';
import { createExec } from '../ports/exec.js';
import { realFiles } from '../ports/files.js';
import { createActionsHost } from '../ports/host-actions.js';

const host = createActionsHost();
try {
  await runPost({
    host,
    exec: createExec(),
    files: realFiles,
    env: process.env,
    cwd: process.cwd(),
    now: () => Date.now(),
  });
} catch (err) {
  host.warning(`cleanup failed: ${errorMessage(err)}`);
}
process.exitCode = 0;
