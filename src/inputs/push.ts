/**
 * The push decision: whether this run pushes, from the push input, the event and what the build
 * exports to. An input rule, decided in the input pass before any docker command.
 */

/**
 * Events on which push: auto pushes: a branch or tag push, a schedule (nightly), a manual run
 * (workflow_dispatch), a release, and repository_dispatch (an outside system asking for a rebuild,
 * with a token that can write to the repository) — what `push: ${{ github.event_name !=
 * 'pull_request' }}` meant for build-push-action users, as a list.
 */
export const PUSH_EVENTS = ['push', 'schedule', 'workflow_dispatch', 'release', 'repository_dispatch'] as const;

export interface PushDecision {
  enabled: boolean;
  reason: string;
  /** An event push: auto does not know: the run builds only, and says how to push. */
  warning?: string;
}

/**
 * Whether this run pushes. auto pushes only on PUSH_EVENTS and only when there is somewhere
 * to push: pull requests and merge queue checks (merge_group: the push comes with the merge's own
 * push event) build only; any other event (delete, workflow_run, issues, …) builds only and says so,
 * since a new or unexpected trigger must not publish images silently.
 */
export function decidePush(
  push: 'auto' | boolean,
  eventName: string,
  images: string[],
  local: { load?: boolean; outputs?: string[]; call?: string } = {},
): PushDecision {
  // check, outline, targets evaluate the build and build nothing: there is no image to push
  if (local.call && local.call !== 'build')
    return { enabled: false, reason: `call: ${local.call} evaluates the build without building it` };
  if (push === true) return { enabled: true, reason: 'push: true' };
  if (push === false) return { enabled: false, reason: 'push: false' };
  if (eventName.startsWith('pull_request'))
    return { enabled: false, reason: `push: auto on a ${eventName} event builds only` };
  if (eventName === 'merge_group')
    return { enabled: false, reason: 'push: auto on a merge_group event (merge queue check) builds only' };
  if (local.load) return { enabled: false, reason: 'push: auto with load: true loads into the local engine only' };
  if (local.outputs?.length)
    return { enabled: false, reason: 'push: auto with outputs set exports only to those outputs' };
  if (images.length === 0) return { enabled: false, reason: 'push: auto with no images builds only' };
  if (!(PUSH_EVENTS as readonly string[]).includes(eventName)) {
    const event = eventName || '(none)';
    return {
      enabled: false,
      reason: `push: auto on a ${event} event builds only`,
      warning: `push: auto pushes only on ${PUSH_EVENTS.join(', ')} events; this ${event} event builds without pushing. Set push: true to push on it.`,
    };
  }
  return { enabled: true, reason: `push: auto on a ${eventName} event` };
}
