import { gitContext, type GitProbe, parseRemoteUrl, probeGit } from '../../../src/context/git.js';
import { fakeExec } from '../fakes.js';

describe('parseRemoteUrl', () => {
  const cases: [string, ReturnType<typeof parseRemoteUrl>][] = [
    [
      'https://github.com/octo-org/octo-repo.git',
      { serverUrl: 'https://github.com', repository: 'octo-org/octo-repo' },
    ],
    ['https://github.com/octo-org/octo-repo', { serverUrl: 'https://github.com', repository: 'octo-org/octo-repo' }],
    ['https://x-access-token:secret@github.com/o/r.git', { serverUrl: 'https://github.com', repository: 'o/r' }],
    ['git@github.com:octo-org/octo-repo.git', { serverUrl: 'https://github.com', repository: 'octo-org/octo-repo' }],
    ['ssh://git@ghe.example.com:2222/team/app.git', { serverUrl: 'https://ghe.example.com', repository: 'team/app' }],
    [
      'https://gitlab.example.com/group/sub/app.git',
      { serverUrl: 'https://gitlab.example.com', repository: 'group/sub/app' },
    ],
    ['http://127.0.0.1:3000/o/r', { serverUrl: 'http://127.0.0.1:3000', repository: 'o/r' }],
    ['/srv/git/repo.git', undefined],
    ['file:///srv/git/o/r.git', undefined],
    ['https://github.com/justone', undefined],
  ];
  test.each(cases)('%s', (url, want) => {
    expect(parseRemoteUrl(url)).toEqual(want);
  });
});

describe('gitContext: the env and payload a GitHub runner would give', () => {
  const base: GitProbe = {
    sha: 'a'.repeat(40),
    branch: 'main',
    tags: [],
    remoteUrl: 'git@github.com:octo-org/octo-repo.git',
    commitDate: '2026-01-02T03:04:05Z',
  };
  const cases: [string, GitProbe, NodeJS.ProcessEnv, Record<string, string>][] = [
    [
      'branch push',
      base,
      {},
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' },
    ],
    [
      'tag at HEAD wins over the branch',
      { ...base, tags: ['v1.2.3', 'v1.2'] },
      {},
      { GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_REF_TYPE: 'tag' },
    ],
    [
      'detached HEAD with a tag',
      { ...base, branch: undefined, tags: ['v2.0.0'] },
      {},
      { GITHUB_REF: 'refs/tags/v2.0.0' },
    ],
    ['detached HEAD, no tag', { ...base, branch: undefined }, {}, { GITHUB_REF: '' }],
    [
      'repository and server from the remote',
      base,
      {},
      {
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_REPOSITORY_OWNER: 'octo-org',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_SHA: 'a'.repeat(40),
      },
    ],
    [
      'no remote',
      { ...base, remoteUrl: undefined },
      {},
      { GITHUB_REPOSITORY: '', GITHUB_SERVER_URL: 'https://github.com' },
    ],
    [
      'GitLab tag pipeline',
      { ...base, branch: undefined },
      {
        GITLAB_CI: 'true',
        CI_COMMIT_TAG: 'v3.0.0',
        CI_PROJECT_PATH: 'g/sub/app',
        CI_SERVER_URL: 'https://gitlab.example.com',
        CI_COMMIT_SHA: 'b'.repeat(40),
      },
      {
        GITHUB_REF: 'refs/tags/v3.0.0',
        GITHUB_REPOSITORY: 'g/sub/app',
        GITHUB_SERVER_URL: 'https://gitlab.example.com',
        GITHUB_SHA: 'b'.repeat(40),
      },
    ],
    [
      'GitLab branch pipeline',
      { ...base, branch: undefined },
      { GITLAB_CI: 'true', CI_COMMIT_BRANCH: 'dev' },
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/dev' },
    ],
    [
      'GitLab merge request',
      { ...base, branch: undefined },
      { GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '7' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
    ],
    ['CI_* ignored outside GitLab', base, { CI_COMMIT_TAG: 'v9.9.9' }, { GITHUB_REF: 'refs/heads/main' }],
  ];
  test.each(cases)('%s', (_name, probe, env, want) => {
    expect(gitContext(probe, env).env).toMatchObject(want);
  });

  test('payload: repository default branch and html_url, head commit', () => {
    const { payload } = gitContext({ ...base, branch: 'feature', remoteHead: 'trunk' });
    expect(payload).toMatchObject({
      ref: 'refs/heads/feature',
      after: 'a'.repeat(40),
      head_commit: { id: 'a'.repeat(40), timestamp: '2026-01-02T03:04:05Z' },
      repository: {
        default_branch: 'trunk',
        html_url: 'https://github.com/octo-org/octo-repo',
        full_name: 'octo-org/octo-repo',
        name: 'octo-repo',
        owner: { login: 'octo-org' },
      },
    });
    expect(gitContext({ ...base, branch: 'master' }).payload).toMatchObject({
      repository: { default_branch: 'master' },
    });
    expect(gitContext({ ...base, branch: 'feature' }).payload).toMatchObject({
      repository: { default_branch: 'main' },
    });
  });
});

describe('probeGit: git through the exec gateway, argv only', () => {
  test('reads sha, branch, tags, remote and its HEAD', async () => {
    const answers: Record<string, string> = {
      'rev-parse --verify -q HEAD': 'c'.repeat(40),
      'symbolic-ref -q --short HEAD': 'main',
      'tag --points-at HEAD --sort=-version:refname': 'v1.2.3\nv1.2\n',
      remote: 'upstream\norigin\n',
      'remote get-url origin': 'https://github.com/o/r.git',
      'symbolic-ref -q --short refs/remotes/origin/HEAD': 'origin/trunk',
      'log -1 --format=%cI HEAD': '2026-01-02T03:04:05+00:00',
    };
    const exec = fakeExec((req) => {
      const key = req.argv.slice(1).join(' ');
      return key in answers ? { stdout: `${answers[key]}\n` } : { code: 1 };
    });
    const { calls } = exec;
    const probe = await probeGit(exec, '/repo');
    expect(probe).toEqual({
      sha: 'c'.repeat(40),
      branch: 'main',
      tags: ['v1.2.3', 'v1.2'],
      remoteUrl: 'https://github.com/o/r.git',
      remoteHead: 'trunk',
      commitDate: '2026-01-02T03:04:05+00:00',
    });
    expect(calls.every((c) => c.argv[0] === 'git' && c.cwd === '/repo' && c.silent)).toBe(true);
  });

  test('not a git checkout (or no git): an empty probe, no throw', async () => {
    const probe = await probeGit(
      async () => ({ code: 128, stdout: '', stderr: 'fatal: not a git repository' }),
      '/tmp',
    );
    expect(probe).toEqual({ tags: [], problem: '/tmp is not inside a git repository' });
    expect(gitContext(probe).env.GITHUB_REF).toBe('');
  });

  // not "detached HEAD" when there is no checkout or no commit at all
  test('a repository with no commit yet, and no git on PATH, are said as such', async () => {
    const noCommit = await probeGit(
      async (req) =>
        req.argv.includes('--git-dir')
          ? { code: 0, stdout: '.git\n', stderr: '' }
          : { code: 1, stdout: '', stderr: '' },
      '/r',
    );
    expect(noCommit.problem).toBe('the git repository has no commit yet');
    const noGit = await probeGit(
      async () => ({ code: 127, stdout: '', stderr: 'git: command not found (not on PATH); cannot run git' }),
      '/r',
    );
    expect(noGit.problem).toBe('git not found on PATH: install it or put it on PATH');
  });
});
