import { parseList } from '../lists.js';
import type { Getter } from './collect.js';

/**
 * Which action's defaults a step takes. `build-push-action`: the step was written for
 * docker/build-push-action (no `images`, full references in `tags`, as it and metadata-action's
 * `tags` output give them; or no `images`, `tags` or `platforms` at all, a build-only step), so every
 * input the user left unset means what it means there: no push, the builder's own platform, no
 * generated labels or annotations. `multiarch`: `images` with tag rules, this action's own defaults.
 */
export type StepForm = 'build-push-action' | 'multiarch';

/** A `tags` line with no attribute but a `/` or `:`: a full reference (build-push-action's tags), not a tag rule. */
export function isFullReference(line: string): boolean {
  return !/[=,]/.test(line) && /[/:]/.test(line);
}

/** Pure: the step's form from its raw `images` and `tags` (lenient: a parse error is reported by their parsers). */
export function stepFormOf(get: Getter): StepForm {
  try {
    const images = parseList(get('images'), { ignoreComma: true });
    const tags = parseList(get('tags'), { ignoreComma: true });
    if (images.length > 0) return 'multiarch';
    if (tags.some(isFullReference)) return 'build-push-action';
    // a step naming no image, tag or platform says nothing of this action's form: a build-only step
    // pasted from build-push-action (its CI's minimal, secret, named-context steps) builds as there
    return tags.length === 0 && get('platforms').trim() === '' ? 'build-push-action' : 'multiarch';
  } catch {
    return 'multiarch';
  }
}

/** The one notice naming the step's form and what it changes. */
export function formNotice(form: StepForm): string {
  return form === 'build-push-action'
    ? "build-push-action form (no images; full references in tags, or no tags and no platforms): inputs left unset take docker/build-push-action's defaults (push: false, the builder's own platform, no generated labels or annotations)"
    : "multiarch form (images with tag rules): inputs left unset take this action's defaults (push: auto, platforms linux/amd64,linux/arm64, generated OCI labels and annotations)";
}
