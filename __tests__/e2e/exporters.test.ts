import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { makeWorkspace, runJob, uniqueName } from './harness.js';

/** Two platforms, a file of its own per build, no RUN step (nothing needs emulation or the network). */
const DOCKERFILE = 'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY id /id\n';

// buildx refuses --iidfile with the local and tar exporters; the step must
// export the files and leave imageid and digest empty (there is no image), not fail
describe('outputs: the local and tar exporters write files', () => {
  const dest = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ma-exp-'));

  test('type=local: one folder per platform with the image files; imageid and digest are empty', async () => {
    const out = dest();
    const job = await runJob({
      workspace: makeWorkspace(DOCKERFILE, { id: uniqueName('local') }),
      inputs: { images: '', platforms: 'linux/amd64,linux/arm64', outputs: `type=local,dest=${out}`, cache: 'none' },
      traceDocker: true,
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    const build = job.main.dockerCalls.find((c) => c[0] === 'buildx' && c[1] === 'build')!;
    expect(build).not.toContain('--iidfile');
    expect(build).toContain('--metadata-file');
    expect(fs.readdirSync(out).sort()).toEqual(['linux_amd64', 'linux_arm64']);
    expect(fs.existsSync(path.join(out, 'linux_arm64', 'bin', 'busybox'))).toBe(true);
    expect(job.main.outputs).toMatchObject({ imageid: '', digest: '', pushed: 'false' });
    expect(job.post.code).toBe(0);
  }, 300_000);

  test('type=tar: a tar file with both platforms', async () => {
    const file = path.join(dest(), 'image.tar');
    const job = await runJob({
      workspace: makeWorkspace(DOCKERFILE, { id: uniqueName('tar') }),
      inputs: { images: '', platforms: 'linux/amd64,linux/arm64', outputs: `type=tar,dest=${file}`, cache: 'none' },
    });
    expect(job.main.errors).toEqual([]);
    expect(job.main.code).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    expect(job.main.outputs).toMatchObject({ imageid: '', digest: '' });
  }, 300_000);
});
