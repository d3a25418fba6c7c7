/**
 * A pull request's smoke test on a docker-container builder over this containerd-store engine: the
 * step's one build also loads the image (a docker exporter under a run-unique tag), so nothing is
 * built again; the step's outputs are those of a run without the smoke test. And a `load: true`
 * build is arch-checked from an export beside its load, its imageid still the loaded image's.
 */
import { execFileSync } from 'node:child_process';

import { builderLeftovers, createdBuilder, describeBuildkit, sharedDocker } from './buildkit.js';
import { BUSYBOX_DOCKERFILE, docker, makeWorkspace, REGISTRY, runJob, uniqueName, type Workflow } from './harness.js';

const T = 600_000;
const BOTH = 'linux/amd64,linux/arm64';
const CONTAINER = { driver: 'docker-container', 'driver-opts': 'image=moby/buildkit:buildx-stable-1' };
/** Every platform gets busybox-amd64 at /usr/local/bin/tool (arch-check.test.ts's wrong image). */
const WRONG = `${BUSYBOX_DOCKERFILE}COPY busybox-amd64 /usr/local/bin/tool\n`;

/** A workspace that is a git checkout of one commit at a fixed time (reproducible's source date); its sha. */
function committed(ws: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid' };
  const date = { GIT_AUTHOR_DATE: '@1700000000 +0000', GIT_COMMITTER_DATE: '@1700000000 +0000' };
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', ws, ...args], {
      encoding: 'utf8',
      env: { ...env, ...date, GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' },
    }).trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'app');
  return git('rev-parse', 'HEAD');
}

const builds = (calls: string[][]) => calls.filter((a) => a[0] === 'buildx' && a[1] === 'build');
const metadataOf = (outputs: Record<string, string>) => {
  const m = JSON.parse(outputs.metadata!) as Record<string, unknown>;
  delete m['buildx.build.ref'];
  return m;
};

