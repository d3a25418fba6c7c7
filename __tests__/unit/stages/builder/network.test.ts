import {
  buildRegistryRefs,
  existingBuilderLoopback,
  inspectedBuilder,
  isLocalEndpoint,
  loopbackRegistries,
  networkOpt,
  planLoopback,
  type RegistryUses,
} from '../../../../src/stages/builder/network.js';

const uses = (over: Partial<RegistryUses> = {}): RegistryUses => ({
  images: [],
  literalRefs: [],
  cacheFrom: [],
  cacheTo: [],
  buildContexts: [],
  outputs: [],
  ...over,
});

describe('buildRegistryRefs: every registry BuildKit talks to', () => {
  test('images, literal refs, cache refs, docker-image build contexts and image outputs', () => {
    const refs = buildRegistryRefs(
      uses({
        images: ['ghcr.io/o/app'],
        literalRefs: ['localhost:5001/lit:1'],
        cacheFrom: ['type=registry,ref=127.0.0.1:5002/cache:x', 'type=gha,scope=s', 'user/app:cache'],
        cacheTo: ['type=local,dest=/tmp/c', 'type=registry,ref=[::1]:5003/c,mode=max'],
        buildContexts: ['base=docker-image://127.0.0.1:5004/base:1', 'src=../src', 'lay=oci-layout:///tmp/l'],
        outputs: ['type=registry,"name=127.0.0.1:5005/a,127.0.0.1:5006/b"', 'type=local,dest=out'],
      }),
    );
    expect(refs).toEqual([
      'ghcr.io/o/app',
      'localhost:5001/lit:1',
      '127.0.0.1:5002/cache:x',
      'user/app:cache',
      '[::1]:5003/c',
      '127.0.0.1:5004/base:1',
      '127.0.0.1:5005/a',
      '127.0.0.1:5006/b',
    ]);
    expect(loopbackRegistries(refs)).toEqual([
      'localhost:5001',
      '127.0.0.1:5002',
      '[::1]:5003',
      '127.0.0.1:5004',
      '127.0.0.1:5005',
      '127.0.0.1:5006',
    ]);
  });
  test('each host once; none for remote registries', () => {
    expect(loopbackRegistries(['127.0.0.1:5000/a', '127.0.0.1:5000/b:1', 'ghcr.io/x'])).toEqual(['127.0.0.1:5000']);
    expect(loopbackRegistries(['ghcr.io/x', 'docker.io/library/alpine'])).toEqual([]);
  });
});

