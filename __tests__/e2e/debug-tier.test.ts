/**
 * The debug tier through the bundled action: with step debug logging on, the log has ::debug::
 * lines with the parsed inputs and every planned argv (buildx build's among them), and no secret.
 */
import { BUSYBOX_DOCKERFILE, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

describe('step debug logging', () => {
  test('::debug:: lines show the inputs and the planned buildx argv, with no secret in them', async () => {
    const token = `tok-${Math.random().toString(36).slice(2)}`;
    const job = await runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      inputs: {
        images: `${REGISTRY}/${uniqueName('e2e/debug')}`,
        platforms: 'linux/amd64',
        push: 'false',
        secrets: `token=${token}`,
        'github-token': `ghs_${token}`,
      },
      env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const debug = job.main.stdout.split('\n').filter((l) => l.startsWith('::debug::'));
    expect(debug.find((l) => l.startsWith('::debug::inputs: '))).toContain('"value":"***"');
    const build = debug.find((l) => l.startsWith('::debug::exec: ["docker","buildx","build"'));
    expect(build).toContain('"--platform","linux/amd64"');
    expect(debug.some((l) => /^::debug::exec: docker buildx build: exit 0$/.test(l))).toBe(true);
    // probes are silent in the log; their answers are at the debug tier
    expect(
      debug.some((l) => /^::debug::exec: docker buildx (version|inspect|ls)[^:]*: exit 0, answered: /.test(l)),
    ).toBe(true);
    expect(debug.filter((l) => l.includes(token))).toEqual([]);
  });
});
