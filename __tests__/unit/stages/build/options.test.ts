import { Collector } from '../../../../src/inputs/collect.js';
import { buildSecretValues, parseBuildOptionInputs } from '../../../../src/inputs/buildopts.js';
import { parseInputs } from '../../../../src/inputs/index.js';
import { type BuildOptionsPlan, exporterTypes, exportsWithoutAttestations, planBuildOptions, resolveProvenance, secretArgs } from '../../../../src/stages/build/options.js';
import { planBuild } from '../../../../src/stages/build/build.js';

const ENV = { workspace: '/ws', exists: (p: string) => !p.includes('missing') };
const getter = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';

function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseBuildOptionInputs(getter(inputs), c, ENV);
  return { out, errors: c.errors.map((e) => e.message) };
}

export const EMPTY: BuildOptionsPlan = {
  buildContexts: [], secretArgs: [], ssh: [], target: '', sbom: '', noCache: false, noCacheFilters: [], pull: false,
  network: '', shmSize: '', ulimit: [], outputs: [], load: false, iidFile: '',
  addHosts: [], allow: [], attests: [], call: '', cgroupParent: '',
};

describe('build option inputs: list syntax', () => {
  test.each<[string, Record<string, string>, keyof ReturnType<typeof parse>['out'], unknown]>([
    ['build-contexts newline list, comma kept', { 'build-contexts': 'a=docker-image://alpine:3\nb=https://x/y.git#main,sub' }, 'buildContexts', ['a=docker-image://alpine:3', 'b=https://x/y.git#main,sub']],
    ['secrets: value with = and comma (ignoreComma)', { secrets: 'A=x=y,z\nB=2' }, 'secrets', [{ id: 'A', value: 'x=y,z' }, { id: 'B', value: '2' }]],
    ['secrets: quoted value with a newline', { secrets: '"KEY=line1\nline2"\nOTHER=v' }, 'secrets', [{ id: 'KEY', value: 'line1\nline2' }, { id: 'OTHER', value: 'v' }]],
    ['secrets: # comment lines skipped', { secrets: '# a comment\nA=1\n  \n# another\nB=#notacomment' }, 'secrets', [{ id: 'A', value: '1' }, { id: 'B', value: '#notacomment' }]],
    ['secrets: quoted value with quotes inside', { secrets: '"A=say ""hi"", ok"' }, 'secrets', [{ id: 'A', value: 'say "hi", ok' }]],
    ['secret-files resolved against the workspace', { 'secret-files': 'npmrc=./.npmrc\nkey=/abs/key' }, 'secretFiles', [{ id: 'npmrc', path: '/ws/.npmrc' }, { id: 'key', path: '/abs/key' }]],
    ['secret-envs comma list', { 'secret-envs': 'a=TOKEN_A,b=TOKEN_B' }, 'secretEnvs', [{ id: 'a', env: 'TOKEN_A' }, { id: 'b', env: 'TOKEN_B' }]],
    ['ssh comma or newline', { ssh: 'default\ngithub=/k/id_rsa,other=/k/o' }, 'ssh', ['default', 'github=/k/id_rsa', 'other=/k/o']],
    ['no-cache-filters comma list', { 'no-cache-filters': 'build, test' }, 'noCacheFilters', ['build', 'test']],
    ['ulimit newline list', { ulimit: 'nofile=1024:2048\nnproc=-1' }, 'ulimit', ['nofile=1024:2048', 'nproc=-1']],
    ['outputs keep commas', { outputs: 'type=local,dest=out\ntype=tar,dest=o.tar' }, 'outputs', ['type=local,dest=out', 'type=tar,dest=o.tar']],
    ['booleans', { 'no-cache': 'true', pull: 'True', load: 'false' }, 'pull', true],
    ['target/network/shm-size as given', { target: ' prod ', network: 'host', 'shm-size': '2g' }, 'target', 'prod'],
    ['empty lists', {}, 'buildContexts', []],
  ])('%s', (_name, inputs, key, want) => {
    const { out, errors } = parse(inputs);
    expect(errors).toEqual([]);
    expect(out[key]).toEqual(want);
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ secrets: 'novalue' }, /^Input "secrets": an entry has no "="/],
    [{ secrets: 'bad id!=supersecret' }, /^Input "secrets": "bad id!" is not a valid secret id/],
    [{ 'secret-files': 'x=missing/file' }, /^Input "secret-files": secret "x": file \/ws\/missing\/file does not exist/],
    [{ 'secret-envs': 'a=not-a-var' }, /^Input "secret-envs": secret "a": "not-a-var" is not an environment variable name/],
    [{ 'build-contexts': 'justapath' }, /^Input "build-contexts": an entry has no "="/],
    [{ ulimit: 'nofile' }, /^Input "ulimit": "nofile" is not a ulimit/],
    [{ 'shm-size': 'huge' }, /^Input "shm-size": "huge" is not a size/],
    [{ 'no-cache': 'yes' }, /^Input "no-cache": "yes" is not valid: use true or false/],
    [{ load: 'maybe' }, /^Input "load": "maybe" is not valid: use true or false/],
  ])('%j is refused, naming the input', (inputs, want) => {
    const { errors } = parse(inputs);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(want);
  });

  test('secret values never appear in error messages', () => {
    const { errors } = parse({ secrets: 'bad id!=supersecret' });
    expect(errors.join()).not.toContain('supersecret');
  });

  test('buildSecretValues finds the values for masking, leniently', () => {
    expect(buildSecretValues(getter({ secrets: 'A=1\n"B=x,y\nz"\nnovalue' }))).toEqual(['1', 'x,y\nz']);
    expect(buildSecretValues(getter({}))).toEqual([]);
  });

  test('load needs a single platform and no push: true', () => {
    const base = { platforms: 'linux/amd64,linux/arm64', load: 'true', images: 'x/y' };
    expect(() => parseInputs(getter(base), ENV)).toThrow(/Input "load": true needs a single platform, but 2 are set/);
    expect(() => parseInputs(getter({ ...base, platforms: 'linux/amd64', push: 'true' }), ENV)).toThrow(/Input "load": true cannot be combined with push: true/);
    expect(parseInputs(getter({ ...base, platforms: 'linux/amd64', push: 'false' }), ENV).load).toBe(true);
  });
});

