import { parseList } from '../lists.js';
import { explainName, isValidReference, lowercaseName } from '../oci/reference.js';
import type { Collector, Getter } from './collect.js';
import { isFullReference, type StepForm } from './form.js';
import { type Flavor, parseFlavor, parseImages, parseTagRules, type TagRule } from './meta-rules.js';

export interface MetaInputs {
  /** Image names (the enabled ones), lowercased and checked here (the meta plan takes them as they are), without tags. */
  images: string[];
  /** docker/metadata-action tag rules, highest priority first; the defaults when `tags` is empty. */
  tagRules: TagRule[];
  /**
   * Full references given in `tags` the way build-push-action takes them (ghcr.io/org/app:1.0):
   * used as they are, not crossed with `images`.
   */
  literalRefs: string[];
  flavor: Flavor;
  /** User labels/annotations, KEY=VALUE lines (may hold global expressions). */
  labels: string[];
  annotations: string[];
  /** Token for the GitHub API (repository data for labels, commit dates); '' = none. */
  githubToken: string;
  sepTags: string;
  sepLabels: string;
  sepAnnotations: string;
  /** bake-target: the target name in the bake-file outputs. */
  bakeTarget: string;
  /** build-push-action's form (see form.ts) or this action's: decides the unset inputs' defaults. */
  form: StepForm;
}

export type MetaExpressionInputs = Pick<MetaInputs, 'tagRules' | 'labels' | 'annotations' | 'flavor'>;

/** Every value that may hold a global expression ({{branch}}, {{date 'fmt'}}, …). */
export function expressionTexts(m: MetaExpressionInputs): string[] {
  return [
    ...m.tagRules.flatMap((r) => Object.values(r.attrs)),
    ...m.labels,
    ...m.annotations,
    m.flavor.prefix,
    m.flavor.suffix,
  ];
}

const lines = (v: string) => parseList(v, { ignoreComma: true });

/**
 * A separator input as metadata-action reads it: untrimmed (a space or a tab is a separator) and
 * as written (the two characters \\n stay two characters); '' = newline.
 */
const separator = (v: string): string => v || '\n';

/**
 * `images` lines → the enabled image names: lowercased (parseImages) and checked against the
 * reference grammar, the one place either is done. Throws on the first invalid name.
 */
export function imageNames(imageLines: string[]): string[] {
  return parseImages(imageLines)
    .map((img) => {
      const why = explainName(img.name);
      if (why) throw new Error(`"${img.name}": ${why}`);
      return img;
    })
    .filter((img) => img.enable)
    .map((img) => img.name);
}

export function parseMetaInputs(get: Getter, c: Collector, form: StepForm = 'multiarch'): MetaInputs {
  const images = c.field('images', () => imageNames(lines(get('images'))), []);
  const tagLines = lines(get('tags'));
  const literalRefs = c.field(
    'tags',
    () =>
      tagLines.filter(isFullReference).map((raw) => {
        const ref = lowercaseName(raw);
        if (!isValidReference(ref)) {
          throw new Error(
            `"${raw}" is neither a tag nor a valid image reference: a tag is [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, a reference is registry/name:tag (or put the name in "images" and the tag here)`,
          );
        }
        return ref;
      }),
    [],
  );
  const ruleLines = tagLines.filter((l) => !isFullReference(l));
  // only full references given: no generated tags (the defaults apply only when tags is empty)
  const tagRules = c.field('tags', () => (ruleLines.length || !literalRefs.length ? parseTagRules(ruleLines) : []), []);
  const flavor = c.field('flavor', () => parseFlavor(lines(get('flavor'))), parseFlavor([]));
  // lines without '=' are dropped with a warning by the meta stage (after rendering), as metadata-action
  const labels = c.field('labels', () => lines(get('labels')), []);
  const annotations = c.field('annotations', () => lines(get('annotations')), []);
  return {
    images,
    tagRules,
    literalRefs,
    flavor,
    labels,
    annotations,
    githubToken: get('github-token'),
    sepTags: separator(get('sep-tags', { raw: true })),
    sepLabels: separator(get('sep-labels', { raw: true })),
    sepAnnotations: separator(get('sep-annotations', { raw: true })),
    bakeTarget: get('bake-target') || 'docker-metadata-action',
    form,
  };
}
