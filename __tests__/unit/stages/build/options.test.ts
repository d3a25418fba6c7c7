import { buildSecretValues, parseBuildOptionInputs } from '../../../../src/inputs/buildopts.js';
import { Collector } from '../../../../src/inputs/collect.js';
import { parseInputs } from '../../../../src/inputs/index.js';
import {
  type BuildOptionsPlan,
  checkCallSupported,
  exporterTypes,
  exportsFilesOnly,
  exportsWithoutAttestations,
  GIT_AUTH_ENV,
  planBuildOptions,
  planGitAuthSecret,
  planSecrets,
  resolveProvenance,
} from '../../../../src/stages/build/options.js';
import { planBuild } from '../../../../src/stages/build/plan.js';

const ENV = { workspace: '/ws', exists: (p: string) => !p.includes('missing') };
const getter = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';

function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseBuildOptionInputs(getter(inputs), c, ENV);
  return { out, errors: c.errors.map((e) => e.message) };
}

export const EMPTY: BuildOptionsPlan = {
  buildContexts: [],
  secretArgs: [],
  ssh: [],
  target: '',
  sbom: '',
  noCache: false,
  noCacheFilters: [],
  pull: false,
  network: '',
  shmSize: '',
  ulimit: [],
  outputs: [],
  load: false,
  iidFile: '',
  addHosts: [],
  allow: [],
  attests: [],
  call: '',
  cgroupParent: '',
};

