/**
 * The cap on image references (images × tags), checked in the input pass. Every reference is a
 * `--tag` argument of the build and a line of DOCKER_METADATA_OUTPUT_* (exported to every later
 * step): past a few thousand, the build cannot start (spawn E2BIG) and neither can later steps.
 */
import { InputError } from '../../errors.js';
import type { MetaInputs } from '../../inputs/meta.js';
import type { MetaRun } from './plan.js';

/**
 * At most this many references: ten times the most a real release tags (a handful of registries ×
 * version, partials, latest, sha), while 1,000 refs of ~100 characters are ~100 kB of argv, far
 * from Linux's 2 MiB for argv and environment together.
 */
export const MAX_REFS = 1000;

type RefInputs = Pick<MetaInputs, 'images' | 'tagRules' | 'flavor' | 'literalRefs' | 'labels' | 'annotations'>;

/** Pure: the most references the inputs can give (each tag rule gives at most one tag; latest one more). */
export function mostRefs(m: RefInputs): number {
  const perImage = m.tagRules.length + (m.flavor.latest === 'false' ? 0 : 1);
  return m.images.length * perImage + m.literalRefs.length;
}

/**
 * The cap's input error, or none. Only inputs whose bound is over the cap are planned (the meta
 * plan, with its Handlebars, is not loaded for the rest): the count refused is the real one.
 */
export async function refLimitErrors(m: RefInputs, run: MetaRun): Promise<InputError[]> {
  if (mostRefs(m) <= MAX_REFS) return [];
  let count: number;
  try {
    const { planMeta } = await import('./plan.js');
    count = planMeta(m, run).refs.length;
  } catch {
    return []; // a rule that does not render is the meta stage's to report
  }
  if (count <= MAX_REFS) return [];
  return [
    new InputError(
      m.images.length > m.tagRules.length ? 'images' : 'tags',
      `"images" (${m.images.length}) × "tags" (${m.tagRules.length} rules) with ${m.literalRefs.length} full reference(s) give ${count} image references; at most ${MAX_REFS} are accepted (each is a --tag of the build and a line of the outputs exported to later steps): tag fewer images or use fewer tags`,
    ),
  ];
}
