/**
 * The actions host's state: written for the post step (GITHUB_STATE), and readable in the step that
 * saved it, so main's signal path knows what main has started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createActionsHost } from '../../../src/ports/host-actions.js';

test('state saved in main is read back in main and written to GITHUB_STATE for post', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hoststate-')), 'state');
  fs.writeFileSync(file, '');
  const before = process.env.GITHUB_STATE;
  process.env.GITHUB_STATE = file;
  try {
    const host = createActionsHost(process.env);
    expect(host.getState('multiarch')).toBe('');
    host.saveState('multiarch', '{"smokeContainers":["multiarch-smoke-ab-0"]}');
    expect(host.getState('multiarch')).toBe('{"smokeContainers":["multiarch-smoke-ab-0"]}');
    expect(fs.readFileSync(file, 'utf8')).toContain('multiarch-smoke-ab-0');
  } finally {
    if (before === undefined) delete process.env.GITHUB_STATE;
    else process.env.GITHUB_STATE = before;
  }
});
