/** The meta context from env + event payload (the REST API reader: github-api.test.ts). */
import { readMetaContext, repoInfoFrom } from '../../../src/context/run-context.js';
import { HEAD_SHA, metaContext } from '../fixtures/events.js';

test('pull_request: merge sha by default, PR number, base ref', () => {
  const m = metaContext('pull_request');
  expect(m).toMatchObject({
    ref: 'refs/pull/15/merge',
    sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    prNumber: 15,
    prHeadSha: HEAD_SHA,
    prBaseRef: 'master',
  });
  expect(metaContext('pull_request', { DOCKER_METADATA_PR_HEAD_SHA: 'true' }).sha).toBe(HEAD_SHA);
});

test('pull_request_target: ref rewritten to the PR merge ref', () => {
  expect(metaContext('pull_request_target').ref).toBe('refs/pull/15/merge');
});

test('push: repository data and commit date from the payload', () => {
  const m = metaContext('tag v1.2.3');
  expect(m.repo).toEqual({
    name: 'Hello-World',
    description: 'This your first repo!',
    htmlUrl: 'https://github.com/octocat/Hello-World',
    license: 'MIT',
    defaultBranch: 'master',
  });
  expect(m.repoFromPayload).toBe(true);
  expect(m.commitDate).toBe('2020-01-09T20:15:00-05:00');
  expect(m.pushBaseRef).toBe('refs/heads/master');
});

test('schedule: cron line, no repository in the payload', () => {
  const m = metaContext('schedule');
  expect(m.schedule).toBe('0 10 * * *');
  expect(m.repoFromPayload).toBe(false);
});

test('annotation levels and GITHUB_API_URL from env', () => {
  const m = readMetaContext(
    { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest, index', GITHUB_API_URL: 'https://ghe.example/api/v3/' },
    {},
  );
  expect(m.annotationLevels).toEqual(['manifest', 'index']);
  expect(m.apiUrl).toBe('https://ghe.example/api/v3');
});

test('repoInfoFrom: one mapping for the payload and the API; a number is written out, other non-text is empty', () => {
  const fallback = { name: 'fb', htmlUrl: 'https://fb' };
  expect(
    repoInfoFrom(
      { name: 42, description: 7, html_url: null, license: { spdx_id: ['MIT'] }, default_branch: {} },
      fallback,
    ),
  ).toEqual({
    name: '42',
    description: '7',
    htmlUrl: 'https://fb',
    license: '',
    defaultBranch: '',
  });
  expect(repoInfoFrom({}, fallback)).toEqual({
    name: 'fb',
    description: '',
    htmlUrl: 'https://fb',
    license: '',
    defaultBranch: '',
  });
});

test('payload repository with a numeric description: written out (as the API reader does now)', () => {
  const m = readMetaContext({ GITHUB_REPOSITORY: 'o/r' }, { repository: { name: 'r', description: 2024 } });
  expect(m.repo).toEqual({
    name: 'r',
    description: '2024',
    htmlUrl: 'https://github.com/o/r',
    license: '',
    defaultBranch: '',
  });
});