describe('build option inputs: list syntax', () => {
  test.each<[string, Record<string, string>, keyof ReturnType<typeof parse>['out'], unknown]>([
    [
      'build-contexts newline list, comma kept',
      { 'build-contexts': 'a=docker-image://alpine:3\nb=https://x/y.git#main,sub' },
      'buildContexts',
      ['a=docker-image://alpine:3', 'b=https://x/y.git#main,sub'],
    ],
    [
      'secrets: value with = and comma (ignoreComma)',
      { secrets: 'A=x=y,z\nB=2' },
      'secrets',
      [
        { id: 'A', value: 'x=y,z' },
        { id: 'B', value: '2' },
      ],
    ],
    [
      'secrets: quoted value with a newline',
      { secrets: '"KEY=line1\nline2"\nOTHER=v' },
      'secrets',
      [
        { id: 'KEY', value: 'line1\nline2' },
        { id: 'OTHER', value: 'v' },
      ],
    ],
    [
      'secrets: # comment lines skipped',
      { secrets: '# a comment\nA=1\n  \n# another\nB=#notacomment' },
      'secrets',
      [
        { id: 'A', value: '1' },
        { id: 'B', value: '#notacomment' },
      ],
    ],
    [
      'secrets: quoted value with quotes inside',
      { secrets: '"A=say ""hi"", ok"' },
      'secrets',
      [{ id: 'A', value: 'say "hi", ok' }],
    ],
    [
      'secret-files resolved against the workspace',
      { 'secret-files': 'npmrc=./.npmrc\nkey=/abs/key' },
      'secretFiles',
      [
        { id: 'npmrc', path: '/ws/.npmrc' },
        { id: 'key', path: '/abs/key' },
      ],
    ],
    [
      'secret-envs comma list',
      { 'secret-envs': 'a=TOKEN_A,b=TOKEN_B' },
      'secretEnvs',
      [
        { id: 'a', env: 'TOKEN_A' },
        { id: 'b', env: 'TOKEN_B' },
      ],
    ],
    [
      'ssh comma or newline',
      { ssh: 'default\ngithub=/k/id_rsa,other=/k/o' },
      'ssh',
      ['default', 'github=/k/id_rsa', 'other=/k/o'],
    ],
    ['no-cache-filters comma list', { 'no-cache-filters': 'build, test' }, 'noCacheFilters', ['build', 'test']],
    ['ulimit newline list', { ulimit: 'nofile=1024:2048\nnproc=-1' }, 'ulimit', ['nofile=1024:2048', 'nproc=-1']],
    [
      'outputs keep commas',
      { outputs: 'type=local,dest=out\ntype=tar,dest=o.tar' },
      'outputs',
      ['type=local,dest=out', 'type=tar,dest=o.tar'],
    ],
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
    [
      { 'secret-files': 'x=missing/file' },
      /^Input "secret-files": secret "x": file \/ws\/missing\/file does not exist/,
    ],
    [
      { 'secret-envs': 'a=not-a-var' },
      /^Input "secret-envs": secret "a": "not-a-var" is not an environment variable name/,
    ],
    [
      { 'secret-envs': 'rt=ACTIONS_RUNTIME_TOKEN' },
      /^Input "secret-envs": secret "rt": ACTIONS_RUNTIME_TOKEN is the runner's or the action's own .*never reach a build/,
    ],
    [{ 'secret-envs': 'pw=INPUT_PASSWORD' }, /^Input "secret-envs": secret "pw": INPUT_PASSWORD is the runner's/],
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

  test('load takes several platforms (the engine image store decides, in the build stage) and push: true', () => {
    const base = { platforms: 'linux/amd64,linux/arm64', load: 'true', images: 'x/y' };
    expect(parseInputs(getter(base), ENV).load).toBe(true);
    expect(parseInputs(getter({ ...base, push: 'true' }), ENV)).toMatchObject({ load: true, push: true });
    expect(parseInputs(getter({ ...base, platforms: 'linux/amd64', push: 'false' }), ENV).load).toBe(true);
  });
});

describe('build option argv', () => {
  test.each<[string, Partial<BuildOptionsPlan>, string[]]>([
    ['nothing', {}, []],
    [
      'build-contexts',
      { buildContexts: ['a=docker-image://alpine', 'b=../lib'] },
      ['--build-context', 'a=docker-image://alpine', '--build-context', 'b=../lib'],
    ],
    [
      'secrets',
      { secretArgs: ['id=a,src=/t/secret-0', 'id=b,env=B'] },
      ['--secret', 'id=a,src=/t/secret-0', '--secret', 'id=b,env=B'],
    ],
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
    [
      'iidfile with type=local',
      { iidFile: '/t/iid', outputs: ['type=local,dest=o'] },
      ['--output', 'type=local,dest=o'],
    ],
    [
      'iidfile with type=tar',
      { iidFile: '/t/iid', outputs: ['type=tar,dest=o.tar'] },
      ['--output', 'type=tar,dest=o.tar'],
    ],
    ['iidfile with a bare folder (local)', { iidFile: '/t/iid', outputs: ['./out'] }, ['--output', './out']],
    ['iidfile with - (tar to stdout)', { iidFile: '/t/iid', outputs: ['-'] }, ['--output', '-']],
    [
      'iidfile with type= not first',
      { iidFile: '/t/iid', outputs: ['dest=o, type=local'] },
      ['--output', 'dest=o, type=local'],
    ],
    [
      'iidfile kept with type=oci',
      { iidFile: '/t/iid', outputs: ['type=oci,dest=o.tar'] },
      ['--output', 'type=oci,dest=o.tar', '--iidfile', '/t/iid'],
    ],
    [
      'iidfile kept with type=docker',
      { iidFile: '/t/iid', outputs: ['type=docker,dest=o.tar'] },
      ['--output', 'type=docker,dest=o.tar', '--iidfile', '/t/iid'],
    ],
    [
      'iidfile kept with type=image',
      { iidFile: '/t/iid', outputs: ['type=image,name=r/a,push=true'] },
      ['--output', 'type=image,name=r/a,push=true', '--iidfile', '/t/iid'],
    ],
  ])('%s', (_n, plan, want) => {
    expect(planBuildOptions({ ...EMPTY, ...plan })).toEqual(want);
  });

  test('exporterTypes reads each output as buildx does', () => {
    expect(
      exporterTypes(['type=local,dest=o', 'type=tar,"dest=a,b.tar"', 'out', '-', 'type=registry', 'dest=x']),
    ).toEqual(['local', 'tar', 'local', 'tar', 'registry', '']);
  });

  test('planBuild puts the options before the context, after the existing flags', () => {
    const argv = planBuild({
      builder: 'b',
      platforms: ['linux/amd64'],
      context: '/ws',
      file: '',
      buildArgs: [],
      refs: ['r:1'],
      push: false,
      metadataFile: '/t/m.json',
      options: { ...EMPTY, target: 't', load: true },
    });
    expect(argv).toEqual([
      'docker',
      'buildx',
      'build',
      '--builder',
      'b',
      '--platform',
      'linux/amd64',
      '--tag',
      'r:1',
      '--metadata-file',
      '/t/m.json',
      '--target',
      't',
      '--load',
      '/ws',
    ]);
  });

  test('secret values are planned to files of their own, never to argv; paths with commas or line breaks are quoted', () => {
    const { args, files } = planSecrets(
      {
        secrets: [{ id: 'tok', value: 'S3CRET' }],
        secretFiles: [
          { id: 'f', path: '/ws/a,b' },
          { id: 'r', path: '/ws/a\rb' },
        ],
        secretEnvs: [{ id: 'e', env: 'E' }],
      },
      '/t',
    );
    expect(files).toEqual([{ path: '/t/secret-0', content: 'S3CRET' }]);
    expect(args).toEqual(['id=tok,src=/t/secret-0', 'id=f,"src=/ws/a,b"', 'id=r,"src=/ws/a\rb"', 'id=e,env=E']);
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
    [
      'unset with a local output (it carries the provenance file)',
      '',
      { outputs: ['type=local,dest=o'] },
      `mode=max,builder-id=${ID}`,
    ],
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

// build-push-action inputs pasted as they are: add-hosts, allow, attests, call,
// cgroup-parent as argv; the GIT_AUTH_TOKEN secret rule; call's buildx version check.
const PARITY_ENV = { workspace: '/ws', exists: () => true };
function parseParity(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseBuildOptionInputs((n) => inputs[n] ?? '', c, PARITY_ENV);
  return { out, errors: c.errors.map((e) => `${e.input}: ${e.message}`) };
}
const argvOf = (inputs: Record<string, string>, extra: Partial<BuildOptionsPlan> = {}) => {
  const { out, errors } = parseParity(inputs);
  expect(errors).toEqual([]);
  return planBuildOptions({ ...EMPTY, ...out, secretArgs: [], provenance: undefined, iidFile: '', ...extra });
};

describe('argv for each new build input, in build-push-action list syntax', () => {
  test.each<[string, Record<string, string>, string[]]>([
    [
      'add-hosts: comma and newline list',
      { 'add-hosts': 'docker:10.180.0.1,db=192.168.0.2\nv6:[::1]\ngw:host-gateway' },
      [
        '--add-host',
        'docker:10.180.0.1',
        '--add-host',
        'db=192.168.0.2',
        '--add-host',
        'v6:[::1]',
        '--add-host',
        'gw:host-gateway',
      ],
    ],
    [
      'allow: entitlements',
      { allow: 'network.host,security.insecure' },
      ['--allow', 'network.host', '--allow', 'security.insecure'],
    ],
    [
      'attests: one per line, commas kept',
      { attests: 'type=sbom,generator=image\n# comment\ntype=provenance,mode=max' },
      ['--attest', 'type=sbom,generator=image', '--attest', 'type=provenance,mode=max'],
    ],
    ['call: check', { call: 'check' }, ['--call', 'check']],
    ['call: check with options', { call: 'check,error=true' }, ['--call', 'check,error=true']],
    ['cgroup-parent', { 'cgroup-parent': '/docker-build' }, ['--cgroup-parent', '/docker-build']],
    ['none set: no flag', {}, []],
  ])('%s', (_n, inputs, want) => {
    expect(argvOf(inputs)).toEqual(want);
  });

  test('the provenance and sbom inputs win over attests entries of their type', () => {
    expect(
      argvOf({ attests: 'type=sbom\ntype=provenance,mode=min' }, { provenance: 'mode=max', sbom: 'true' }),
    ).toEqual(['--provenance', 'mode=max', '--sbom', 'true']);
    // an attests entry of another type is kept (the inputs replace only their own type)
    expect(argvOf({ attests: 'type=sbom,generator=x' }, { provenance: 'mode=max' })).toEqual([
      '--provenance',
      'mode=max',
      '--attest',
      'type=sbom,generator=x',
    ]);
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ 'add-hosts': 'nocolon' }, /^add-hosts: .*"nocolon" is not host:ip/],
    [{ 'add-hosts': 'h:999.1.1.1' }, /^add-hosts: .*not host:ip/],
    [{ allow: 'network.none' }, /^allow: .*"network.none" is not an entitlement: use network.host, security.insecure/],
    [{ attests: 'mode=max' }, /^attests: .*"mode=max" has no type/],
    // buildx knows two attestation types: type=foo would be dropped by BuildKit without a word
    [{ attests: 'type=foo' }, /^attests: .*type "foo" is not one of sbom, provenance/],
    [{ call: 'lint' }, /^call: .*"lint" is not a build method: use build, check, outline, targets/],
    [{ 'cgroup-parent': 'a b' }, /^cgroup-parent: .*not a cgroup path/],
  ])('%j → a clear error naming the input', (inputs, why) => {
    expect(parseParity(inputs).errors.join('\n')).toMatch(why);
  });
});

describe('call', () => {
  test('needs buildx >= 0.15: a clear error before building', () => {
    expect(() =>
      checkCallSupported('check', 'github.com/docker/buildx v0.13.1 788433953af10f2a698f5c07611dddce2e08c7a0'),
    ).toThrow(/call: check needs buildx 0.15.0 or later, but this buildx is 0.13.1/);
    expect(() => checkCallSupported('check', 'github.com/docker/buildx 0.29.1 Debian 0.29.1+ds1-4')).not.toThrow();
    expect(() => checkCallSupported('', 'github.com/docker/buildx v0.13.1 x')).not.toThrow();
    expect(() => checkCallSupported('build', 'github.com/docker/buildx v0.13.1 x')).not.toThrow();
  });
});

describe('github-token as the GIT_AUTH_TOKEN secret', () => {
  const base = { token: 'ghs_secret', serverUrl: 'https://github.com', secretIds: [] as string[] };
  test.each<[string, Partial<typeof base> & { sources: string[] }, string | undefined]>([
    [
      'git context on github.com',
      { sources: ['https://github.com/o/private.git#main'] },
      `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`,
    ],
    [
      'github.com shorthand',
      { sources: ['github.com/o/private#main:sub'] },
      `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`,
    ],
    [
      'a build-contexts source on github.com',
      { sources: ['docker-image://alpine', 'https://github.com/o/lib.git'] },
      `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`,
    ],
    [
      'GHES server URL',
      { serverUrl: 'https://ghe.example.com', sources: ['https://ghe.example.com/o/r.git#v1'] },
      `id=GIT_AUTH_TOKEN.ghe.example.com,env=${GIT_AUTH_ENV}`,
    ],
    [
      'github.com context on a GHES run: not its server',
      { serverUrl: 'https://ghe.example.com', sources: ['https://github.com/o/r.git'] },
      undefined,
    ],
    ['other host excluded', { sources: ['https://gitlab.com/o/r.git#main'] }, undefined],
    ['look-alike host excluded', { sources: ['https://github.com.evil.example/o/r.git'] }, undefined],
    ['ssh URL: keys, not tokens', { sources: ['git@github.com:o/r.git'] }, undefined],
    ['local context', { sources: [] }, undefined],
    [
      'the user set GIT_AUTH_TOKEN themselves',
      { sources: ['https://github.com/o/r.git'], secretIds: ['GIT_AUTH_TOKEN'] },
      undefined,
    ],
    ['no token', { sources: ['https://github.com/o/r.git'], token: '' }, undefined],
  ])('%s', (_n, g, want) => {
    expect(planGitAuthSecret({ ...base, ...g })).toBe(want);
  });
  test('the value is never on the command line', () => {
    const arg = planGitAuthSecret({ ...base, sources: ['https://github.com/o/r.git'] })!;
    expect(arg).not.toContain('ghs_secret');
  });
});

test('outputs to local files or a tarball: no --iidfile (buildx refuses it there)', () => {
  const exportsToFiles = exportsFilesOnly;
  expect(exportsToFiles(['type=local,dest=out'])).toBe(true);
  expect(exportsToFiles(['type=tar,dest=o.tar'])).toBe(true);
  expect(exportsToFiles(['out-dir'])).toBe(true);
  expect(exportsToFiles(['type=registry', 'type=image,push=true'])).toBe(false);
  expect(exportsToFiles([])).toBe(false);
});
