/**
 * Repository data the payload lacks (schedule events carry none) comes from the REST API at
 * GITHUB_API_URL — here a loopback fake server; an unreachable API only warns.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { BUSYBOX_DOCKERFILE, makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

const SCHEDULE = { eventName: 'schedule', ref: 'refs/heads/main', payload: { schedule: '0 4 * * *' } };
const TAGS =
  "type=schedule,pattern=nightly-{{date 'YYYYMMDD'}}\ntype=edge\ntype=raw,value=latest,enable={{is_default_branch}}";

describe('meta: repository data from GITHUB_API_URL (bundled action, dry-run)', () => {
  let server: http.Server;
  let api: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v3/repos/octo-org/octo-repo') {
        res.end(
          JSON.stringify({
            name: 'octo-repo',
            description: 'From the API',
            html_url: 'https://ghe.example/octo-org/octo-repo',
            default_branch: 'main',
            license: { spdx_id: 'Apache-2.0' },
          }),
        );
      } else {
        res.statusCode = 404;
        res.end('{"message":"Not Found"}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('schedule: labels and the default branch (edge) from the fake API; sep-tags honoured', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/meta-api')}`;
    const job = await runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      ...SCHEDULE,
      env: { GITHUB_API_URL: api },
      inputs: { images: image, tags: TAGS, 'sep-tags': ',', 'dry-run': 'true' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.warnings).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(requests).toContain('/api/v3/repos/octo-org/octo-repo');
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(job.main.outputs.tags).toBe(`${image}:nightly-${day},${image}:edge,${image}:latest`);
    expect(job.main.outputs.version).toBe(`nightly-${day}`);
    expect(job.main.outputs.labels).toContain('org.opencontainers.image.description=From the API');
    expect(job.main.outputs.labels).toContain('org.opencontainers.image.licenses=Apache-2.0');
  });

  test('schedule with the API unreachable: a ::warning, and the run still succeeds', async () => {
    const image = `${REGISTRY}/${uniqueName('e2e/meta-noapi')}`;
    const job = await runJob({
      workspace: makeWorkspace(BUSYBOX_DOCKERFILE),
      ...SCHEDULE,
      env: { GITHUB_API_URL: 'http://127.0.0.1:9/api' },
      inputs: { images: image, tags: TAGS, 'dry-run': 'true' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(job.main.warnings.join('\n')).toMatch(/could not read repository data from http:\/\/127\.0\.0\.1:9\/api/);
    // no default branch known: no edge; a schedule still counts as the default branch
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    expect(job.main.outputs.tags).toBe(`${image}:nightly-${day}\n${image}:latest`);
    expect(job.main.outputs.labels).toContain('org.opencontainers.image.title=octo-repo');
  });
});
