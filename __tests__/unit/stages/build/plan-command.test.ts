import { parseInputs } from '../../../../src/inputs/index.js';
import { type BuildCommandValues, planBuildCommand } from '../../../../src/stages/build/plan.js';
import { fakeHost } from '../../fakes.js';

/** Plain values as planBuildStage gathers them from a Run: no Run, no gateway, no files. */
function valuesOf(given: Record<string, string>, over: Partial<BuildCommandValues> = {}): BuildCommandValues {
  const host = fakeHost({ platforms: 'linux/arm64', context: '.', ...given });
  return {
    inputs: parseInputs((n, o) => host.getInput(n, o), { workspace: '/w', exists: () => true }),
    ctx: { payload: {}, repository: 'o/r', runId: '7', runAttempt: '2', serverUrl: 'https://github.com' },
    env: {},
    tempDir: '/t',
    push: false,
    meta: { refs: ['r.example/app:1'], labels: ['l=1'], annotations: ['index:a=b', 'manifest:c=d'] },
    builder: {
      name: 'b',
      driver: 'docker-container',
      containerdStore: false,
      buildxVersion: 'github.com/docker/buildx v0.29.1 x',
    },
    cache: { cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'] },
    ...over,
  };
}

describe('planBuildCommand: the build planned from plain values', () => {
  test('tags, labels, annotations and cache flags come from the meta and cache values; files from tempDir', () => {
    const plan = planBuildCommand(valuesOf({}));
    expect(plan.argv.slice(0, 5)).toEqual(['docker', 'buildx', 'build', '--builder', 'b']);
    expect(plan.argv).toEqual(
      expect.arrayContaining(['--tag', 'r.example/app:1', '--label', 'l=1', '--annotation', 'index:a=b']),
    );
    expect(plan.argv).toEqual(expect.arrayContaining(['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']));
    expect(plan.metadataFile).toBe('/t/metadata.json');
    expect(plan.iidFile).toBe('/t/iid');
    expect(plan.shard).toBeUndefined();
  });

  test('mode shard with a push: no tag, no index annotation, the docker driver builds to an OCI layout', () => {
    const plan = planBuildCommand(
      valuesOf(
        { mode: 'shard', images: 'r.example/app' },
        { push: true, builder: { name: 'b', driver: 'docker', containerdStore: false, buildxVersion: 'v0.29.1' } },
      ),
    );
    expect(plan.shard).toEqual({ image: 'r.example/app', ociDir: '/t/shard-oci' });
    expect(plan.argv).not.toContain('--tag');
    expect(plan.argv).not.toContain('index:a=b');
    expect(plan.argv).toEqual(expect.arrayContaining(['--annotation', 'manifest:c=d']));
    expect(plan.argv).toEqual(expect.arrayContaining(['--output', 'type=oci,dest=/t/shard-oci,tar=false']));
  });

  describe("a build that loads: the check's export before the load, so buildx reports the loaded image", () => {
    const check = { outputs: ['type=oci,dest=/t/arch-check.oci,tar=false'], export: undefined };
    const outputsOf = (argv: string[]) => argv.flatMap((a, i) => (argv[i - 1] === '--output' ? [a] : []));

    test('reproducible: the load is the last exporter entry, after the check export', () => {
      const plan = planBuildCommand(
        valuesOf(
          { load: 'true' },
          { check, meta: { ...valuesOf({}).meta, sourceDate: { epoch: '1700000000', from: 'environment' } } },
        ),
      );
      expect(plan.argv).not.toContain('--load');
      expect(outputsOf(plan.argv)).toEqual([
        'type=oci,dest=/t/arch-check.oci,tar=false,rewrite-timestamp=true',
        'type=docker,rewrite-timestamp=true',
      ]);
    });

    test('not reproducible: the check export is the one --output, --load (buildx appends it last) loads', () => {
      const plan = planBuildCommand(valuesOf({ load: 'true' }, { check }));
      expect(plan.argv).toContain('--load');
      expect(outputsOf(plan.argv)).toEqual(['type=oci,dest=/t/arch-check.oci,tar=false']);
    });
  });

  test('a secret is planned as a file under tempDir, its value never in argv', () => {
    const plan = planBuildCommand(valuesOf({ secrets: 'tok=S3CRET' }));
    expect(plan.secretFiles).toEqual([{ path: '/t/secret-0', content: 'S3CRET' }]);
    expect(plan.argv.join(' ')).not.toContain('S3CRET');
  });
});
