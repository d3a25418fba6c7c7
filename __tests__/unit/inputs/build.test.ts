import { dockerfileName } from '../../../src/inputs/build.js';

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
