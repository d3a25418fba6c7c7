import { dockerfileName, parseBuildInputs } from '../../../src/inputs/build.js';
import { Collector } from '../../../src/inputs/collect.js';

describe('dockerfileName: the Dockerfile as the run names it', () => {
  test.each<[string, string, { path: string; inWorkspace: boolean }]>([
    [
      'a workspace file: relative to the workspace',
      '/ws/docker/Dockerfile',
      { path: 'docker/Dockerfile', inWorkspace: true },
    ],
    [
      'a path inside a git-URL context: as given, not resolved against the working directory',
      'docker/Dockerfile',
      { path: 'docker/Dockerfile', inWorkspace: false },
    ],
    ["none (the remote context's default)", '', { path: '', inWorkspace: false }],
  ])('%s', (_n, file, want) => expect(dockerfileName(file, '/ws')).toEqual(want));
});

describe('build-args: a bare name is read by buildx from its environment', () => {
  const parse = (buildArgs: string) => {
    const c = new Collector();
    const out = parseBuildInputs((n) => ({ platforms: 'linux/amd64', 'build-args': buildArgs })[n] ?? '', c, {
      workspace: '/ws',
      exists: () => true,
    });
    return { out, errors: c.errors.map((e) => e.message) };
  };

  test('a bare name of a withheld variable (the runner token, an input) is refused; a user variable or a value is fine', () => {
    expect(parse('ACTIONS_RUNTIME_TOKEN').errors).toEqual([
      expect.stringMatching(/^Input "build-args": ACTIONS_RUNTIME_TOKEN is the runner's or the action's own/),
    ]);
    expect(parse('INPUT_PASSWORD').errors).toHaveLength(1);
    expect(parse('NPM_TOKEN\nACTIONS_RUNTIME_TOKEN=explicit-value').errors).toEqual([]);
  });
});
