import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { makeWorkspace, runJob, uniqueName } from './harness.js';

const DOCKERFILE =
  'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY id /id\nCOPY app.txt /app.txt\n';

let service: StandIn;
beforeAll(async () => {
  service = await startCacheStandIn();
}, 120_000);
afterAll(async () => {
  await service?.close();
});

// two self-hosted runs sharing RUNNER_TEMP used one multiarch-cache/<id>
// folder: one run's restore deleted the other's export, whose cache was then silently not saved
test('two runs at once on one RUNNER_TEMP: each builds from and exports to its own folder; each saves or says why not', async () => {
  const runnerTemp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mae2e-shared-')), 'runner-temp');
  fs.mkdirSync(runnerTemp, { recursive: true });
  const ws = makeWorkspace(DOCKERFILE, { id: uniqueName('shared'), 'app.txt': 'x\n' });
  const job = (sha: string) =>
    runJob({
      workspace: ws,
      inputs: { platforms: 'linux/amd64', push: 'false' },
      env: service.env,
      runnerTemp,
      sha: sha.repeat(40),
    });
  const jobs = await Promise.all([job('a'), job('b'), job('c')]);
  for (const j of jobs) {
    expect(j.main.errors).toEqual([]);
    expect(j.main.code).toBe(0);
    for (const w of j.main.warnings)
      expect(w).toMatch(/another run on this machine is restoring or saving the same cache folder/);
    // saved, or said why not: never a cache silently lost
    expect(j.main.summary).toMatch(
      /saved: [\d.]+ (B|KiB|MiB) as multiarch-|saved: nothing \(another run on this machine/,
    );
    expect(j.main.summary).not.toMatch(/not a valid cache folder|export is empty/);
    // the build's cache folders are the run's own, in its temp folder
    const build = j.main.stdout.split('\n').find((l) => l.includes('buildx build') && l.includes('--cache-to'))!;
    expect(build).toMatch(/multiarch-[^/\s]+\/layer-cache/);
    expect(build).not.toMatch(/multiarch-cache\/[0-9a-f]{16}-new/);
    expect(j.post.code).toBe(0);
  }
  const saved = jobs.filter((j) => /saved: [\d.]+ (B|KiB|MiB) as/.test(j.main.summary)).length;
  expect(saved).toBeGreaterThan(0);
  expect(service.entries.filter((e) => e.finalized)).toHaveLength(saved);
  console.log(
    `3 runs at once on one RUNNER_TEMP: ${saved} saved, ${3 - saved} said another run held the shared folder`,
  );
  expect(fs.readdirSync(runnerTemp)).toEqual([]);
}, 300_000);