describeBuildkit('smoke test and arch check from the step’s one build', () => {
  const job = async (wf: Omit<Workflow, 'workspace'> & { workspace?: string }) => {
    const j = await runJob({ workspace: makeWorkspace(BUSYBOX_DOCKERFILE), traceDocker: true, ...wf });
    // the engine's own builder (driver docker) is not created, so not removed either
    if (wf.inputs?.driver !== 'docker')
      expect(builderLeftovers(createdBuilder(j.main.outputs), sharedDocker)).toEqual([]);
    return j;
  };

  test(
    'a pull request: one buildx build, uname -m x86_64 / aarch64, outputs as without the smoke test, nothing left',
    async () => {
      const ws = makeWorkspace(BUSYBOX_DOCKERFILE);
      const sha = committed(ws);
      // reproducible and no attestations: two builds of the commit make the same index, so the outputs compare
      const inputs = {
        images: `${REGISTRY}/${uniqueName('e2e/smoke-reuse')}`,
        platforms: BOTH,
        reproducible: 'true',
        provenance: 'false',
        ...CONTAINER,
      };
      const pr = { eventName: 'pull_request', ref: 'refs/pull/7/merge', workspace: ws, sha };
      const j = await job({ ...pr, inputs: { ...inputs, 'smoke-test': 'uname -m' } });
      expect(j.main.errors).toEqual([]);
      expect(j.main.code).toBe(0);
      expect(j.main.outputs.pushed).toBe('false');
      expect(JSON.parse(j.main.outputs['smoke-results']!)).toEqual({
        'linux/amd64': 'x86_64',
        'linux/arm64': 'aarch64',
      });
      const tag = /the build also loads every platform into the engine as (multiarch-smoke-[0-9a-f]+:build)/.exec(
        j.main.stdout,
      )?.[1];
      expect(tag).toBeDefined();
      expect(builds(j.main.dockerCalls)).toHaveLength(1);
      const argv = builds(j.main.dockerCalls)[0]!;
      expect(argv).toEqual(expect.arrayContaining(['--output', `type=docker,name=${tag},rewrite-timestamp=true`]));
      expect(argv).not.toContain('--tag');
      // the smoke test ran that tag per platform; main removed it, and nothing of the run is left after post
      const runs = j.main.dockerCalls.filter((a) => a[0] === 'run');
      expect(runs.map((a) => [a[a.indexOf('--platform') + 1], a.includes(tag!)]).sort()).toEqual([
        ['linux/amd64', true],
        ['linux/arm64', true],
      ]);
      expect(j.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file/);
      const id = tag!.slice('multiarch-smoke-'.length, -':build'.length);
      const left = docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']).stdout;
      expect(left).not.toContain(`multiarch-smoke-${id}`);
      expect(docker(['ps', '-a', '--format', '{{.Names}}']).stdout).not.toMatch(/multiarch-smoke-/);

      // the same commit without the smoke test: the same digest, image ID and metadata
      const plain = await job({ ...pr, inputs });
      expect(plain.main.errors).toEqual([]);
      expect(builds(plain.main.dockerCalls)[0]).toEqual(expect.arrayContaining(['--tag', `${inputs.images}:pr-7`]));
      expect(j.main.outputs.digest).toMatch(/^sha256:/);
      expect(j.main.outputs.digest).toBe(plain.main.outputs.digest);
      expect(j.main.outputs.imageid).toBe(plain.main.outputs.imageid);
      expect(metadataOf(j.main.outputs)).toEqual(metadataOf(plain.main.outputs));
      console.log(`smoke-reuse: main ${j.main.ms} ms with the smoke test, ${plain.main.ms} ms without`);
    },
    T,
  );

  test.each([['docker-container'], ['docker']])(
    'load: true on %s is arch-checked (a wrong binary fails it); imageid is the loaded image’s ID',
    async (driver) => {
      const image = uniqueName('e2e/load-check');
      const builder = driver === 'docker' ? { driver } : CONTAINER;
      const inputs = { ...builder, images: image, tags: 'v1', platforms: BOTH, load: 'true' };
      const wrong = await job({ workspace: makeWorkspace(WRONG), inputs });
      expect(wrong.main.code).not.toBe(0);
      expect(wrong.main.errors.join('\n')).toMatch(/linux\/arm64 holds 1 amd64 binary: \/usr\/local\/bin\/tool/);
      const right = await job({ inputs });
      expect(right.main.errors).toEqual([]);
      expect(right.main.code).toBe(0);
      expect(right.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file/);
      expect(builds(right.main.dockerCalls)[0]).toEqual(expect.arrayContaining(['--load']));
      const loaded = docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:v1`]).stdout.trim();
      expect(right.main.outputs.imageid).toMatch(/^sha256:/);
      expect(right.main.outputs.imageid).toBe(loaded);
      expect(right.main.outputs.digest).toBe(loaded);
      // without the check's export: the same relation (the containerd store's ID is the index digest)
      const unchecked = await job({ inputs: { ...inputs, 'arch-check': 'false' } });
      const again = docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:v1`]).stdout.trim();
      expect(unchecked.main.outputs.imageid).toBe(again);
      expect(unchecked.main.outputs.digest).toBe(again);
      expect(Object.keys(metadataOf(right.main.outputs)).sort()).toEqual(
        Object.keys(metadataOf(unchecked.main.outputs)).sort(),
      );
      docker(['image', 'rm', `${image}:v1`]);
    },
    T,
  );

  test(
    'load of one platform: checked on docker-container (imageid as without the check); the engine builder skips it',
    async () => {
      const image = uniqueName('e2e/load-one');
      const inputs = { ...CONTAINER, images: image, tags: 'v1', platforms: 'linux/arm64', load: 'true' };
      const checked = await job({ inputs });
      expect(checked.main.errors).toEqual([]);
      expect(checked.main.stdout).toMatch(/arch-check linux\/arm64: \d+ ELF file/);
      const unchecked = await job({ inputs: { ...inputs, 'arch-check': 'false' } });
      // one platform: buildx writes the config's digest as the image ID, with or without the check's export
      for (const j of [checked, unchecked])
        expect(j.main.outputs.imageid).toBe(metadataOf(j.main.outputs)['containerimage.config.digest']);
      expect(Object.keys(metadataOf(checked.main.outputs)).sort()).toEqual(
        Object.keys(metadataOf(unchecked.main.outputs)).sort(),
      );
      const own = await job({
        inputs: { driver: 'docker', images: image, tags: 'v1', platforms: 'linux/arm64', load: 'true' },
      });
      expect(own.main.errors).toEqual([]);
      expect(own.main.stdout).toMatch(/arch-check: skipped, .*load of one platform on the engine's own builder/);
      expect(own.main.outputs.imageid).toBe(
        docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:v1`]).stdout.trim(),
      );
      docker(['image', 'rm', `${image}:v1`]);
    },
    T,
  );
});
