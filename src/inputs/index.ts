import { InputErrors } from '../errors.js';
import { type BuildInputs, parseBuildInputs } from './build.js';
import { type CacheInputs, parseCacheInputs } from './cache.js';
import { Collector, type Getter } from './collect.js';
import { type MetaInputs, parseMetaInputs } from './meta.js';

export type { Getter } from './collect.js';

/**
 * Every action input, parsed and validated, in one typed object. Each area parses its own
 * inputs in its own module; this is the one place they are put together.
 */
export type Inputs = MetaInputs & BuildInputs & CacheInputs;

export interface InputEnv {
  workspace: string;
  exists(p: string): boolean;
}

/**
 * Parse and validate every input. Collects all problems and throws them together as
 * InputErrors, each naming its input and what would be valid. No process is started here.
 */
export function parseInputs(get: Getter, env: InputEnv): Inputs {
  const c = new Collector();
  const meta = parseMetaInputs(get, c);
  const build = parseBuildInputs(get, c, env);
  const cache = parseCacheInputs(get, c);
  // cross-input rules
  if (build.push === true && meta.images.length === 0 && !c.has('images')) {
    c.fail('images', 'is empty but push is true: name at least one image, e.g. ghcr.io/org/app');
  }
  if (c.errors.length) throw new InputErrors(c.errors);
  return { ...meta, ...build, ...cache };
}
