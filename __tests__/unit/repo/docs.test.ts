import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const docs = (...args: string[]) => {
  try {
    return {
      code: 0,
      out: execFileSync(process.execPath, [path.join(ROOT, 'scripts/docs.mjs'), ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (err) {
    const e = err as { status?: number; stderr?: string };
    return { code: e.status ?? 1, out: e.stderr ?? '' };
  }
};

describe('README inputs/outputs tables are generated from action.yml', () => {
  test('README.md matches action.yml (run "npm run docs" when this fails)', () => {
    const r = docs('--check');
    expect(r.out).toContain('tables match action.yml');
    expect(r.code).toBe(0);
  });

  test('every input and output of action.yml has a row', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const yml = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: object;
      outputs: object;
    };
    const inputs = Object.keys(yml.inputs);
    const outputs = Object.keys(yml.outputs);
    expect(inputs.length).toBeGreaterThan(0);
    for (const n of [...inputs, ...outputs]) expect(readme).toContain(`| \`${n}\` |`);
  });

  test('a drifted README fails the check, and npm run docs fixes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-'));
    const copy = path.join(dir, 'README.md');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const drifted = readme.replace(/\| `platforms` \| [^\n]*/, '| `platforms` | stale description | `linux/amd64` |');
    expect(drifted).not.toBe(readme);
    fs.writeFileSync(copy, drifted);
    const r = docs('--check', copy);
    expect(r.code).toBe(1);
    expect(r.out).toContain('differ from action.yml');
    expect(docs(copy).code).toBe(0);
    expect(fs.readFileSync(copy, 'utf8')).toBe(readme);
  });
});