describe('planLoopback: a builder this action creates', () => {
  const hosts = ['127.0.0.1:5000'];
  test('docker-container: network=host added and said why', () => {
    const a = planLoopback('docker-container', ['image=moby/buildkit:x'], [], hosts);
    expect(a.driverOpt).toBe('network=host');
    expect(a.info).toMatch(/network=host added: 127\.0\.0\.1:5000 is on this runner's loopback/);
    expect(a.warning).toBeUndefined();
  });
  test('a network the user chose is kept: host silently, another with a warning', () => {
    expect(planLoopback('docker-container', ['network=host'], [], hosts)).toEqual({});
    const a = planLoopback('docker-container', ['network=bridge'], [], hosts);
    expect(a.driverOpt).toBeUndefined();
    expect(a.warning).toMatch(/sets network=bridge.*Use network=host/);
    expect(networkOpt(['image=x', ' network=mynet'])).toBe('mynet');
  });
  test('no loopback registry or the docker driver: nothing', () => {
    expect(planLoopback('docker-container', [], [], [])).toEqual({});
    expect(planLoopback('docker', [], [], hosts)).toEqual({});
  });
  test('remote: fine on this machine, a warning naming problem and fix elsewhere', () => {
    expect(planLoopback('remote', [], ['tcp://127.0.0.1:1234'], hosts)).toEqual({});
    expect(planLoopback('remote', [], ['unix:///run/buildkit/buildkitd.sock'], hosts)).toEqual({});
    const w = planLoopback('remote', [], ['tcp://buildkitd.example:1234'], hosts).warning;
    expect(w).toMatch(
      /127\.0\.0\.1:5000 is on this runner's loopback, but the remote builder \(tcp:\/\/buildkitd\.example:1234\) runs BuildKit on another machine/,
    );
    expect(w).toMatch(/run buildkitd on this runner/);
    expect(planLoopback('kubernetes', [], [], hosts).warning).toMatch(
      /the kubernetes builder runs BuildKit on another machine/,
    );
  });
  test('isLocalEndpoint', () => {
    expect(isLocalEndpoint('tcp://localhost:1')).toBe(true);
    expect(isLocalEndpoint('tcp://[::1]:1')).toBe(true);
    expect(isLocalEndpoint('tcp://10.0.0.1:1')).toBe(false);
    expect(isLocalEndpoint('ssh://me@host')).toBe(false);
  });
});

describe('an existing builder and a loopback registry', () => {
  const inspect = (driver: string, nodes: string) =>
    `Name:          mine\nDriver:        ${driver}\n\nNodes:\n${nodes}`;
  test('parseInspectNodes reads every node endpoint and its network', () => {
    const text = inspect(
      'docker-container',
      'Name: mine0\nEndpoint:              unix:///var/run/docker.sock\nDriver Options:        image="x" network="host"\nStatus: running\nName: mine1\nEndpoint: ctx2\nStatus: running\n',
    );
    expect(inspectedBuilder(text)).toEqual({
      driver: 'docker-container',
      nodes: [{ endpoint: 'unix:///var/run/docker.sock', network: 'host' }, { endpoint: 'ctx2' }],
    });
  });
  test('docker-container without network=host: a warning with the fix; with it, none', () => {
    const b = inspectedBuilder(inspect('docker-container', 'Name: n0\nEndpoint: default\nStatus: running\n'));
    expect(existingBuilderLoopback('mine', b, ['127.0.0.1:5000'])).toMatch(
      /127\.0\.0\.1:5000 is on this runner's loopback, but builder mine runs BuildKit in a container.*--driver-opt network=host.*drop the builder input/,
    );
    expect(
      existingBuilderLoopback(
        'mine',
        inspectedBuilder(inspect('docker-container', 'Name: n0\nEndpoint: default\nDriver Options: network="host"\n')),
        ['127.0.0.1:5000'],
      ),
    ).toBeUndefined();
    expect(existingBuilderLoopback('mine', b, [])).toBeUndefined();
  });
  test('docker driver or a remote daemon on this machine: none; a remote elsewhere: a warning', () => {
    expect(
      existingBuilderLoopback('default', inspectedBuilder(inspect('docker', 'Name: n0\nEndpoint: default\n')), [
        'localhost:5000',
      ]),
    ).toBeUndefined();
    expect(
      existingBuilderLoopback('r', inspectedBuilder(inspect('remote', 'Name: n0\nEndpoint: tcp://127.0.0.1:1234\n')), [
        'localhost:5000',
      ]),
    ).toBeUndefined();
    expect(
      existingBuilderLoopback('r', inspectedBuilder(inspect('remote', 'Name: n0\nEndpoint: tcp://10.0.0.9:1234\n')), [
        'localhost:5000',
      ]),
    ).toMatch(/builder r \(driver remote\) runs BuildKit away from this runner/);
  });
});

describe('configMirrors: registry mirrors in the BuildKit config are registries too', () => {
  test('every mirror of every registry, scheme and path dropped', async () => {
    const { configMirrors } = await import('../../../../src/stages/builder/network.js');
    const toml =
      '[registry."docker.io"]\n  mirrors = ["127.0.0.1:5000", "http://localhost:5001/prefix"]\n[registry."ghcr.io"]\n  mirrors = ["mirror.example.com"]\n[registry."127.0.0.1:5000"]\n  http = true\n';
    const refs = configMirrors(toml);
    expect(refs).toEqual(['127.0.0.1:5000/mirror', 'localhost:5001/mirror', 'mirror.example.com/mirror']);
    expect(loopbackRegistries(refs)).toEqual(['127.0.0.1:5000', 'localhost:5001']);
    expect(configMirrors('debug = true\n')).toEqual([]);
    expect(configMirrors('not [ toml')).toEqual([]);
  });
});
