import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseDocument } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');

test('action.yml parses with no duplicate keys (areas add inputs and outputs side by side)', () => {
  const doc = parseDocument(text, { uniqueKeys: true });
  expect(doc.errors.map(String)).toEqual([]);
});

test('every input has a description and a default; every output a description; node24 main + post', () => {
  const yml = parseDocument(text).toJS() as {
    inputs: Record<string, { description?: string; default?: unknown }>;
    outputs: Record<string, { description?: string }>;
    runs: Record<string, string>;
  };
  for (const [name, spec] of Object.entries(yml.inputs)) {
    expect([name, typeof spec.description === 'string' && spec.description.length > 10]).toEqual([name, true]);
    expect([name, typeof spec.default]).toEqual([name, 'string']);
  }
  for (const [name, spec] of Object.entries(yml.outputs))
    expect([name, Boolean(spec.description)]).toEqual([name, true]);
  expect(yml.runs).toEqual({ using: 'node24', main: 'dist/main/index.js', post: 'dist/post/index.js' });
});
