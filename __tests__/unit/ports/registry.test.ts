import { configCredentials, parseChallenge, registryBase, RegistryRepo } from '../../../src/ports/registry.js';
import { fakeExec } from '../fakes.js';

describe('registry client for the arch check', () => {
  test('loopback registries are plain HTTP, others HTTPS, Docker Hub at registry-1', () => {
    expect(registryBase('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBase('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBase('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBase('docker.io')).toBe('https://registry-1.docker.io');
  });

  test('loopback is what reference.ts says it is: a host named 127.something is not, LOCALHOST is', () => {
    // registry.ts had its own test, /^127\./ on the host, which took 127.example.com for loopback
    expect(registryBase('127.example.com')).toBe('https://127.example.com');
    expect(registryBase('127.0.0.1')).toBe('http://127.0.0.1');
    expect(registryBase('LOCALHOST:5000')).toBe('http://LOCALHOST:5000');
    expect(registryBase('[::1]:5000')).toBe('http://[::1]:5000');
  });

  test('manifests are asked for as an index or an image manifest, OCI or Docker', async () => {
    let accept = '';
    const fetch = (async (_url: string | URL, init?: RequestInit) => {
      accept = (init?.headers as Record<string, string>).Accept!;
      return new Response('{}');
    }) as typeof globalThis.fetch;
    const { repo } = RegistryRepo.of('127.0.0.1:5000/app:v1', {
      fetch,
      exec: fakeExec(),
      readFile: () => undefined,
      dockerConfig: '/cfg',
    });
    await repo.manifest('v1');
    expect(accept).toBe(
      'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    );
  });

  test('challenge and credentials parsing', () => {
    expect(parseChallenge('Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull"')).toEqual(
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a:pull' },
      },
    );
    const auth = Buffer.from('u:p:w').toString('base64');
    expect(configCredentials(JSON.stringify({ auths: { 'ghcr.io': { auth } } }), 'ghcr.io')).toEqual({
      username: 'u',
      password: 'p:w',
    });
    expect(
      configCredentials(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth } } }), 'docker.io'),
    ).toEqual({ username: 'u', password: 'p:w' });
    expect(configCredentials(JSON.stringify({ credHelpers: { 'ghcr.io': 'gh' } }), 'ghcr.io')).toEqual({
      helper: 'gh',
    });
    expect(configCredentials('not json', 'ghcr.io')).toBeUndefined();
  });

  test('a 401 is answered with a pull token fetched with the config credentials', async () => {
    const seen: { url: string; auth?: string }[] = [];
    const fetch = (async (url: string | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.Authorization;
      seen.push({ url: String(url), auth });
      if (String(url).startsWith('https://auth.example/token')) return new Response(JSON.stringify({ token: 'T' }));
      if (auth !== 'Bearer T')
        return new Response('', {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token",service="reg"' },
        });
      return new Response('{"manifests":[]}');
    }) as typeof globalThis.fetch;
    const config = JSON.stringify({ auths: { 'reg.example': { auth: Buffer.from('me:pw').toString('base64') } } });
    const { repo, reference } = RegistryRepo.of('reg.example/o/app:v1', {
      fetch,
      exec: fakeExec(),
      readFile: () => config,
      dockerConfig: '/cfg',
    });
    expect(await repo.manifest(reference)).toBe('{"manifests":[]}');
    expect(seen.map((s) => s.url)).toEqual([
      'https://reg.example/v2/o/app/manifests/v1',
      'https://auth.example/token?service=reg&scope=repository%3Ao%2Fapp%3Apull',
      'https://reg.example/v2/o/app/manifests/v1',
    ]);
    expect(seen[1]!.auth).toBe(`Basic ${Buffer.from('me:pw').toString('base64')}`);
  });
});
