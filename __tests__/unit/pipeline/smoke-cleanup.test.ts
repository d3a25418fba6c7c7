/**
 * The action's signal path removes the smoke test's containers and images at once, from the state
 * main saved so far, with the run's docker config; a host whose state holds none does nothing.
 */
import { stopSmoke } from '../../../src/pipeline/smoke-cleanup.js';
import { fakeExec, fakeHost } from '../fakes.js';

test('a signal during the smoke test: its containers, then its images, with the run’s DOCKER_CONFIG', async () => {
  const host = fakeHost();
  host.saveState(
    'multiarch',
    JSON.stringify({ dockerConfig: '/rt/cfg', smokeContainers: ['multiarch-smoke-ab-0'], smokeImages: ['t:1'] }),
  );
  const exec = fakeExec();
  await stopSmoke(host, exec);
  expect(exec.calls.map((c) => c.argv)).toEqual([
    ['docker', 'rm', '--force', '--', 'multiarch-smoke-ab-0'],
    ['docker', 'image', 'rm', '--force', 't:1'],
  ]);
  expect(exec.calls.map((c) => c.env?.DOCKER_CONFIG)).toEqual(['/rt/cfg', '/rt/cfg']);
  expect(host.warnings).toEqual([]);
});

test('before the smoke test (nothing in the state): no docker command', async () => {
  const host = fakeHost();
  host.saveState('multiarch', JSON.stringify({ tempDir: '/rt/x' }));
  const exec = fakeExec();
  await stopSmoke(host, exec);
  expect(exec.calls).toEqual([]);
});

test('a failing engine is a warning, never a throw (the signal path still exits)', async () => {
  const host = fakeHost();
  host.saveState('multiarch', JSON.stringify({ smokeContainers: ['multiarch-smoke-ab-0'] }));
  const exec = fakeExec(() => ({ code: 1, stderr: 'Cannot connect to the Docker daemon' }));
  await expect(stopSmoke(host, exec)).resolves.toBeUndefined();
  expect(host.warnings).toEqual(['cleanup: remove smoke-test containers: Cannot connect to the Docker daemon']);
});
