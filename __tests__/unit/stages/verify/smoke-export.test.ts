/**
 * The smoke test's image from the step's own build (planSmokeExport): when the build adds a docker
 * exporter under a run-unique tag, when each platform is loaded by a build of its own and why, and
 * the build's argv with that exporter.
 */
import { parse } from 'csv-parse/sync';

import { type CheckExportPlan, planCheckExport } from '../../../../src/stages/archcheck/export.js';
import { withImageName } from '../../../../src/stages/build/options.js';
import { planBuildStage } from '../../../../src/stages/build/wiring.js';
import type { Builder } from '../../../../src/stages/builder/wiring.js';
import type { PreparedCache } from '../../../../src/stages/cache/wiring.js';
import type { MetaPlan } from '../../../../src/stages/meta/plan.js';
import { planSmokeExport, type SmokeExportInput, smokeImageTag } from '../../../../src/stages/verify/smoke-load.js';
import { planSmokeExportStage, planSmokeLoads } from '../../../../src/stages/verify/wiring.js';
import { fakeRun } from '../../fakes.js';

const layout: CheckExportPlan = planCheckExport({
  archCheck: 'true',
  pushed: false,
  call: '',
  driver: 'docker-container',
  multiNode: false,
  buildxVersion: '0.13.1',
  platforms: ['linux/amd64', 'linux/arm64'],
  mark: 'c0ffee',
  load: false,
  outputs: [],
  tempDir: '/t/run',
});

const base: SmokeExportInput = {
  driver: 'docker-container',
  pushed: false,
  shard: false,
  load: false,
  outputs: [],
  containerdStore: true,
  buildxVersion: 'github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3',
  check: layout,
};

describe('planSmokeExport: the build loads the smoke image itself, or says why not', () => {
  test('docker-container or remote, containerd store, buildx 0.13, an image exported for the check: one docker exporter', () => {
    for (const driver of ['docker-container', 'remote', 'kubernetes'])
      expect(planSmokeExport({ ...base, driver }, 'ab12')).toEqual({
        reuse: { tag: 'multiarch-smoke-ab12:build', output: 'type=docker,name=multiarch-smoke-ab12:build' },
      });
    expect(smokeImageTag('ab12')).toBe('multiarch-smoke-ab12:build');
  });

  test('nothing to load: the engine builder, a push, load, a shard', () => {
    expect(planSmokeExport({ ...base, driver: 'docker' }, 'x')).toBeUndefined();
    expect(planSmokeExport({ ...base, pushed: true }, 'x')).toBeUndefined();
    expect(planSmokeExport({ ...base, load: true }, 'x')).toBeUndefined();
    expect(planSmokeExport({ ...base, shard: true }, 'x')).toBeUndefined();
  });

  test.each<[string, Partial<SmokeExportInput>, RegExp]>([
    [
      'the classic image store',
      { containerdStore: false },
      /^the engine's classic image store holds one platform per tag$/,
    ],
    ['an unknown image store', { containerdStore: undefined }, /not known to hold multi-platform images/],
    [
      'buildx before 0.13',
      { buildxVersion: '0.12.1' },
      /^buildx 0\.12\.1 writes one exporter a build; .* needs 0\.13\.0$/,
    ],
    ['outputs', { outputs: ['type=local,dest=out'] }, /^outputs: the build writes only the exporters you named/],
    ['arch-check false', { check: { outputs: [] } }, /no image for the arch check \(arch-check is off\)/],
    [
      'a skipped check',
      { check: { outputs: [], skipped: 'call: check builds no image' } },
      /\(call: check builds no image\)/,
    ],
    [
      'a multi-node builder',
      { check: { outputs: ['type=local'], export: { kind: 'files', path: '/f' } } },
      /^a multi-node builder/,
    ],
  ])('%s: each platform loaded by a build of its own, saying why', (_what, over, why) => {
    const plan = planSmokeExport({ ...base, ...over }, 'x');
    expect(plan?.reuse).toBeUndefined();
    expect(plan?.why).toMatch(why);
  });
});

