import { makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

const DOCKERFILE = 'FROM scratch\nCOPY id /id\n';

// push: auto pushes on a list of events; a merge queue check builds only,
// and an event the action does not know builds only with a warning saying how to push
describe('push: auto by event', () => {
  test.each([
    ['merge_group', 'refs/heads/gh-readonly-queue/main/pr-7-abc', false],
    ['workflow_run', 'refs/heads/main', true],
    ['delete', 'refs/heads/main', true],
  ] as const)(
    '%s builds without pushing',
    async (eventName, ref, warns) => {
      const job = await runJob({
        workspace: makeWorkspace(DOCKERFILE, { id: uniqueName('ev') }),
        eventName,
        ref,
        inputs: {
          images: `${REGISTRY}/${uniqueName('e2e/events')}`,
          tags: 'type=raw,value=v1',
          platforms: 'linux/amd64',
          cache: 'none',
        },
        traceDocker: true,
      });
      expect(job.main.errors).toEqual([]);
      expect(job.main.code).toBe(0);
      expect(job.main.outputs.pushed).toBe('false');
      expect(job.main.dockerCalls.some((c) => c.includes('--push'))).toBe(false);
      const warning = job.main.warnings.find((w) => /push: auto pushes only on/.test(w));
      if (warns) expect(warning).toMatch(new RegExp(`this ${eventName} event builds without pushing. Set push: true`));
      else expect(warning).toBeUndefined();
    },
    300_000,
  );

  test('repository_dispatch pushes', async () => {
    const job = await runJob({
      workspace: makeWorkspace(DOCKERFILE, { id: uniqueName('ev') }),
      eventName: 'repository_dispatch',
      ref: 'refs/heads/main',
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/events')}`,
        tags: 'type=raw,value=v1',
        platforms: 'linux/amd64',
        cache: 'none',
        verify: 'false',
      },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.outputs.pushed).toBe('true');
  }, 300_000);
});
