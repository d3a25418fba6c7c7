/** dry-run: only read-only commands reach the real exec gateway; buildx gets labels and annotations. */
import type { ExecRequest } from '../../../src/ports/exec.js';
import { dryRunExec, isReadOnly } from '../../../src/ports/exec-dry-run.js';
import { planBuild } from '../../../src/stages/build/plan.js';

test.each([
  [['docker', 'version', '--format', '{{.Server.Arch}}'], true],
  [['docker', 'info', '--format', '{{json .DriverStatus}}'], true],
  [['docker', 'buildx', 'version'], true],
  [['docker', 'buildx', 'inspect', 'b'], true],
  [['docker', 'buildx', 'inspect', '--bootstrap', 'b'], false],
  [['docker', 'buildx', 'build', '--push', '.'], false],
  [['docker', 'buildx', 'create', '--name', 'x'], false],
  [['docker', 'buildx', 'rm', 'x'], false],
  [['docker', 'run', '--privileged', 'tonistiigi/binfmt'], false],
  [['docker', 'login', 'ghcr.io'], false],
  [['docker', 'push', 'x'], false],
  [['docker', 'rmi', 'x'], false],
])('%j read-only: %s', (argv, ro) => {
  expect(isReadOnly(argv)).toBe(ro);
});

test('dryRunExec runs probes, prints and skips the rest', async () => {
  const ran: string[][] = [];
  const logs: string[] = [];
  const real = async (req: ExecRequest) => {
    ran.push(req.argv);
    return { code: 0, stdout: 'amd64', stderr: '' };
  };
  const exec = dryRunExec(real, (m) => logs.push(m));
  expect((await exec({ argv: ['docker', 'version'] })).stdout).toBe('amd64');
  expect(await exec({ argv: ['docker', 'buildx', 'build', '.'] })).toEqual({ code: 0, stdout: '', stderr: '' });
  expect(ran).toEqual([['docker', 'version']]);
  expect(logs).toEqual(['dry-run: not running ["docker","buildx","build","."]']);
});

test('planBuild passes labels and annotations as --label / --annotation', () => {
  const argv = planBuild({
    builder: 'default',
    platforms: ['linux/amd64'],
    context: '/ctx',
    file: '',
    buildArgs: [],
    refs: ['a/b:1'],
    labels: ['org.opencontainers.image.version=1', 'x=a b'],
    annotations: ['manifest:org.opencontainers.image.version=1'],
    push: false,
    metadataFile: '/m',
  });
  expect(argv).toEqual([
    'docker',
    'buildx',
    'build',
    '--builder',
    'default',
    '--platform',
    'linux/amd64',
    '--tag',
    'a/b:1',
    '--label',
    'org.opencontainers.image.version=1',
    '--label',
    'x=a b',
    '--annotation',
    'manifest:org.opencontainers.image.version=1',
    '--metadata-file',
    '/m',
    '/ctx',
  ]);
});