describe("the build's argv with the smoke exporter", () => {
  const meta = { refs: ['r/a:pr-7', 'r/a:x'], labels: [], annotations: [] } as unknown as MetaPlan;
  const builder = {
    name: 'b',
    driver: 'docker-container',
    buildxVersion: '0.13.1',
    containerdStore: true,
  } as unknown as Builder;
  const cache = { restored: { cacheFrom: [], cacheTo: [], env: {} } } as unknown as PreparedCache;
  const outputsOf = (argv: string[]) => argv.flatMap((a, i) => (argv[i - 1] === '--output' ? [a] : []));
  const fields = (out: string) => (parse(out, { relax_column_count: true }) as string[][])[0]!;

  test('the docker exporter before the check export; the tags on that export by name, no --tag (it would rename both)', () => {
    const run = fakeRun({ context: '.', 'smoke-test': 'uname -m', platforms: 'linux/amd64,linux/arm64' });
    const smoke = planSmokeExportStage(run, builder, layout);
    const tag = smoke!.reuse!.tag;
    expect(run.state.load().smokeImages).toEqual([tag]);
    const { argv } = planBuildStage(run, meta, builder, cache, layout, smoke!.reuse!.output);
    expect(argv).not.toContain('--tag');
    expect(argv).not.toContain('--load');
    const outs = outputsOf(argv);
    expect(outs).toHaveLength(2);
    expect(outs[0]).toBe(`type=docker,name=${tag}`);
    expect(fields(outs[1]!)).toEqual(['type=oci', 'dest=/t/run/arch-check.oci', 'tar=false', 'name=r/a:pr-7,r/a:x']);
    // the smoke test runs that one tag on every platform; nothing is built again
    expect(planSmokeLoads(run, { argv } as never, cache, smoke)).toEqual({
      argvs: {},
      tags: { 'linux/amd64': tag, 'linux/arm64': tag },
    });
  });

  test('reproducible: rewrite-timestamp on the docker exporter and the check export alike', () => {
    const run = fakeRun({ context: '.', 'smoke-test': 'uname -m', reproducible: 'true' });
    const dated = { ...meta, sourceDate: { epoch: '1700000000', from: 'git' } } as unknown as MetaPlan;
    const smoke = planSmokeExportStage(run, builder, layout)!;
    const outs = outputsOf(planBuildStage(run, dated, builder, cache, layout, smoke.reuse!.output).argv);
    expect(outs[0]).toBe(`type=docker,name=${smoke.reuse!.tag},rewrite-timestamp=true`);
    expect(fields(outs[1]!)).toEqual(expect.arrayContaining(['rewrite-timestamp=true', 'name=r/a:pr-7,r/a:x']));
  });

  test('no smoke exporter: --tag as before, the check export unnamed', () => {
    const run = fakeRun({ context: '.' });
    const { argv } = planBuildStage(run, meta, builder, cache, layout);
    expect(argv).toEqual(expect.arrayContaining(['--tag', 'r/a:pr-7', '--tag', 'r/a:x']));
    expect(outputsOf(argv)).toEqual(['type=oci,dest=/t/run/arch-check.oci,tar=false']);
  });

  test('the classic store: the log says why each platform is built again; nothing in the state before the build', () => {
    const run = fakeRun({ context: '.', 'smoke-test': 'uname -m' });
    const smoke = planSmokeExportStage(run, { ...builder, containerdStore: false }, layout);
    expect(smoke?.reuse).toBeUndefined();
    expect(run.host.infos).toContain(
      "smoke-test: each platform is loaded after the build by a build of its own (the engine's classic image store holds one platform per tag)",
    );
    expect(run.state.load().smokeImages).toBeUndefined();
  });

  test('withImageName: only image exporters take the name, quoted as one CSV field', () => {
    expect(withImageName(['type=local,dest=o', 'type=oci,dest=/x'], ['a:1', 'a:"2'])).toEqual([
      'type=local,dest=o',
      'type=oci,dest=/x,"name=a:1,a:""2"',
    ]);
    expect(withImageName(['type=oci,dest=/x'], [])).toEqual(['type=oci,dest=/x']);
  });
});
