import { StageError } from '../../../../src/errors.js';
import { buildInOrder } from '../../../../src/pipeline/main.js';
import type { ExecRequest } from '../../../../src/ports/exec.js';
import { buildStage, buildxEnv, planBuildStage } from '../../../../src/stages/build/wiring.js';
import type { Builder } from '../../../../src/stages/builder/wiring.js';
import type { PreparedCache } from '../../../../src/stages/cache/wiring.js';
import type { MetaPlan } from '../../../../src/stages/meta/plan.js';
import { fakeArtifactStore, fakeExec, fakeFiles, fakeRun } from '../../fakes.js';

const TEMP = '/tmp/rt/multiarch-run';

/** A run of the build stage: the inputs parsed as main parses them, buildx answered by `exec`. */
function runOf(inputs: Record<string, string>, exec = fakeExec()) {
  const files = fakeFiles();
  const run = fakeRun(inputs, { deps: { exec, files }, tempDir: TEMP });
  return { run, host: run.host, files, exec };
}
const meta = { refs: ['r/a:1'], labels: [], annotations: [] } as unknown as MetaPlan;
const builder = {
  name: 'b',
  driver: 'docker-container',
  buildxVersion: 'github.com/docker/buildx v0.29.1 x',
} as unknown as Builder;
function cacheOf(): PreparedCache & { saves: number } {
  const c = {
    saves: 0,
    restored: { hit: '', key: '', cacheFrom: [], cacheTo: [], env: {}, lines: [] },
    save: async () => void c.saves++,
  } as PreparedCache & { saves: number };
  return c;
}

