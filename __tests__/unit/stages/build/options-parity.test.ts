/**
 * build-push-action inputs pasted as they are (issue 18): add-hosts, allow, attests, call,
 * cgroup-parent as argv; the GIT_AUTH_TOKEN secret rule; call's buildx version check.
 */
import { Collector } from '../../../../src/inputs/collect.js';
import { parseBuildOptionInputs } from '../../../../src/inputs/buildopts.js';
import { decidePush } from '../../../../src/stages/build/build.js';
import { type BuildOptionsPlan, checkCallSupported, GIT_AUTH_ENV, planBuildOptions, planGitAuthSecret } from '../../../../src/stages/build/options.js';

const ENV = { workspace: '/ws', exists: () => true };
function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseBuildOptionInputs((n) => inputs[n] ?? '', c, ENV);
  return { out, errors: c.errors.map((e) => `${e.input}: ${e.message}`) };
}
const EMPTY: BuildOptionsPlan = {
  buildContexts: [], secretArgs: [], ssh: [], target: '', sbom: '', noCache: false, noCacheFilters: [], pull: false,
  network: '', shmSize: '', ulimit: [], outputs: [], load: false, iidFile: '', addHosts: [], allow: [], attests: [], call: '', cgroupParent: '',
};
const argvOf = (inputs: Record<string, string>, extra: Partial<BuildOptionsPlan> = {}) => {
  const { out, errors } = parse(inputs);
  expect(errors).toEqual([]);
  return planBuildOptions({ ...EMPTY, ...out, secretArgs: [], provenance: undefined, iidFile: '', ...extra });
};

describe('argv for each new build input, in build-push-action list syntax', () => {
  test.each<[string, Record<string, string>, string[]]>([
    ['add-hosts: comma and newline list', { 'add-hosts': 'docker:10.180.0.1,db=192.168.0.2\nv6:[::1]\ngw:host-gateway' }, ['--add-host', 'docker:10.180.0.1', '--add-host', 'db=192.168.0.2', '--add-host', 'v6:[::1]', '--add-host', 'gw:host-gateway']],
    ['allow: entitlements', { allow: 'network.host,security.insecure' }, ['--allow', 'network.host', '--allow', 'security.insecure']],
    ['attests: one per line, commas kept', { attests: 'type=sbom,generator=image\n# comment\ntype=provenance,mode=max' }, ['--attest', 'type=sbom,generator=image', '--attest', 'type=provenance,mode=max']],
    ['call: check', { call: 'check' }, ['--call', 'check']],
    ['call: check with options', { call: 'check,error=true' }, ['--call', 'check,error=true']],
    ['cgroup-parent', { 'cgroup-parent': '/docker-build' }, ['--cgroup-parent', '/docker-build']],
    ['none set: no flag', {}, []],
  ])('%s', (_n, inputs, want) => {
    expect(argvOf(inputs)).toEqual(want);
  });

  test('the provenance and sbom inputs win over attests entries of their type', () => {
    expect(argvOf({ attests: 'type=sbom\ntype=provenance,mode=min\ntype=foo' }, { provenance: 'mode=max', sbom: 'true' })).toEqual(['--provenance', 'mode=max', '--sbom', 'true', '--attest', 'type=foo']);
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ 'add-hosts': 'nocolon' }, /^add-hosts: .*"nocolon" is not host:ip/],
    [{ 'add-hosts': 'h:999.1.1.1' }, /^add-hosts: .*not host:ip/],
    [{ allow: 'network.none' }, /^allow: .*"network.none" is not an entitlement: use network.host, security.insecure/],
    [{ attests: 'mode=max' }, /^attests: .*"mode=max" has no type/],
    [{ call: 'lint' }, /^call: .*"lint" is not a build method: use build, check, outline, targets/],
    [{ 'cgroup-parent': 'a b' }, /^cgroup-parent: .*not a cgroup path/],
  ])('%j → a clear error naming the input', (inputs, why) => {
    expect(parse(inputs).errors.join('\n')).toMatch(why);
  });
});

