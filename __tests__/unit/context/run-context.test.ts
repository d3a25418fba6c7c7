/** The meta context: env + payload reading, and the REST API reader against a loopback fake server. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMetaContext } from '../../../src/context/run-context.js';
import { actionsFetch, completeFromApi } from '../../../src/context/github-api.js';
import { FIXTURES, HEAD_SHA, metaContext, SHA } from '../fixtures/events.js';

test('pull_request: merge sha by default, PR number, base ref', () => {
  const m = metaContext('pull_request');
  expect(m).toMatchObject({ ref: 'refs/pull/15/merge', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', prNumber: 15, prHeadSha: HEAD_SHA, prBaseRef: 'master' });
  expect(metaContext('pull_request', { DOCKER_METADATA_PR_HEAD_SHA: 'true' }).sha).toBe(HEAD_SHA);
});

test('pull_request_target: ref rewritten to the PR merge ref', () => {
  expect(metaContext('pull_request_target').ref).toBe('refs/pull/15/merge');
});

test('push: repository data and commit date from the payload', () => {
  const m = metaContext('tag v1.2.3');
  expect(m.repo).toEqual({ name: 'Hello-World', description: 'This your first repo!', htmlUrl: 'https://github.com/octocat/Hello-World', license: 'MIT', defaultBranch: 'master' });
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
  const m = readMetaContext({ DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest, index', GITHUB_API_URL: 'https://ghe.example/api/v3/' }, {});
  expect(m.annotationLevels).toEqual(['manifest', 'index']);
  expect(m.apiUrl).toBe('https://ghe.example/api/v3');
});

describe('REST API reader (loopback fake server)', () => {
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} auth=${req.headers.authorization ?? ''}`);
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/slow/')) return; // never answers: the reader's timeout must end it
      if (req.url === '/api/repos/octocat/Hello-World') {
        res.end(JSON.stringify({ name: 'Hello-World', description: 'from api', html_url: 'https://github.com/octocat/Hello-World', default_branch: 'main', license: { spdx_id: 'Apache-2.0' } }));
      } else if (req.url === `/api/repos/octocat/Hello-World/commits/${SHA}`) {
        res.end(JSON.stringify({ commit: { committer: { date: '2020-01-08T10:00:00Z' } } }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('fills repository data a schedule payload lacks, and the commit date when asked', async () => {
    const meta = readMetaContext({ ...FIXTURES.schedule.env, GITHUB_API_URL: base }, FIXTURES.schedule.payload);
    const out = await completeFromApi(meta, true, { fetch: actionsFetch(), token: 'tok' });
    expect(out.warnings).toEqual([]);
    expect(out.meta.repo).toEqual({ name: 'Hello-World', description: 'from api', htmlUrl: 'https://github.com/octocat/Hello-World', license: 'Apache-2.0', defaultBranch: 'main' });
    expect(out.meta.commitDate).toBe('2020-01-08T10:00:00Z');
    expect(seen).toContain('/api/repos/octocat/Hello-World auth=Bearer tok');
  });

  test('asks nothing when the payload has it all', async () => {
    seen.length = 0;
    const meta = readMetaContext({ ...FIXTURES['tag v1.2.3'].env, GITHUB_API_URL: base }, FIXTURES['tag v1.2.3'].payload);
    const out = await completeFromApi(meta, true, { fetch: actionsFetch() });
    expect(seen).toEqual([]);
    expect(out.meta).toEqual(meta);
  });

  test('an API that never answers: the timeout ends the wait with a warning', async () => {
    const meta = readMetaContext({ ...FIXTURES.schedule.env, GITHUB_API_URL: base.replace('/api', '/slow') }, FIXTURES.schedule.payload);
    const out = await completeFromApi(meta, false, { fetch: actionsFetch(), timeoutMs: 300 });
    expect(out.warnings).toEqual([expect.stringMatching(/could not read repository data from .*\/slow\/repos\/octocat\/Hello-World/)]);
  });

  test('unreachable API: warnings, never a throw, payload values kept', async () => {
    const meta = readMetaContext({ ...FIXTURES.schedule.env, GITHUB_API_URL: 'http://127.0.0.1:9/api' }, FIXTURES.schedule.payload);
    const out = await completeFromApi(meta, true, { fetch: actionsFetch(), timeoutMs: 2000 });
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[0]).toMatch(/could not read repository data from http:\/\/127\.0\.0\.1:9\/api/);
    expect(out.meta.repo.name).toBe('Hello-World');
    expect(out.meta.commitDate).toBeUndefined();
  });
});