describe('build option argv', () => {
  test.each<[string, Partial<BuildOptionsPlan>, string[]]>([
    ['nothing', {}, []],
    ['build-contexts', { buildContexts: ['a=docker-image://alpine', 'b=../lib'] }, ['--build-context', 'a=docker-image://alpine', '--build-context', 'b=../lib']],
    ['secrets', { secretArgs: ['id=a,src=/t/secret-0', 'id=b,env=B'] }, ['--secret', 'id=a,src=/t/secret-0', '--secret', 'id=b,env=B']],
    ['ssh', { ssh: ['default', 'gh=/k'] }, ['--ssh', 'default', '--ssh', 'gh=/k']],
    ['target', { target: 'prod' }, ['--target', 'prod']],
    ['provenance', { provenance: 'false' }, ['--provenance', 'false']],
    ['sbom', { sbom: 'true' }, ['--sbom', 'true']],
    ['no-cache', { noCache: true }, ['--no-cache']],
    ['no-cache-filters', { noCacheFilters: ['a', 'b'] }, ['--no-cache-filter', 'a', '--no-cache-filter', 'b']],
    ['pull', { pull: true }, ['--pull']],
    ['network', { network: 'host' }, ['--network', 'host']],
    ['shm-size', { shmSize: '2g' }, ['--shm-size', '2g']],
    ['ulimit', { ulimit: ['nofile=1:2'] }, ['--ulimit', 'nofile=1:2']],
    ['outputs', { outputs: ['type=local,dest=o'] }, ['--output', 'type=local,dest=o']],
    ['load', { load: true }, ['--load']],
    ['iidfile', { iidFile: '/t/iid' }, ['--iidfile', '/t/iid']],
    // buildx refuses --iidfile with the local and tar exporters (they write files, no image)
    ['iidfile with type=local', { iidFile: '/t/iid', outputs: ['type=local,dest=o'] }, ['--output', 'type=local,dest=o']],
    ['iidfile with type=tar', { iidFile: '/t/iid', outputs: ['type=tar,dest=o.tar'] }, ['--output', 'type=tar,dest=o.tar']],
    ['iidfile with a bare folder (local)', { iidFile: '/t/iid', outputs: ['./out'] }, ['--output', './out']],
    ['iidfile with - (tar to stdout)', { iidFile: '/t/iid', outputs: ['-'] }, ['--output', '-']],
    ['iidfile with type= not first', { iidFile: '/t/iid', outputs: ['dest=o, type=local'] }, ['--output', 'dest=o, type=local']],
    ['iidfile kept with type=oci', { iidFile: '/t/iid', outputs: ['type=oci,dest=o.tar'] }, ['--output', 'type=oci,dest=o.tar', '--iidfile', '/t/iid']],
    ['iidfile kept with type=docker', { iidFile: '/t/iid', outputs: ['type=docker,dest=o.tar'] }, ['--output', 'type=docker,dest=o.tar', '--iidfile', '/t/iid']],
    ['iidfile kept with type=image', { iidFile: '/t/iid', outputs: ['type=image,name=r/a,push=true'] }, ['--output', 'type=image,name=r/a,push=true', '--iidfile', '/t/iid']],
  ])('%s', (_n, plan, want) => {
    expect(planBuildOptions({ ...EMPTY, ...plan })).toEqual(want);
  });

  test('exporterTypes reads each output as buildx does', () => {
    expect(exporterTypes(['type=local,dest=o', 'type=tar,"dest=a,b.tar"', 'out', '-', 'type=registry', 'dest=x'])).toEqual(['local', 'tar', 'local', 'tar', 'registry', '']);
  });

  test('planBuild puts the options before the context, after the existing flags', () => {
    const argv = planBuild({
      builder: 'b', platforms: ['linux/amd64'], context: '/ws', file: '', buildArgs: [], refs: ['r:1'], push: false, metadataFile: '/t/m.json',
      options: { ...EMPTY, target: 't', load: true },
    });
    expect(argv).toEqual(['docker', 'buildx', 'build', '--builder', 'b', '--platform', 'linux/amd64', '--tag', 'r:1', '--metadata-file', '/t/m.json', '--target', 't', '--load', '/ws']);
  });

  test('secret values go to 0600 files, never to argv; paths with commas are quoted', () => {
    const written: [string, string, number | undefined][] = [];
    const args = secretArgs(
      { secrets: [{ id: 'tok', value: 'S3CRET' }], secretFiles: [{ id: 'f', path: '/ws/a,b' }], secretEnvs: [{ id: 'e', env: 'E' }] },
      '/t',
      { writeFile: (p, c, m) => written.push([p, c, m]) },
    );
    expect(written).toEqual([['/t/secret-0', 'S3CRET', 0o600]]);
    expect(args).toEqual(['id=tok,src=/t/secret-0', 'id=f,"src=/ws/a,b"', 'id=e,env=E']);
    expect(args.join(' ')).not.toContain('S3CRET');
  });
});