describe('call', () => {
  test('needs buildx >= 0.15: a clear error before building', () => {
    expect(() => checkCallSupported('check', 'github.com/docker/buildx v0.13.1 788433953af10f2a698f5c07611dddce2e08c7a0')).toThrow(/call: check needs buildx 0.15.0 or later, but this buildx is 0.13.1/);
    expect(() => checkCallSupported('check', 'github.com/docker/buildx 0.29.1 Debian 0.29.1+ds1-4')).not.toThrow();
    expect(() => checkCallSupported('', 'github.com/docker/buildx v0.13.1 x')).not.toThrow();
    expect(() => checkCallSupported('build', 'github.com/docker/buildx v0.13.1 x')).not.toThrow();
  });
  test('check/outline/targets build nothing, so nothing is pushed', () => {
    expect(decidePush(true, 'push', ['r/a'], { call: 'check' })).toEqual({ push: false, reason: 'call: check evaluates the build without building it' });
    expect(decidePush('auto', 'push', ['r/a'], { call: 'build' }).push).toBe(true);
  });
});

describe('github-token as the GIT_AUTH_TOKEN secret', () => {
  const base = { token: 'ghs_secret', serverUrl: 'https://github.com', secretIds: [] as string[] };
  test.each<[string, Partial<typeof base> & { sources: string[] }, string | undefined]>([
    ['git context on github.com', { sources: ['https://github.com/o/private.git#main'] }, `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`],
    ['github.com shorthand', { sources: ['github.com/o/private#main:sub'] }, `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`],
    ['a build-contexts source on github.com', { sources: ['docker-image://alpine', 'https://github.com/o/lib.git'] }, `id=GIT_AUTH_TOKEN.github.com,env=${GIT_AUTH_ENV}`],
    ['GHES server URL', { serverUrl: 'https://ghe.example.com', sources: ['https://ghe.example.com/o/r.git#v1'] }, `id=GIT_AUTH_TOKEN.ghe.example.com,env=${GIT_AUTH_ENV}`],
    ['github.com context on a GHES run: not its server', { serverUrl: 'https://ghe.example.com', sources: ['https://github.com/o/r.git'] }, undefined],
    ['other host excluded', { sources: ['https://gitlab.com/o/r.git#main'] }, undefined],
    ['look-alike host excluded', { sources: ['https://github.com.evil.example/o/r.git'] }, undefined],
    ['ssh URL: keys, not tokens', { sources: ['git@github.com:o/r.git'] }, undefined],
    ['local context', { sources: [] }, undefined],
    ['the user set GIT_AUTH_TOKEN themselves', { sources: ['https://github.com/o/r.git'], secretIds: ['GIT_AUTH_TOKEN'] }, undefined],
    ['no token', { sources: ['https://github.com/o/r.git'], token: '' }, undefined],
  ])('%s', (_n, g, want) => {
    expect(planGitAuthSecret({ ...base, ...g })).toBe(want);
  });
  test('the value is never on the command line', () => {
    const arg = planGitAuthSecret({ ...base, sources: ['https://github.com/o/r.git'] })!;
    expect(arg).not.toContain('ghs_secret');
  });
});

describe('call: check findings fail the step with what the checks printed, pointing at the Dockerfile line', () => {
  const CHECK_STDOUT = "Check complete, 1 warning has been found!\n\nWARNING: FromAsCasing - https://docs.docker.com/go/dockerfile/rule/from-as-casing/\n'as' and 'FROM' keywords' casing do not match\n/ws/Dockerfile:1\n--------------------\n   1 | >>> FROM scratch as base\n--------------------\n";
  test('runBuild', async () => {
    const { runBuild } = await import('../../../../src/stages/build/build.js');
    const exec = async () => ({ code: 1, stdout: CHECK_STDOUT, stderr: '' });
    const err = await runBuild(['docker', 'buildx', 'build'], '/m.json', { exec, readFile: () => undefined }, { call: 'check', dockerfile: 'Dockerfile' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ stage: 'build', annotation: { file: 'Dockerfile', line: 1 } });
    expect(String((err as Error).message)).toMatch(/build checks \(call: check\) found problems:\nCheck complete, 1 warning.*FromAsCasing/s);
  });
});

test('outputs to local files or a tarball: no --iidfile (buildx refuses it there)', async () => {
  const { exportsFilesOnly: exportsToFiles } = await import('../../../../src/stages/build/options.js');
  expect(exportsToFiles(['type=local,dest=out'])).toBe(true);
  expect(exportsToFiles(['type=tar,dest=o.tar'])).toBe(true);
  expect(exportsToFiles(['out-dir'])).toBe(true);
  expect(exportsToFiles(['type=registry', 'type=image,push=true'])).toBe(false);
  expect(exportsToFiles([])).toBe(false);
});
