import { decidePush } from '../../../src/inputs/push.js';

describe('decidePush', () => {
  test.each<[string, 'auto' | boolean, string, string[], boolean]>([
    ['auto on push', 'auto', 'push', ['a/x'], true],
    ['auto on tag push (event push)', 'auto', 'push', ['a/x'], true],
    ['auto on schedule', 'auto', 'schedule', ['a/x'], true],
    ['auto on workflow_dispatch', 'auto', 'workflow_dispatch', ['a/x'], true],
    ['auto on release', 'auto', 'release', ['a/x'], true],
    ['auto on pull_request', 'auto', 'pull_request', ['a/x'], false],
    ['auto on pull_request_target', 'auto', 'pull_request_target', ['a/x'], false],
    ['auto with no images', 'auto', 'push', [], false],
    ['forced true on PR', true, 'pull_request', ['a/x'], true],
    ['forced false', false, 'push', ['a/x'], false],
    ['auto on repository_dispatch', 'auto', 'repository_dispatch', ['a/x'], true],
    ['auto on merge_group (merge queue) builds only', 'auto', 'merge_group', ['a/x'], false],
    ['auto on delete builds only', 'auto', 'delete', ['a/x'], false],
    ['auto on workflow_run builds only', 'auto', 'workflow_run', ['a/x'], false],
    ['auto on issues builds only', 'auto', 'issues', ['a/x'], false],
    ['auto with no event name builds only', 'auto', '', ['a/x'], false],
    ['forced true on merge_group', true, 'merge_group', ['a/x'], true],
  ])('%s', (_n, push, event, images, want) => expect(decidePush(push, event, images).enabled).toBe(want));

  test('an event auto does not know builds only, and says how to push (never silently)', () => {
    expect(decidePush('auto', 'workflow_run', ['a/x'])).toEqual({
      enabled: false,
      reason: 'push: auto on a workflow_run event builds only',
      warning:
        'push: auto pushes only on push, schedule, workflow_dispatch, release, repository_dispatch events; this workflow_run event builds without pushing. Set push: true to push on it.',
    });
    expect(decidePush('auto', 'merge_group', ['a/x']).warning).toBeUndefined();
    expect(decidePush('auto', 'pull_request', ['a/x']).warning).toBeUndefined();
  });
});

describe('decidePush with local outputs', () => {
  test.each<[string, { load?: boolean; outputs?: string[] }, boolean]>([
    ['load on a push event', { load: true }, false],
    ['outputs set', { outputs: ['type=local,dest=out'] }, false],
    ['neither', {}, true],
  ])('auto: %s', (_n, local, want) => expect(decidePush('auto', 'push', ['a/x'], local).enabled).toBe(want));
  test('explicit true still wins', () => expect(decidePush(true, 'push', ['a/x'], { load: true }).enabled).toBe(true));
});

describe('call', () => {
  test('check/outline/targets build nothing, so nothing is pushed', () => {
    expect(decidePush(true, 'push', ['r/a'], { call: 'check' })).toEqual({
      enabled: false,
      reason: 'call: check evaluates the build without building it',
    });
    expect(decidePush('auto', 'push', ['r/a'], { call: 'build' }).enabled).toBe(true);
  });
});
