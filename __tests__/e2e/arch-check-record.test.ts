/**
 * The arch check's record of checked layers (src/stages/archcheck/record.ts): a layer read once is
 * judged from its recorded scan afterwards, never sent by BuildKit again nor read. It travels with
 * the local layer cache (a fresh runner) and stays in the host's tool cache folder (an engine that
 * keeps its build cache); the verdict comes from the record.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describeBuildkit } from './buildkit.js';
import { buildSteps } from './cache-helpers.js';
import { type StandIn, startCacheStandIn } from './cache-standin.js';
import { makeWorkspace, REGISTRY, runJob, uniqueName } from './harness.js';

const T = 600_000;
/** Every platform gets busybox-amd64 at /usr/local/bin/tool; app.txt is the file a change touches. */
const WRONG =
  'FROM scratch\nARG TARGETARCH\nCOPY busybox-$TARGETARCH /bin/busybox\nCOPY busybox-amd64 /usr/local/bin/tool\nCOPY app.txt /app.txt\n';
const PLATFORMS = 'linux/amd64,linux/arm64';
const CONTAINER = { driver: 'docker-container', 'driver-opts': 'image=moby/buildkit:buildx-stable-1' };

const wrongArm = /linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/;
const line = (read: number, recorded: number) =>
  new RegExp(
    `arch-check linux/arm64: 2 ELF file\\(s\\) in 3 file\\(s\\), ${read} of 3 layer\\(s\\) read${recorded ? `, ${recorded} from the record of checked layers` : ''}, 1 for another architecture`,
  );
/** "N of M recorded layer(s) left unwritten by the build": both numbers. */
function unwritten(stdout: string): [number, number] | undefined {
  const m = /arch-check: (\d+) of (\d+) recorded layer\(s\) left unwritten by the build/.exec(stdout);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}
const tmpDir = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

