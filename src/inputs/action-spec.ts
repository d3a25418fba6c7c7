import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse as parseYaml } from 'yaml';

/** One input as action.yml declares it. */
export interface InputSpec {
  name: string;
  description: string;
  default: string;
  required: boolean;
}

export interface OutputSpec {
  name: string;
  description: string;
}

/** What the CLI, its --help and the README tables read from action.yml: nothing is listed twice. */
export interface ActionSpec {
  name: string;
  description: string;
  inputs: InputSpec[];
  outputs: OutputSpec[];
}

interface RawYml {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; default?: unknown; required?: boolean } | null>;
  outputs?: Record<string, { description?: string } | null>;
}

/** Pure: the spec from action.yml's text, inputs and outputs in declaration order. */
export function parseActionSpec(text: string): ActionSpec {
  const raw = (parseYaml(text) ?? {}) as RawYml;
  const inputs = Object.entries(raw.inputs ?? {}).map(([name, v]) => ({
    name,
    description: String(v?.description ?? '').trim(),
    default: v?.default === undefined || v?.default === null ? '' : String(v.default),
    required: v?.required === true,
  }));
  const outputs = Object.entries(raw.outputs ?? {}).map(([name, v]) => ({
    name,
    description: String(v?.description ?? '').trim(),
  }));
  return { name: raw.name ?? '', description: String(raw.description ?? '').trim(), inputs, outputs };
}

/**
 * Find action.yml from a starting folder upwards: dist/cli/index.js → ../../action.yml,
 * lib/entries/cli.js and src/entries/cli.ts → ../../action.yml. undefined when there is none.
 */
export function findActionYml(startDir: string, exists: (p: string) => boolean = fs.existsSync): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const candidate = path.join(dir, 'action.yml');
    if (exists(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadActionSpec(file: string): ActionSpec {
  return parseActionSpec(fs.readFileSync(file, 'utf8'));
}
