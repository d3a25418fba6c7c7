/** The REST API reader (completeFromApi) against a loopback fake server, and with a fake fetch. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { actionsFetch, completeFromApi, type FetchFn } from '../../../src/context/github-api.js';
import { readMetaContext } from '../../../src/context/run-context.js';
import { FIXTURES, SHA } from '../fixtures/events.js';

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
        res.end(
          JSON.stringify({
            name: 'Hello-World',
            description: 'from api',
            html_url: 'https://github.com/octocat/Hello-World',
            default_branch: 'main',
            license: { spdx_id: 'Apache-2.0' },
          }),
        );
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
    expect(out.meta.repo).toEqual({
      name: 'Hello-World',
      description: 'from api',
      htmlUrl: 'https://github.com/octocat/Hello-World',
      license: 'Apache-2.0',
      defaultBranch: 'main',
    });
    expect(out.meta.commitDate).toBe('2020-01-08T10:00:00Z');
    expect(seen).toContain('/api/repos/octocat/Hello-World auth=Bearer tok');
  });

  test('asks nothing when the payload has it all', async () => {
    seen.length = 0;
    const meta = readMetaContext(
      { ...FIXTURES['tag v1.2.3'].env, GITHUB_API_URL: base },
      FIXTURES['tag v1.2.3'].payload,
    );
    const out = await completeFromApi(meta, true, { fetch: actionsFetch() });
    expect(seen).toEqual([]);
    expect(out.meta).toEqual(meta);
  });

  test('an API that never answers: the timeout ends the wait with a warning', async () => {
    const meta = readMetaContext(
      { ...FIXTURES.schedule.env, GITHUB_API_URL: base.replace('/api', '/slow') },
      FIXTURES.schedule.payload,
    );
    const out = await completeFromApi(meta, false, { fetch: actionsFetch(), timeoutMs: 300 });
    expect(out.warnings).toEqual([
      expect.stringMatching(/could not read repository data from .*\/slow\/repos\/octocat\/Hello-World/),
    ]);
  });

  test('unreachable API: warnings, never a throw, payload values kept', async () => {
    const meta = readMetaContext(
      { ...FIXTURES.schedule.env, GITHUB_API_URL: 'http://127.0.0.1:9/api' },
      FIXTURES.schedule.payload,
    );
    const out = await completeFromApi(meta, true, { fetch: actionsFetch(), timeoutMs: 2000 });
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[0]).toMatch(/could not read repository data from http:\/\/127\.0\.0\.1:9\/api/);
    expect(out.meta.repo.name).toBe('Hello-World');
    expect(out.meta.commitDate).toBeUndefined();
  });
});

// the API's repository object is mapped as the payload's (repoInfoFrom): before, the API reader
// dropped a number (description: 2024 → '') where the payload reader wrote it out ('2024')
test('API repository data: the same mapping as the payload, numbers written out', async () => {
  const fetch: FetchFn = async () => ({
    ok: true,
    status: 200,
    json: async () => ({ name: 'Hello-World', description: 2024, html_url: 5, license: null }),
  });
  const meta = readMetaContext(FIXTURES.schedule.env, FIXTURES.schedule.payload);
  const out = await completeFromApi(meta, false, { fetch });
  expect(out.warnings).toEqual([]);
  expect(out.meta.repo).toEqual({
    name: 'Hello-World',
    description: '2024',
    htmlUrl: '5',
    license: '',
    defaultBranch: '',
  });
  expect(out.meta.repoFromPayload).toBe(true);
});

test('API answer without a name or URL: the payload fallbacks stay', async () => {
  const fetch: FetchFn = async () => ({ ok: true, status: 200, json: async () => ({ description: 'd' }) });
  const meta = readMetaContext(FIXTURES.schedule.env, FIXTURES.schedule.payload);
  const out = await completeFromApi(meta, false, { fetch });
  expect(out.meta.repo).toEqual({
    name: meta.repo.name,
    description: 'd',
    htmlUrl: meta.repo.htmlUrl,
    license: '',
    defaultBranch: '',
  });
});
