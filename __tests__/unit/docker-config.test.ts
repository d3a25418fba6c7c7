import { prepareJobDockerConfig, seedConfig, userDockerConfigDir } from '../../src/docker-config.js';
import type { Files } from '../../src/deps.js';

test.each([
  ['auths kept, credential store and helpers left out', { auths: { 'ghcr.io': { auth: 'eA==' } }, credsStore: 'desktop', credHelpers: { 'x.io': 'ecr' } }, { auths: { 'ghcr.io': { auth: 'eA==' } } }],
  ['current context and proxies kept (they decide which engine and network the build uses)', { auths: {}, currentContext: 'remote', proxies: { default: { httpProxy: 'http://p:3128' } } }, { auths: {}, currentContext: 'remote', proxies: { default: { httpProxy: 'http://p:3128' } } }],
])('seedConfig: %s', (_n, user, want) => {
  expect(JSON.parse(seedConfig(JSON.stringify(user)))).toEqual(want);
});

test('seedConfig: missing or unreadable user config starts empty', () => {
  expect(JSON.parse(seedConfig(undefined))).toEqual({ auths: {} });
  expect(JSON.parse(seedConfig('not json'))).toEqual({ auths: {} });
});

test('userDockerConfigDir: DOCKER_CONFIG, else ~/.docker', () => {
  expect(userDockerConfigDir({ DOCKER_CONFIG: '/c', HOME: '/h' })).toBe('/c');
  expect(userDockerConfigDir({ HOME: '/h' })).toBe('/h/.docker');
});

test('prepareJobDockerConfig: 0600 config.json, links to contexts/buildx state, own cli-plugins with links to the user\'s plugins', () => {
  const written: Record<string, [string, number | undefined]> = {};
  const links: [string, string][] = [];
  const dirs: string[] = [];
  const existing: Record<string, string> = { '/h/.docker/config.json': '{"auths":{"a.io":{}}}', '/h/.docker/buildx': '' };
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
  expect(dirs).toEqual(['/job/cli-plugins']);
  expect(links).toEqual([
    ['/h/.docker/buildx', '/job/buildx'],
    ['/h/.docker/cli-plugins/docker-buildx', '/job/cli-plugins/docker-buildx'],
    ['/h/.docker/cli-plugins/docker-compose', '/job/cli-plugins/docker-compose'],
  ]);
});
