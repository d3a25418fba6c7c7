import { explainBuildFailure, planBuild } from '../../../../src/stages/build/plan.js';

describe('planBuild', () => {
  const base = {
    builder: 'default',
    platforms: ['linux/amd64', 'linux/arm64'],
    context: '/ws',
    file: '/ws/Dockerfile',
    buildArgs: [],
    refs: [],
    push: false,
    metadataFile: '/t/m.json',
  };
  test.each([
    [
      'minimal',
      {},
      [
        'docker',
        'buildx',
        'build',
        '--builder',
        'default',
        '--platform',
        'linux/amd64,linux/arm64',
        '--file',
        '/ws/Dockerfile',
        '--metadata-file',
        '/t/m.json',
        '/ws',
      ],
    ],
    [
      'tags, args, push',
      { refs: ['r/a:1', 'r/a:2'], buildArgs: ['A=1', 'B=x y'], push: true },
      [
        'docker',
        'buildx',
        'build',
        '--builder',
        'default',
        '--platform',
        'linux/amd64,linux/arm64',
        '--file',
        '/ws/Dockerfile',
        '--build-arg',
        'A=1',
        '--build-arg',
        'B=x y',
        '--tag',
        'r/a:1',
        '--tag',
        'r/a:2',
        '--metadata-file',
        '/t/m.json',
        '--push',
        '/ws',
      ],
    ],
    [
      'remote context without file',
      { context: 'https://github.com/o/r.git#main', file: '' },
      [
        'docker',
        'buildx',
        'build',
        '--builder',
        'default',
        '--platform',
        'linux/amd64,linux/arm64',
        '--metadata-file',
        '/t/m.json',
        'https://github.com/o/r.git#main',
      ],
    ],
  ])('%s', (_n, over, want) => expect(planBuild({ ...base, ...over })).toEqual(want));
});

test('explainBuildFailure finds the ERROR line and the Dockerfile location', () => {
  const stderr = [
    '#7 ERROR: process "/bin/busybox false" did not complete successfully: exit code: 1',
    '------',
    'Dockerfile:4',
    '--------------------',
    '   4 | >>> RUN ["/bin/busybox", "false"]',
    '--------------------',
    'ERROR: failed to solve: process "/bin/busybox false" did not complete successfully: exit code: 1',
  ].join('\n');
  expect(explainBuildFailure(stderr)).toEqual({
    message: 'failed to solve: process "/bin/busybox false" did not complete successfully: exit code: 1',
    file: 'Dockerfile',
    line: 4,
  });
});

describe('explainBuildFailure on real buildx 0.13 output', () => {
  const RUN_FAIL = `#5 [2/2] RUN ["/bin/busybox", "sh", "-c", "echo boom >&2; exit 3"]
#5 0.059 boom
#5 ERROR: process "/bin/busybox sh -c echo boom >&2; exit 3" did not complete successfully: exit code: 3
------
 > [2/2] RUN ["/bin/busybox", "sh", "-c", "echo boom >&2; exit 3"]:
0.059 boom
------
app.Dockerfile:4
--------------------
   2 |     COPY busybox-amd64 /bin/busybox
   3 |
   4 | >>> RUN ["/bin/busybox", "sh", "-c", "echo boom >&2; exit 3"]
   5 |
--------------------
ERROR: failed to solve: process "/bin/busybox sh -c echo boom >&2; exit 3" did not complete successfully: exit code: 3
`;
  const PARSE_FAIL = `#1 [internal] load build definition from Dockerfile.c
#1 transferring dockerfile: 65B done
#1 DONE 0.0s
Dockerfile.c:2
--------------------
   1 |     FROM scratch
   2 | >>> FROBNICATE x
   3 |
--------------------
ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: FROBNICATE
`;
  const COPY_FAIL = `#4 [1/1] COPY nope /x
#4 ERROR: failed to calculate checksum of ref m8::a0: "/nope": not found
------
 > [1/1] COPY nope /x:
------
App.containerfile:2
--------------------
   1 |     FROM scratch
   2 | >>> COPY nope /x
   3 |
--------------------
ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref m8::a0: "/nope": not found
`;
  test.each<[string, string, string | undefined, ReturnType<typeof explainBuildFailure>]>([
    [
      'RUN failure, file mapped to the workspace path',
      RUN_FAIL,
      'docker/app.Dockerfile',
      {
        message:
          '[2/2] RUN ["/bin/busybox", "sh", "-c", "echo boom >&2; exit 3"]: failed to solve: process "/bin/busybox sh -c echo boom >&2; exit 3" did not complete successfully: exit code: 3',
        file: 'docker/app.Dockerfile',
        line: 4,
      },
    ],
    [
      'parse error',
      PARSE_FAIL,
      'Dockerfile.c',
      {
        message: 'failed to solve: dockerfile parse error on line 2: unknown instruction: FROBNICATE',
        file: 'Dockerfile.c',
        line: 2,
      },
    ],
    [
      'any file name, not only *Dockerfile*',
      COPY_FAIL,
      'build/App.containerfile',
      {
        message: expect.stringMatching(/^\[1\/1\] COPY nope \/x: failed to solve: .*not found$/) as unknown as string,
        file: 'build/App.containerfile',
        line: 2,
      },
    ],
    [
      'another file name is kept as buildx printed it',
      COPY_FAIL,
      'Dockerfile',
      { message: expect.any(String) as unknown as string, file: 'App.containerfile', line: 2 },
    ],
    [
      'no location',
      'ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n',
      undefined,
      {
        message: 'failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory',
        file: undefined,
        line: undefined,
      },
    ],
    [
      'no ERROR line',
      'something odd\nlast words\n',
      undefined,
      { message: 'last words', file: undefined, line: undefined },
    ],
  ])('%s', (_n, stderr, dockerfile, want) => {
    expect(explainBuildFailure(stderr, dockerfile)).toEqual(want);
  });
});
