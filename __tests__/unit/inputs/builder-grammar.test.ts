import {
  checkBuildkitdFlags,
  checkBuildkitdToml,
  checkDriverOpts,
  checkEndpoint,
} from '../../../src/inputs/builder-grammar.js';
import { DEFAULT_BUILDKITD_FLAGS } from '../../../src/stages/builder/plan.js';

describe('endpoint: a docker context name or a builder address', () => {
  test.each([
    'arm64-ctx',
    'default',
    'tcp://buildkitd:1234',
    'unix:///run/buildkit/buildkitd.sock',
    'ssh://user@host',
    'docker-container://buildkitd',
    'kube-pod://buildkitd-0',
    'npipe:////./pipe/buildkitd',
  ])('%s', (v) => expect(checkEndpoint(v)).toBe(v));
  test.each([
    ['http://buildkitd:1234', /not a docker context name or a builder address/],
    ['my ctx', /not a docker context name/],
    ['tcp://', /not a docker context name/],
    ['--help', /starts with "-"/],
    ['tcp://b:1\n::error::x', /one line/],
    [`ctx${'a'.repeat(100_000)} x`, /not a docker context name/],
  ])('%j is refused', (v, why) => expect(() => checkEndpoint(v)).toThrow(why));
});

describe('driver-opts: key=value, a key the driver knows', () => {
  test.each([
    [['image=moby/buildkit:latest', 'network=host', 'env.BUILDKIT_STEP_LOG_MAX_SIZE=10485760'], 'docker-container'],
    [['memory=4g', 'cpu-quota=50000', 'default-load=true', 'cgroup-parent=/ci'], 'auto'],
    [
      ['namespace=ci', 'replicas=2', 'requests.cpu=1', 'nodeselector=kubernetes.io/arch=arm64', 'rootless=true'],
      'kubernetes',
    ],
    [['cacert=/certs/ca.pem', 'servername=buildkitd'], 'remote'],
  ])('%j for %s', (opts, driver) => expect(() => checkDriverOpts(opts, driver)).not.toThrow());
  test.each([
    [['network'], 'auto', /"network" is not key=value/],
    [['imag=x'], 'docker-container', /"imag" is not a docker-container driver option: use image, memory/],
    [['image=x'], 'remote', /"image" is not a remote driver option: use key, cert, cacert, servername, default-load/],
    [['env.X=1'], 'kubernetes', /"env.X" is not a kubernetes driver option/],
    [['default-load=yes'], 'auto', /default-load must be true or false/],
    [['network=host\n::error::x'], 'auto', /one line/],
    [['-x=1'], 'auto', /not a docker-container \(driver auto\) driver option/],
  ])('%j for %s is refused', (opts, driver, why) => expect(() => checkDriverOpts(opts, driver)).toThrow(why));
});

describe('buildkitd-flags: daemon flags only', () => {
  test.each([
    DEFAULT_BUILDKITD_FLAGS,
    '--debug',
    '--debug --allow-insecure-entitlement=network.host',
    "--oci-worker-gc-keepstorage '10000'",
    '--config /etc/buildkitd.toml --debug',
  ])('%s', (v) => expect(checkBuildkitdFlags(v)).toBe(v));
  test.each([
    ['debug', /"debug" is not a buildkitd flag/],
    ['-d', /"-d" is not a buildkitd flag/],
    ['--debug extra more', /"more" is not a buildkitd flag/],
    ['--root -x', /"-x" is not a buildkitd flag/],
    ['--debug && curl x', /"&&" is not a buildkitd flag: flags are passed without a shell/],
    ['--debug # comment', /is not a buildkitd flag/],
    ['--debug\n::error::x', /one line/],
    [`--debug ${'a'.repeat(100_000)} b`, /is not a buildkitd flag/],
  ])('%j is refused', (v, why) => expect(() => checkBuildkitdFlags(v)).toThrow(why));
});

describe('buildkitd config: TOML', () => {
  test('a buildkitd.toml is accepted', () => {
    expect(() => checkBuildkitdToml('debug = true\n[worker.oci]\n  max-parallelism = 4\n')).not.toThrow();
  });
  test.each(['[worker.oci\nx = 1', 'x\n::error::x', '-x', `k = "${'a'.repeat(100_000)}`])('%j is refused', (v) => {
    expect(() => checkBuildkitdToml(v)).toThrow(/not valid TOML/);
  });
});
