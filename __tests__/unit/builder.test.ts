import { parseBuildxVersion, planBuilder, runBuilder } from '../../src/stages/builder.js';
import { fakeExec } from './fakes.js';

const containerd: [string, string][] = [['driver-type', 'io.containerd.snapshotter.v1']];
const classic: [string, string][] = [['Backing Filesystem', 'extfs'], ['Supports d_type', 'true']];

describe('planBuilder', () => {
  test.each([
    ['containerd store → docker driver on the context builder', { buildxVersion: 'github.com/docker/buildx v0.13.1 abc', driverStatus: containerd, dockerContext: 'default' }, { name: 'default', driver: 'docker', buildxVersion: '0.13.1' }],
    ['other context name', { buildxVersion: 'github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3', driverStatus: containerd, dockerContext: 'dind' }, { name: 'dind', driver: 'docker', buildxVersion: '0.13.1' }],
  ])('%s', (_n, probe, want) => expect(planBuilder(probe)).toEqual(want));

  test.each([
    ['no buildx', { driverStatus: containerd, dockerContext: 'default' }, /buildx is not installed/],
    ['classic store', { buildxVersion: 'v0.13.1', driverStatus: classic, dockerContext: 'default' }, /classic image store.*containerd-snapshotter/],
  ])('%s → error', (_n, probe, why) => expect(() => planBuilder(probe)).toThrow(why));
});

test.each([
  ['github.com/docker/buildx v0.29.1 abcdef', '0.29.1'],
  ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3', '0.13.1'],
  ['nonsense', undefined],
])('parseBuildxVersion(%j)', (text, want) => expect(parseBuildxVersion(text)).toBe(want));

test('runBuilder probes read-only and plans', async () => {
  const exec = fakeExec(({ argv }) => {
    if (argv[1] === 'buildx') return { stdout: 'github.com/docker/buildx v0.13.1 x' };
    if (argv[1] === 'info') return { stdout: JSON.stringify(containerd) };
    return { stdout: 'default\n' };
  });
  expect(await runBuilder(exec)).toEqual({ name: 'default', driver: 'docker', buildxVersion: '0.13.1' });
  expect(exec.calls.every((c) => c.silent)).toBe(true);
});
