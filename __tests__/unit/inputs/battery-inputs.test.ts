/**
 * The reliability battery, bad inputs: every case must fail the step with an ::error that names
 * the input, before the exec gateway is called even once. One row per case; jest counts them.
 */
import { runMain } from '../../../src/pipeline/main.js';
import { BAD_INPUTS, type Case } from '../battery-cases.js';
import { fakeDeps, fakeExec, fakeFiles, fakeHost } from '../fakes.js';

const ws = {
  '/ws/Dockerfile': 'FROM scratch\n',
  '/ws/sub/Dockerfile.x': 'FROM scratch\n',
  '/ws/buildkitd.toml': '',
  '/ws/.npmrc': 'x',
  '/outside/Dockerfile': 'FROM scratch\n',
};
describe('reliability battery: bad inputs fail before any process starts', () => {
  test('the table has at least 40 cases', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  test.each(BAD_INPUTS)('%s', async (...row: Case) => {
    // rest form: with a fixed arity above a row's length jest would wait for a done() callback
    const [, inputs, input, why, env] = row;
    const host = fakeHost({ platforms: 'linux/amd64,linux/arm64', push: 'auto', context: '.', ...inputs });
    // a gateway that refuses: a case that slips through validation fails fast, with the call recorded
    const exec = fakeExec((req) => {
      throw new Error(`exec gateway called: ${req.argv.join(' ')}`);
    });
    await runMain(
      fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', ...env }),
    );
    expect(host.failed).toBe(true);
    const named = host.errors.filter((e) => e.startsWith(`Input "${input}":`));
    expect(named).not.toEqual([]);
    expect(named.some((e) => why.test(e))).toBe(true);
    // the exec gateway was never called
    expect(exec.calls).toEqual([]);
    // an error never grows with the input: a 100 kB value is not echoed back whole
    for (const e of host.errors) expect(e.length).toBeLessThan(2000);
  });
});

describe('reliability battery: inputs the docker/* actions accept are accepted', () => {
  const parse = async (inputs: Record<string, string>) => {
    const host = fakeHost({ platforms: 'linux/amd64', push: 'false', context: '.', ...inputs });
    const exec = fakeExec(() => ({ code: 1, stderr: 'stub engine' }));
    await runMain(fakeDeps(host, exec, fakeFiles(ws), { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    return { inputErrors: host.errors.filter((e) => e.startsWith('Input ')), exec };
  };

  // build-push-action takes any path: a sibling checkout or a folder in RUNNER_TEMP is legitimate
  test('an existing context and file outside the workspace', async () => {
    const { inputErrors, exec } = await parse({ context: '/outside', file: '/outside/Dockerfile' });
    expect(inputErrors).toEqual([]);
    expect(exec.calls.length).toBeGreaterThan(0);
  });

  // buildx reads a relative file of a git context inside that repository: it cannot be checked here
  test('a file inside a remote git context is passed as given', async () => {
    const { inputErrors } = await parse({ context: 'https://github.com/o/r.git#main', file: 'docker/Dockerfile.prod' });
    expect(inputErrors).toEqual([]);
  });
});

describe('reliability battery: a full temp folder', () => {
  test('ENOSPC names RUNNER_TEMP, no docker command runs, state lets post clean up', async () => {
    const host = fakeHost({ images: 'r/app', tags: 'v1', platforms: 'linux/amd64', push: 'true', context: '.' });
    const exec = fakeExec();
    const files = fakeFiles(ws);
    files.writeFile = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await runMain(fakeDeps(host, exec, files, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }));
    expect(host.failed).toBe(true);
    expect(host.errors.join('\n')).toMatch(/no space left on device .*RUNNER_TEMP \/tmp\/rt.*free space there/);
    expect(exec.calls).toEqual([]);
    expect(JSON.parse(host.state.multiarch!)).toMatchObject({
      tempDir: expect.any(String),
      dockerConfig: expect.any(String),
    });
  });
});