describe('build stage wiring', () => {
  test('planning writes no file: the secret files are planned as data; buildStage writes them before buildx runs', async () => {
    const seen: Record<string, string>[] = [];
    const exec = fakeExec(() => (seen.push({ ...f.files.written }), {}));
    const f = runOf({ context: '.', secrets: 'tok=S3CRET' }, exec);
    const plan = planBuildStage(f.run, meta, builder, cacheOf());
    expect(f.files.written).toEqual({});
    expect(plan.secretFiles).toEqual([{ path: `${TEMP}/secret-0`, content: 'S3CRET' }]);
    expect(plan.argv).toEqual(expect.arrayContaining(['--secret', `id=tok,src=${TEMP}/secret-0`]));
    expect(plan.argv.join(' ')).not.toContain('S3CRET');
    await buildStage(f.run, plan, cacheOf());
    expect(seen[0]).toMatchObject({ [`${TEMP}/secret-0`]: 'S3CRET' });
  });

  test('a failed build saves no cache (the save runs only after a build that succeeded)', async () => {
    const exec = fakeExec((req: ExecRequest) =>
      req.argv[2] === 'build' ? { code: 1, stderr: 'ERROR: failed to solve: boom' } : {},
    );
    const f = runOf({ context: '.' }, exec);
    const cache = cacheOf();
    const err = await buildInOrder(f.run, planBuildStage(f.run, meta, builder, cache), cache, builder.driver).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toBe('docker buildx build failed: failed to solve: boom');
    expect(cache.saves).toBe(0);
  });

  test('after a build that succeeded the arch check runs, then the cache is saved, then the outputs are set', async () => {
    const f = runOf({ context: '.' });
    const outputsAtSave: string[] = [];
    const logAtSave: string[] = [];
    const cache = {
      ...cacheOf(),
      save: async () => {
        outputsAtSave.push(...Object.keys(f.host.outputs));
        logAtSave.push(...f.host.infos, ...f.host.warnings);
      },
    };
    // the check's record of checked layers is written into the layer cache folder: before the save
    const check = { export: { kind: 'layout' as const, path: `${TEMP}/arch-check.oci` }, outputs: [] };
    await buildInOrder(f.run, planBuildStage(f.run, meta, builder, cache, check), cache, builder.driver);
    expect(logAtSave.join('\n')).toMatch(/arch-check: could not read the image/);
    expect(outputsAtSave).not.toContain('digest');
    expect(Object.keys(f.host.outputs)).toEqual(expect.arrayContaining(['digest', 'imageid', 'metadata', 'platforms']));
  });

  test('an arch check that throws still lets the cache of a build that succeeded be saved, then fails', async () => {
    const f = runOf({ context: '.' });
    f.files.remove = () => {
      throw new Error('check broke');
    };
    const cache = cacheOf();
    const check = { export: { kind: 'layout' as const, path: `${TEMP}/arch-check.oci` }, outputs: [] };
    const err = await buildInOrder(
      f.run,
      planBuildStage(f.run, meta, builder, cache, check),
      cache,
      builder.driver,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('check broke');
    expect(cache.saves).toBe(1);
  });

  test('a shard: pushed, then checked; a check that throws still sets the outputs and uploads the result, then fails', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const files = fakeFiles({ [`${TEMP}/metadata.json`]: JSON.stringify({ 'containerimage.digest': digest }) });
    const order: string[] = [];
    const artifacts = {
      ...fakeArtifactStore(),
      available: true,
      upload: async (name: string) => void order.push(`upload ${name}`),
    };
    const run = fakeRun(
      { context: '.', mode: 'shard', images: 'r/a', platforms: 'linux/amd64' },
      { deps: { exec: fakeExec(), files, artifacts }, tempDir: TEMP },
    );
    run.push = { enabled: true, reason: '' };
    run.timed = (name, fn) => (
      order.push(name),
      name === 'arch-check' ? Promise.reject(new Error('unreadable')) : fn()
    );
    // the check's own warning throwing stands for any error escaping the stage (a module that fails to load)
    const warn = run.host.warning.bind(run.host);
    run.host.warning = (m) => {
      if (m.startsWith('arch-check')) throw new Error('check broke');
      warn(m);
    };
    const cache = { ...cacheOf(), save: async () => void order.push('save') };
    const plan = planBuildStage(run, meta, { ...builder, driver: 'docker' }, cache);
    const err = await buildInOrder(run, plan, cache, 'docker').catch((e: unknown) => e);
    expect((err as Error).message).toBe('check broke');
    expect(order).toEqual(['build', 'save', 'push', 'arch-check', 'shard artifact', expect.stringMatching(/^upload /)]);
    expect(run.host.outputs).toMatchObject({ digest, shard: expect.stringContaining(digest) });
    expect(run.host.outputs['shard-artifact']).toBeTruthy();
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'a workspace Dockerfile: the annotation names its workspace path',
      { context: '.', file: 'docker/app.Dockerfile' },
      'docker/app.Dockerfile',
    ],
    [
      "a Dockerfile inside a git-URL context: no workspace path, buildx's name kept",
      { context: 'https://github.com/o/r.git', file: 'docker/app.Dockerfile' },
      'app.Dockerfile',
    ],
  ])('%s', async (_n, inputs, file) => {
    const stderr =
      'app.Dockerfile:4\n--------------------\n   4 | >>> RUN false\n--------------------\nERROR: failed to solve: exit code: 1\n';
    const f = runOf(
      inputs,
      fakeExec((req) => (req.argv[2] === 'build' ? { code: 1, stderr } : {})),
    );
    const cache = cacheOf();
    const err = await buildStage(f.run, planBuildStage(f.run, meta, builder, cache), cache).catch((e: unknown) => e);
    expect(err).toMatchObject({ annotation: { file, line: 4 } });
  });
});