describe('provenance default (as build-push-action)', () => {
  const ID = 'https://github.com/o/r/actions/runs/1/attempts/1';
  test.each<[string, string, Partial<Parameters<typeof resolveProvenance>[1]>, string | undefined]>([
    ['unset, private repo', '', { repoPrivate: true }, `mode=min,inline-only=true,builder-id=${ID}`],
    ['unset, unknown visibility (build-push-action treats it as public)', '', {}, `mode=max,builder-id=${ID}`],
    ['unset, public repo', '', { repoPrivate: false }, `mode=max,builder-id=${ID}`],
    ['unset with load', '', { load: true }, undefined],
    ['unset with a local output (it carries the provenance file)', '', { outputs: ['type=local,dest=o'] }, `mode=max,builder-id=${ID}`],
    ['unset with a docker output', '', { outputs: ['type=docker'] }, undefined],
    ['unset with a registry output', '', { outputs: ['type=registry'] }, `mode=max,builder-id=${ID}`],
    ['false', 'false', {}, 'false'],
    ['true', 'true', {}, `builder-id=${ID}`],
    ['attributes', 'mode=max', {}, `mode=max,builder-id=${ID}`],
    ['own builder-id kept', 'mode=max,builder-id=x', {}, 'mode=max,builder-id=x'],
  ])('%s', (_n, input, ctx, want) => {
    expect(resolveProvenance(input, { load: false, outputs: [], builderId: ID, ...ctx })).toBe(want);
  });

  test('exporters without attestations', () => {
    expect(exportsWithoutAttestations(['type=docker,name=x'], false)).toBe(true);
    expect(exportsWithoutAttestations(['out-dir'], false)).toBe(false);
    expect(exportsWithoutAttestations(['type=tar,dest=o.tar'], false)).toBe(false);
    expect(exportsWithoutAttestations(['type=image,push=true'], false)).toBe(false);
    expect(exportsWithoutAttestations([], true)).toBe(true);
  });
});
