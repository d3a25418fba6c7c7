import { parse } from 'csv-parse/sync';

import {
  type CheckExportInput,
  layoutBlobPath,
  planCheckExport,
  platformFolder,
} from '../../../../src/stages/archcheck/export.js';

const base: CheckExportInput = {
  archCheck: 'true',
  pushed: false,
  call: '',
  driver: 'docker-container',
  multiNode: false,
  buildxVersion: '0.13.1+ds1',
  platforms: ['linux/amd64', 'linux/arm64'],
  load: false,
  outputs: [],
  tempDir: '/t/run',
  mark: 'c0ffee',
};

/** The check's copy beside another exporter: distinct manifests and configs, marked (export.ts). */
const DISTINCT =
  'annotation-index.org.multiarch-action.arch-check=c0ffee,annotation-manifest.org.multiarch-action.arch-check=c0ffee';

/** buildx's reading of one --output value: its CSV fields. */
const fields = (out: string) => (parse(out, { relax_column_count: true }) as string[][])[0]!;

describe('the export an unpushed build adds for the arch check', () => {
  test('a container builder: an OCI layout folder in the run temp folder, the only output', () => {
    expect(planCheckExport(base)).toEqual({
      export: { kind: 'layout', path: '/t/run/arch-check.oci' },
      outputs: ['type=oci,dest=/t/run/arch-check.oci,tar=false'],
    });
  });

  test('buildx before 0.13 (no layout folder) writes the layout as one tar', () => {
    expect(planCheckExport({ ...base, buildxVersion: '0.12.1' })).toEqual({
      export: { kind: 'oci', path: '/t/run/arch-check.oci.tar' },
      outputs: ['type=oci,dest=/t/run/arch-check.oci.tar'],
    });
  });

  test("a blob's path in the layout folder; a digest that is not one (an untrusted registry's answer) has none", () => {
    const hex = 'a'.repeat(64);
    expect(layoutBlobPath('/t/l', `sha256:${hex}`)).toBe(`/t/l/blobs/sha256/${hex}`);
    expect(layoutBlobPath('/t/l', `sha512:${'b'.repeat(128)}`)).toBe(`/t/l/blobs/sha512/${'b'.repeat(128)}`);
    for (const bad of ['sha256:../../etc/passwd', `sha256:${hex}/x`, `md5:${hex}`, hex, `sha256:${'A'.repeat(64)}`, ''])
      expect(layoutBlobPath('/t/l', bad)).toBeUndefined();
  });

  test("the engine's own builder keeps storing the image in the engine (named, as its default load did)", () => {
    // the check's copy first and distinct: the store, last, gives the step its digest and index.json
    expect(planCheckExport({ ...base, driver: 'docker' })).toEqual({
      export: { kind: 'layout', path: '/t/run/arch-check.oci', mark: 'c0ffee' },
      outputs: [`type=oci,dest=/t/run/arch-check.oci,tar=false,${DISTINCT},source-date-epoch=1`, 'type=image'],
    });
    // an output the user named is the build's only exporter: nothing is added, the check says why
    const named = planCheckExport({ ...base, driver: 'docker', outputs: ['type=local,dest=out'] });
    expect(named.outputs).toEqual([]);
    expect(named.skipped).toMatch(/^outputs: the build writes only the exporters you named/);
  });

  test('a load build on the containerd store: the layout beside the load (it reports the loaded index), both drivers', () => {
    for (const driver of ['docker', 'docker-container']) {
      expect(planCheckExport({ ...base, driver, load: true })).toEqual({
        export: { kind: 'layout', path: '/t/run/arch-check.oci', mark: 'c0ffee' },
        outputs: [`type=oci,dest=/t/run/arch-check.oci,tar=false,${DISTINCT},source-date-epoch=1`],
      });
    }
  });

  test("reproducible keeps the source date on the copy (its layers are rewritten to it as the image's are)", () => {
    for (const over of [{ driver: 'docker' }, { load: true }])
      expect(planCheckExport({ ...base, ...over, reproducible: true }).outputs[0]).toBe(
        `type=oci,dest=/t/run/arch-check.oci,tar=false,${DISTINCT}`,
      );
    // one platform: BuildKit annotates no index there, the copy stays the image itself
    expect(planCheckExport({ ...base, driver: 'docker', platforms: ['linux/arm64'] }).outputs).toEqual([
      'type=image',
      'type=oci,dest=/t/run/arch-check.oci,tar=false',
    ]);
    // alone, the copy is the build's only image: nothing to tell it apart from, its index.json its own
    expect(planCheckExport({ ...base, reproducible: true }).outputs).toEqual([
      'type=oci,dest=/t/run/arch-check.oci,tar=false',
    ]);
  });

  test('a load build keeps its one exporter on the engine builder with one platform, on several nodes and before buildx 0.13, saying why', () => {
    // the classic store: checked on a container builder (its loaded image ID stays the config's digest)
    expect(planCheckExport({ ...base, load: true, classicStore: true, platforms: ['linux/arm64'] }).export?.kind).toBe(
      'layout',
    );
    expect(
      planCheckExport({ ...base, driver: 'docker', load: true, classicStore: true, platforms: ['linux/arm64'] })
        .outputs,
    ).toEqual([]);
    // one platform on the engine's own builder: the export's config digest would become the image ID
    const one = planCheckExport({ ...base, driver: 'docker', load: true, platforms: ['linux/amd64'] });
    expect(one.outputs).toEqual([]);
    expect(one.skipped).toMatch(/^load of one platform on the engine's own builder/);
    expect(planCheckExport({ ...base, load: true, platforms: ['linux/amd64'] }).export?.kind).toBe('layout');
    const nodes = planCheckExport({ ...base, load: true, multiNode: true });
    expect(nodes.outputs).toEqual([]);
    expect(nodes.skipped).toMatch(/^load on a multi-node builder/);
    const old = planCheckExport({ ...base, load: true, buildxVersion: '0.12.1' });
    expect(old.outputs).toEqual([]);
    expect(old.skipped).toMatch(/needs buildx 0\.13\.0 or later \(this is 0\.12\.1\)/);
  });

  test('outputs stay skipped whatever the store (a files-only build would gain a digest)', () => {
    const plan = planCheckExport({ ...base, load: true, outputs: ['type=local,dest=out'] });
    expect(plan.outputs).toEqual([]);
    expect(plan.skipped).toMatch(/^outputs: /);
  });

  test("the engine's own builder over the classic image store: nothing added, the build left as it was, saying why", () => {
    const plan = planCheckExport({ ...base, driver: 'docker', classicStore: true });
    expect(plan.outputs).toEqual([]);
    expect(plan.skipped).toMatch(/classic image store.*docker-container/);
    expect(planCheckExport({ ...base, classicStore: true }).outputs).toHaveLength(1);
  });

  test('a multi-node builder (no oci there): one folder a platform', () => {
    expect(planCheckExport({ ...base, multiNode: true })).toEqual({
      export: { kind: 'files', path: '/t/run/arch-check-files' },
      outputs: ['type=local,dest=/t/run/arch-check-files,platform-split=true'],
    });
  });

  test('nothing added when pushed (the registry is read), when off, or when call builds nothing', () => {
    expect(planCheckExport({ ...base, pushed: true })).toEqual({ outputs: [] });
    expect(planCheckExport({ ...base, archCheck: 'false' })).toEqual({ outputs: [] });
    expect(planCheckExport({ ...base, call: 'check' })).toEqual({
      outputs: [],
      skipped: 'call: check builds no image',
    });
    expect(planCheckExport({ ...base, call: 'build' }).export?.kind).toBe('layout');
  });

  test('buildx before 0.13 takes one output: added only where the build has none, else skipped saying why', () => {
    expect(planCheckExport({ ...base, buildxVersion: '0.12.1' }).export?.kind).toBe('oci');
    const skipped = planCheckExport({
      ...base,
      buildxVersion: 'github.com/docker/buildx v0.12.1 abc',
      driver: 'docker',
    });
    expect(skipped.outputs).toEqual([]);
    expect(skipped.skipped).toMatch(/needs buildx 0\.13\.0 or later \(this is 0\.12\.1\); set buildx-version/);
    expect(planCheckExport({ ...base, buildxVersion: '0.12.0', driver: 'docker' }).outputs).toEqual([]);
  });

  test.each([
    ['a newline and a runner command', '/t/x\n::error::x'],
    ['a comma and a quote', '/t/a,b"c'],
    ['a leading dash', '-rf'],
    ['100 kB', `/t/${'a'.repeat(100_000)}`],
  ])('a run temp folder with %s stays one dest field of one --output value', (_what, dir) => {
    const oci = planCheckExport({ ...base, tempDir: dir });
    expect(oci.outputs).toHaveLength(1);
    expect(fields(oci.outputs[0]!)).toEqual(['type=oci', `dest=${oci.export!.path}`, 'tar=false']);
    // the distinct copy beside the engine's store: the same one dest field, then its own fields
    const copy = planCheckExport({ ...base, tempDir: dir, driver: 'docker' });
    expect(fields(copy.outputs[0]!)).toEqual([
      'type=oci',
      `dest=${copy.export!.path}`,
      'tar=false',
      ...DISTINCT.split(','),
      'source-date-epoch=1',
    ]);
    expect(copy.outputs[1]).toBe('type=image');
    const files = planCheckExport({ ...base, tempDir: dir, multiNode: true });
    expect(fields(files.outputs[0]!)).toEqual(['type=local', `dest=${files.export!.path}`, 'platform-split=true']);
  });

  test('the folder the local exporter writes each platform to', () => {
    expect(platformFolder('linux/arm64')).toBe('linux_arm64');
    expect(platformFolder('linux/arm/v7')).toBe('linux_arm_v7');
  });
});