describe('buildxEnv: what every buildx build reads from its environment, given explicitly', () => {
  test('the cache env, the secret-envs and bare build-args variables; nothing else of the runner', () => {
    const f = runOf({ context: '.', 'secret-envs': 'tok=MY_TOKEN', 'build-args': 'NPM_TOKEN\nA=1\nUNSET_ONE' });
    f.run.env = { ...f.run.env, MY_TOKEN: 'mt', NPM_TOKEN: 'nt', ACTIONS_RUNTIME_TOKEN: 'rt', INPUT_PASSWORD: 'pw' };
    const env = buildxEnv(f.run, ['docker', 'buildx', 'build'], {
      ACTIONS_RESULTS_URL: 'https://r',
      ACTIONS_RUNTIME_TOKEN: 'rt',
    });
    expect(env).toEqual({
      ACTIONS_RESULTS_URL: 'https://r',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      MY_TOKEN: 'mt',
      NPM_TOKEN: 'nt',
    });
    expect(buildxEnv(f.run, [], {})).toEqual({ MY_TOKEN: 'mt', NPM_TOKEN: 'nt' });
  });
});

describe('reproducible: the source date as a build-arg, rewrite-timestamp on every image exporter', () => {
  const dated = (from: 'git' | 'build-arg') =>
    ({ ...meta, sourceDate: { epoch: '1700000000', from } }) as unknown as MetaPlan;
  const flags = (argv: string[], flag: string) => argv.flatMap((a, i) => (argv[i - 1] === flag ? [a] : []));

  test('pushing: the push is a registry exporter entry with rewrite-timestamp, no --push', () => {
    const f = runOf({ context: '.', reproducible: 'true', 'build-args': 'A=1' });
    f.run.push = { enabled: true, reason: 'push: true' };
    const { argv } = planBuildStage(f.run, dated('git'), builder, cacheOf());
    expect(argv).not.toContain('--push');
    expect(flags(argv, '--output')).toEqual(['type=registry,rewrite-timestamp=true']);
    expect(flags(argv, '--build-arg')).toEqual(['A=1', 'SOURCE_DATE_EPOCH=1700000000']);
  });

  test('loading: the load is a docker exporter entry with rewrite-timestamp, no --load', () => {
    const f = runOf({ context: '.', reproducible: 'true', load: 'true' });
    const { argv } = planBuildStage(f.run, dated('git'), builder, cacheOf());
    expect(argv).not.toContain('--load');
    expect(flags(argv, '--output')).toEqual(['type=docker,rewrite-timestamp=true']);
  });

  test("the user's own SOURCE_DATE_EPOCH build-arg is passed as given, not a second time", () => {
    const f = runOf({ context: '.', reproducible: 'true', 'build-args': 'SOURCE_DATE_EPOCH=1700000000' });
    const { argv } = planBuildStage(f.run, dated('build-arg'), builder, cacheOf());
    expect(flags(argv, '--build-arg')).toEqual(['SOURCE_DATE_EPOCH=1700000000']);
  });

  test('outputs: image entries get rewrite-timestamp, files-only entries and one that sets it stay as given', () => {
    const outputs = 'type=oci,dest=/tmp/o.tar\ntype=local,dest=out\ntype=image,name=r/a,rewrite-timestamp=false';
    const f = runOf({ context: '.', reproducible: 'true', outputs });
    const { argv } = planBuildStage(f.run, dated('git'), builder, cacheOf());
    expect(flags(argv, '--output')).toEqual([
      'type=oci,dest=/tmp/o.tar,rewrite-timestamp=true',
      'type=local,dest=out',
      'type=image,name=r/a,rewrite-timestamp=false',
    ]);
  });

  test('without reproducible nothing changes: --push, no source date build-arg, outputs as given', () => {
    const f = runOf({ context: '.', outputs: 'type=oci,dest=/tmp/o.tar' });
    f.run.push = { enabled: true, reason: 'push: true' };
    const { argv } = planBuildStage(f.run, meta, builder, cacheOf());
    expect(argv).toContain('--push');
    expect(flags(argv, '--output')).toEqual(['type=oci,dest=/tmp/o.tar']);
    expect(flags(argv, '--build-arg')).toEqual([]);
  });
});