describeBuildkit('arch-check: the record of checked layers', () => {
  let service: StandIn;
  beforeAll(async () => {
    service = await startCacheStandIn();
  }, T);
  afterAll(async () => service?.close(), T);

  test(
    'through the local layer cache: a fresh runner reads no layer, BuildKit sends none, the verdict stands',
    async () => {
      const root = tmpDir('mae2e-record-');
      const temp = path.join(root, 'runner-temp');
      // a fresh runner each time: the same RUNNER_TEMP path, emptied, and an empty host folder
      const fresh = () => {
        fs.rmSync(temp, { recursive: true, force: true });
        fs.mkdirSync(temp, { recursive: true });
        return { runnerTemp: temp, env: { ...service.env, RUNNER_TOOL_CACHE: tmpDir('mae2e-toolcache-') } };
      };
      const ws = makeWorkspace(WRONG, { 'app.txt': `${uniqueName('record')}\n` });
      const inputs = { platforms: PLATFORMS, push: 'false', ...CONTAINER };
      const run1 = await runJob({ workspace: ws, inputs, sha: 'a'.repeat(40), ...fresh() });
      expect(run1.main.errors.join('\n')).toMatch(wrongArm);
      expect(run1.main.outputs['cache-hit']).toBe('miss');
      expect(run1.main.stdout).toMatch(line(3, 0));
      // the check failed, the build succeeded: its cache (with the record) is saved all the same
      expect(run1.main.stdout).toMatch(/layer cache: saved: /);

      const run2 = await runJob({ workspace: ws, inputs, sha: 'b'.repeat(40), ...fresh() });
      expect(run2.main.outputs['cache-hit']).toBe('partial');
      expect(run2.main.outputs.builder).not.toBe(run1.main.outputs.builder);
      // BuildKit's local cache importer took the folder with the record in it: every instruction
      // CACHED (a FROM scratch COPY of the same file on both platforms is one step, shown CACHED once)
      const s2 = buildSteps(run2.main.stdout + run2.main.stderr);
      const instruction = (name: string) => name.replace(/^\[[^\]]*\] /, '');
      const cached = new Set(s2.filter((s) => s.cached).map((s) => instruction(s.name)));
      expect(s2.length).toBeGreaterThan(0);
      expect(s2.filter((s) => !cached.has(instruction(s.name)))).toEqual([]);
      expect(run2.main.stdout).toMatch(line(0, 3));
      // every recorded layer's placeholder is still empty: BuildKit did not send it
      const [left, seeded] = unwritten(run2.main.stdout) ?? [-1, -1];
      expect(seeded).toBeGreaterThanOrEqual(3);
      expect(left).toBe(seeded);
      // the verdict comes from the record
      expect(run2.main.errors.join('\n')).toMatch(wrongArm);
      expect(run2.main.summary).toContain('| linux/arm64 | **1 wrong** (amd64) | 2 | 3 | 0 of 3, 3 from the record |');

      // a changed file: only its layer is read (the record restored is run 1's)
      fs.writeFileSync(path.join(ws, 'app.txt'), 'changed\n');
      const run3 = await runJob({ workspace: ws, inputs, sha: 'c'.repeat(40), ...fresh() });
      expect(run3.main.stdout).toMatch(line(1, 2));
      expect(run3.main.errors.join('\n')).toMatch(wrongArm);
    },
    T,
  );

  test(
    "the docker driver (the engine keeps its cache): the host folder's record, no layer read again",
    async () => {
      const env = { RUNNER_TOOL_CACHE: tmpDir('mae2e-toolcache-') };
      const ws = makeWorkspace(WRONG, { 'app.txt': `${uniqueName('record-docker')}\n` });
      const image = uniqueName('e2e/record-docker');
      const inputs = { images: image, tags: 'v1', platforms: PLATFORMS, push: 'false', driver: 'docker' };
      const run1 = await runJob({ workspace: ws, inputs, env });
      expect(run1.main.stdout).toMatch(line(3, 0));
      // one record a repository, in folders only this user may write
      const scopes = path.join(env.RUNNER_TOOL_CACHE, 'multiarch-action', 'arch-check');
      const [scope, ...others] = fs.readdirSync(scopes);
      expect(others).toEqual([]);
      expect(fs.readdirSync(path.join(scopes, scope!))).toEqual(['record.json.gz']);
      expect(fs.statSync(path.join(scopes, scope!)).mode & 0o777).toBe(0o700);
      const run2 = await runJob({ workspace: ws, inputs, env });
      expect(run2.main.stdout).toMatch(line(0, 3));
      const [left, seeded] = unwritten(run2.main.stdout) ?? [-1, -1];
      expect(seeded).toBeGreaterThanOrEqual(3);
      expect(left).toBe(seeded);
      expect(run2.main.errors.join('\n')).toMatch(wrongArm);
      // the check read its own marked copy; the step's outputs name the image the engine stored
      const stored = execFileSync('docker', ['image', 'inspect', '--format', '{{.Id}}', `${image}:v1`], {
        encoding: 'utf8',
      }).trim();
      execFileSync('docker', ['image', 'rm', `${image}:v1`], { stdio: 'ignore' });
      expect(run2.main.outputs.imageid).toBe(stored);
      expect(run2.main.outputs.digest).toBe(stored);
    },
    T,
  );

  test(
    'pushed: recorded layers are not fetched from the registry again',
    async () => {
      const env = { RUNNER_TOOL_CACHE: tmpDir('mae2e-toolcache-') };
      const ws = makeWorkspace(WRONG, { 'app.txt': `${uniqueName('record-push')}\n` });
      const inputs = {
        images: `${REGISTRY}/${uniqueName('e2e/arch-record')}`,
        tags: 'v1',
        push: 'true',
        platforms: PLATFORMS,
      };
      const run1 = await runJob({ workspace: ws, inputs, env });
      expect(run1.main.outputs.pushed).toBe('true');
      expect(run1.main.stdout).toMatch(line(3, 0));
      const run2 = await runJob({ workspace: ws, inputs, env });
      expect(run2.main.stdout).toMatch(line(0, 3));
      expect(run2.main.errors.join('\n')).toMatch(wrongArm);
    },
    T,
  );
});
