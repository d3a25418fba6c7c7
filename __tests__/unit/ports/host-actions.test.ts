/**
 * The actions host: state written for the post step (GITHUB_STATE) and readable in the step that
 * saved it, so main's signal path knows what main has started; exported values kept small.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createActionsHost, EXPORT_VALUE_MAX } from '../../../src/ports/host-actions.js';

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

/** What `fn` printed to stdout (where @actions/core writes its commands). */
function printed(fn: () => void): string {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (out += String(chunk)),
    true
  )) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('exportVariable: values kept small enough for later commands and steps to start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-actions-'));
  const envFile = path.join(dir, 'env');
  const saved = process.env.GITHUB_ENV;
  beforeEach(() => {
    fs.writeFileSync(envFile, '');
    process.env.GITHUB_ENV = envFile;
  });
  afterAll(() => {
    process.env.GITHUB_ENV = saved;
    delete process.env.H5_SMALL;
    delete process.env.H5_BIG;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a value under EXPORT_VALUE_MAX goes to GITHUB_ENV and this process’s environment', () => {
    const host = createActionsHost(process.env);
    expect(printed(() => host.exportVariable('H5_SMALL', 'a'.repeat(1000)))).toBe('');
    expect(fs.readFileSync(envFile, 'utf8')).toContain('H5_SMALL<<');
    expect(process.env.H5_SMALL).toHaveLength(1000);
  });

  test('a larger value is not exported anywhere; a warning names the variable', () => {
    const host = createActionsHost(process.env);
    const log = printed(() => host.exportVariable('H5_BIG', `x\n::error::x${'b'.repeat(EXPORT_VALUE_MAX)}`));
    expect(log).toMatch(
      /^::warning::H5_BIG is not exported to later steps: its value has \d+ characters, more than the 65536/,
    );
    expect(log.split('\n').filter((l) => l.startsWith('::'))).toHaveLength(1);
    expect(fs.readFileSync(envFile, 'utf8')).toBe('');
    expect(process.env.H5_BIG).toBeUndefined();
  });
});
