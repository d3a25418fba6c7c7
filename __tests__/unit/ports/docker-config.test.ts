import {
  configParseWarning,
  FILE_STORE_PIN,
  prepareJobDockerConfig,
  seedConfig,
  userDockerConfigDir,
} from '../../../src/ports/docker-config.js';
import type { Files } from '../../../src/ports/files.js';

test.each<[string, Record<string, unknown>, string[], Record<string, unknown>]>([
  [
    "auths and helpers kept (earlier steps' logins stay usable)",
    { auths: { 'ghcr.io': { auth: 'eA==' } }, credHelpers: { 'x.io': 'ecr' } },
    [],
    { auths: { 'ghcr.io': { auth: 'eA==' } }, credHelpers: { 'x.io': 'ecr' } },
  ],
  [
    'a store becomes helpers for the registries it holds; inline auths need none',
    { auths: { 'a.io': {}, 'b.io': { auth: 'eA==' } }, credsStore: 'desktop' },
    [],
    { auths: { 'a.io': {}, 'b.io': { auth: 'eA==' } }, credHelpers: { 'a.io': 'desktop' } },
  ],
  [
    'registries this run logs in to get no store or helper',
    { auths: { 'a.io': {}, 'https://index.docker.io/v1/': {} }, credsStore: 'pass', credHelpers: { 'ghcr.io': 'gh' } },
    ['ghcr.io', ''],
    { auths: { 'a.io': {}, 'https://index.docker.io/v1/': {} }, credHelpers: { 'a.io': 'pass' } },
  ],
  [
    'current context and proxies kept (they decide which engine and network the build uses)',
    { auths: {}, currentContext: 'remote', proxies: { default: { httpProxy: 'http://p:3128' } } },
    [],
    { auths: {}, currentContext: 'remote', proxies: { default: { httpProxy: 'http://p:3128' } } },
  ],
])('seedConfig: %s', (_n, user, logins, want) => {
  // every seed is pinned to file storage (see FILE_STORE_PIN)
  expect(JSON.parse(seedConfig(JSON.stringify(user), logins))).toEqual({
    ...want,
    auths: { ...(want.auths as object), ...FILE_STORE_PIN },
  });
});

test('seedConfig: never a credsStore, always an auths entry, so docker never picks the platform store', () => {
  for (const user of [
    undefined,
    '{}',
    '{"auths":{}}',
    '{"credsStore":"secretservice"}',
    '{"credsStore":"pass","auths":{"ghcr.io":{}}}',
  ]) {
    const seed = JSON.parse(seedConfig(user, ['ghcr.io'])) as {
      credsStore?: string;
      auths: Record<string, unknown>;
      credHelpers?: Record<string, string>;
    };
    expect(seed.credsStore).toBeUndefined();
    expect(Object.keys(seed.auths).length).toBeGreaterThan(0);
    expect(seed.credHelpers?.['ghcr.io']).toBeUndefined();
  }
});

test('seedConfig: missing or unreadable user config starts empty', () => {
  expect(JSON.parse(seedConfig(undefined))).toEqual({ auths: FILE_STORE_PIN });
  expect(JSON.parse(seedConfig('not json'))).toEqual({ auths: FILE_STORE_PIN });
});

test('userDockerConfigDir: DOCKER_CONFIG, else ~/.docker', () => {
  expect(userDockerConfigDir({ DOCKER_CONFIG: '/c', HOME: '/h' })).toBe('/c');
  expect(userDockerConfigDir({ HOME: '/h' })).toBe('/h/.docker');
});

test("prepareJobDockerConfig: 0600 config.json, links to contexts/buildx state, own cli-plugins with links to the user's plugins", () => {
  const written: Record<string, [string, number | undefined]> = {};
  const links: [string, string][] = [];
  const dirs: string[] = [];
  const existing: Record<string, string> = {
    '/h/.docker/config.json': '{"auths":{"a.io":{}}}',
    '/h/.docker/buildx': '',
  };
  const files: Files = {
    exists: (p) => p in existing,
    readFile: (p) => existing[p],
    makeTempDir: () => '/tmp/x',
    remove: () => undefined,
    writeFile: (p, c, m) => void (written[p] = [c, m]),
    symlink: (t, p) => void links.push([t, p]),
    makeDir: (p) => void dirs.push(p),
    listDir: (p) => (p === '/h/.docker/cli-plugins' ? ['docker-buildx', 'docker-compose'] : []),
  };
  prepareJobDockerConfig('/job', { files, env: { HOME: '/h' } });
  expect(written['/job/config.json']).toEqual([expect.stringContaining('"a.io"'), 0o600]);
  expect(dirs).toEqual(['/h/.docker/buildx', '/job/cli-plugins']);
  expect(links).toEqual([
    ['/h/.docker/buildx', '/job/buildx'],
    ['/h/.docker/cli-plugins/docker-buildx', '/job/cli-plugins/docker-buildx'],
    ['/h/.docker/cli-plugins/docker-compose', '/job/cli-plugins/docker-compose'],
  ]);
});

describe('a user config.json docker cannot parse', () => {
  test.each(['not json {', '{"auths":', 'null', '[1]', '"x"'])(
    '%s: a warning naming the file; seeded empty',
    (text) => {
      expect(configParseWarning(text, '/h/.docker/config.json')).toMatch(
        /^Unable to parse config file \/h\/\.docker\/config\.json: .*the docker defaults are used/,
      );
      expect(JSON.parse(seedConfig(text))).toEqual({ auths: { ...FILE_STORE_PIN } });
    },
  );

  test('a valid or missing config: no warning', () => {
    expect(configParseWarning('{"auths":{}}', '/c')).toBeUndefined();
    expect(configParseWarning(undefined, '/c')).toBeUndefined();
    expect(configParseWarning('  ', '/c')).toBeUndefined();
  });

  test('hostile text stays on one line of bounded length', () => {
    const w = configParseWarning(`{\n::error::x${'a'.repeat(100_000)}`, '/c')!;
    expect(w.split('\n')).toHaveLength(1);
    expect(w.length).toBeLessThan(500);
  });

  test('prepareJobDockerConfig returns the warning', () => {
    const written: Record<string, string> = {};
    const files = {
      readFile: (p: string) => (p === '/h/.docker/config.json' ? 'nope' : undefined),
      writeFile: (p: string, t: string) => void (written[p] = t),
      makeDir: () => undefined,
      exists: () => false,
      symlink: () => undefined,
      listDir: () => [],
    } as unknown as Files;
    expect(prepareJobDockerConfig('/job', { files, env: { HOME: '/h' } }).warning).toMatch(
      /Unable to parse config file \/h\/\.docker\/config\.json/,
    );
  });
});
