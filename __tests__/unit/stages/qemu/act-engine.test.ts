import {
  activeEndpoint,
  builderEndpoint,
  configCurrentContext,
  DEFAULT_DOCKER_HOST,
  isLocalHost,
  locateEngine,
} from '../../../../src/stages/qemu/act-engine.js';
import { fakeExec } from '../../fakes.js';

const HOSTILE = '\n::error::x';

describe('activeEndpoint: the endpoint the docker CLI uses, in its order', () => {
  test.each([
    [{}, undefined, { host: DEFAULT_DOCKER_HOST, source: 'default' }],
    [{ DOCKER_HOST: 'tcp://10.0.0.1:2376', DOCKER_CONTEXT: 'foo' }, undefined, { host: 'tcp://10.0.0.1:2376' }],
    [{ DOCKER_CONTEXT: 'foo' }, '{"currentContext":"bar"}', { context: 'foo', source: 'DOCKER_CONTEXT' }],
    [{ DOCKER_CONTEXT: 'default' }, '{"currentContext":"bar"}', { host: DEFAULT_DOCKER_HOST }],
    [{}, '{"currentContext":"bar"}', { context: 'bar' }],
    [{}, '{"currentContext":"default","auths":{}}', { host: DEFAULT_DOCKER_HOST }],
    // a config docker cannot parse: the CLI uses its defaults, so does the decision
    [{}, 'not json {', { host: DEFAULT_DOCKER_HOST, source: 'default' }],
    [{}, '[1,2]', { host: DEFAULT_DOCKER_HOST }],
    [{}, 'null', { host: DEFAULT_DOCKER_HOST }],
  ])('%o with config %s', (env, config, want) => {
    expect(activeEndpoint(env as NodeJS.ProcessEnv, config)).toMatchObject(want);
  });

  test('configCurrentContext ignores non-string values', () => {
    expect(configCurrentContext('{"currentContext":7}')).toBeUndefined();
    expect(configCurrentContext(undefined)).toBeUndefined();
  });
});

describe('builderEndpoint: the endpoint input moves the first node', () => {
  const active = activeEndpoint({}, undefined);
  test.each([
    ['', active],
    ['foo', { context: 'foo', source: 'endpoint' }],
    ['unix:///run/docker.sock', { host: 'unix:///run/docker.sock', source: 'endpoint' }],
    ['ssh://me@box', { host: 'ssh://me@box' }],
    ['default', { host: DEFAULT_DOCKER_HOST }],
  ])('%s', (input, want) => {
    expect(builderEndpoint(active, input)).toMatchObject(want);
  });
});

test.each([
  ['unix:///var/run/docker.sock', true],
  ['unix:///run/user/1000/docker.sock', true],
  ['tcp://127.0.0.1:2375', false],
  ['ssh://me@box', false],
  ['npipe:////./pipe/docker_engine', false],
  ['', false],
])('isLocalHost(%s) = %s', (host, want) => {
  expect(isLocalHost(host)).toBe(want);
});

describe('locateEngine', () => {
  test('a context on the local socket is this machine: one context inspect, argv ends the options', async () => {
    const exec = fakeExec(() => ({ stdout: 'unix:///var/run/docker.sock\n' }));
    const where = await locateEngine(exec, { context: '-foo', source: 'DOCKER_CONTEXT' });
    expect(where).toMatchObject({ local: true, host: 'unix:///var/run/docker.sock' });
    expect(exec.calls.map((c) => c.argv)).toEqual([
      ['docker', 'context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', '--', '-foo'],
    ]);
  });

  test('a context on tcp is not known to be this machine', async () => {
    const exec = fakeExec(() => ({ stdout: 'tcp://10.1.2.3:2376' }));
    expect(await locateEngine(exec, { context: 'box', source: 'endpoint' })).toMatchObject({ local: false });
  });

  test('a context that cannot be inspected: unknown address, says why, not local', async () => {
    const exec = fakeExec(() => ({ code: 1, stderr: `context "x${HOSTILE}" does not exist` }));
    const where = await locateEngine(exec, { context: `x${HOSTILE}`, source: 'DOCKER_CONTEXT' });
    expect(where.local).toBe(false);
    expect(where.host).toBe('');
    expect(where.described).toMatch(/its address unknown .*does not exist/s);
  });

  test('a known host needs no command; a 100 kB host is only described', async () => {
    const exec = fakeExec();
    const big = `tcp://${'a'.repeat(100_000)}`;
    expect((await locateEngine(exec, { host: big, source: 'DOCKER_HOST' })).local).toBe(false);
    expect((await locateEngine(exec, { host: DEFAULT_DOCKER_HOST, source: 'default' })).local).toBe(true);
    expect(exec.calls).toEqual([]);
  });
});
