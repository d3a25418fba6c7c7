import { splitReference } from '../../../src/oci/reference.js';
import { configCredentials, parseChallenge, registryBase, RegistryRepo } from '../../../src/ports/registry.js';
import { fakeExec } from '../fakes.js';

describe('registry client for the arch check', () => {
  test.each([
    ['alpine', 'docker.io', 'library/alpine', 'latest'],
    ['docker.io/o/x:1', 'docker.io', 'o/x', '1'],
    ['index.docker.io/alpine', 'docker.io', 'library/alpine', 'latest'],
    ['127.0.0.1:5000/e2e/x:v1', '127.0.0.1:5000', 'e2e/x', 'v1'],
    ['localhost/x@sha256:ab', 'localhost', 'x', 'sha256:ab'],
    ['ghcr.io/o/x:v1@sha256:ab', 'ghcr.io', 'o/x', 'sha256:ab'],
    ['o/x', 'docker.io', 'o/x', 'latest'],
  ])('splitReference(%p)', (ref, registry, repository, reference) => {
    expect(splitReference(ref)).toEqual({ registry, repository, reference });
  });

  test('loopback registries are plain HTTP, others HTTPS, Docker Hub at registry-1', () => {
    expect(registryBase('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBase('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBase('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBase('docker.io')).toBe('https://registry-1.docker.io');
  });

  test('challenge and credentials parsing', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a:pull' },
    });
    const auth = Buffer.from('u:p:w').toString('base64');
    expect(configCredentials(JSON.stringify({ auths: { 'ghcr.io': { auth } } }), 'ghcr.io')).toEqual({ username: 'u', password: 'p:w' });
    expect(configCredentials(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth } } }), 'docker.io')).toEqual({ username: 'u', password: 'p:w' });
    expect(configCredentials(JSON.stringify({ credHelpers: { 'ghcr.io': 'gh' } }), 'ghcr.io')).toEqual({ helper: 'gh' });
    expect(configCredentials('not json', 'ghcr.io')).toBeUndefined();
  });

  test('a 401 is answered with a pull token fetched with the config credentials', async () => {
    const seen: { url: string; auth?: string }[] = [];
    const fetch = (async (url: string | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
      seen.push({ url: String(url), auth });
      if (String(url).startsWith('https://auth.example/token')) return new Response(JSON.stringify({ token: 'T' }));
      if (auth !== 'Bearer T') return new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg"' } });
      return new Response('{"manifests":[]}');
    }) as typeof globalThis.fetch;
    const config = JSON.stringify({ auths: { 'reg.example': { auth: Buffer.from('me:pw').toString('base64') } } });
    const { repo, reference } = RegistryRepo.of('reg.example/o/app:v1', { fetch, exec: fakeExec(), readFile: () => config, dockerConfig: '/cfg' });
    expect(await repo.manifest(reference)).toBe('{"manifests":[]}');
    expect(seen.map((s) => s.url)).toEqual([
      'https://reg.example/v2/o/app/manifests/v1',
      'https://auth.example/token?service=reg&scope=repository%3Ao%2Fapp%3Apull',
      'https://reg.example/v2/o/app/manifests/v1',
    ]);
    expect(seen[1]!.auth).toBe(`Basic ${Buffer.from('me:pw').toString('base64')}`);
  });
});
