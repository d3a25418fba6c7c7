import { InputErrors } from '../../../src/errors.js';
import { DEFAULT_QEMU_IMAGE, parseAppend } from '../../../src/inputs/builder.js';
import { parseInputs } from '../../../src/inputs/index.js';

const base: Record<string, string> = { platforms: 'linux/amd64,linux/arm64', images: 'x/y' };
const env = {
  workspace: '/ws',
  exists: (p: string) => p === '/ws' || p === '/ws/Dockerfile' || p === '/ws/buildkitd.toml',
};
const parse = (inputs: Record<string, string>) => parseInputs((n) => ({ ...base, ...inputs })[n] ?? '', env);
function errorsOf(inputs: Record<string, string>): string[] {
  try {
    parse(inputs);
    return [];
  } catch (err) {
    if (err instanceof InputErrors) return err.errors.map((e) => e.message);
    throw err;
  }
}

test('defaults', () => {
  const i = parse({});
  expect(i).toMatchObject({
    qemu: 'auto',
    qemuImage: DEFAULT_QEMU_IMAGE,
    buildxVersion: '',
    driver: 'auto',
    append: [],
    builder: '',
    cleanup: true,
  });
  expect(DEFAULT_QEMU_IMAGE).toMatch(/^docker\.io\/tonistiigi\/binfmt:qemu-v[\d.]+@sha256:[0-9a-f]{64}$/);
});

test('values', () => {
  const i = parse({
    qemu: 'false',
    'buildx-version': 'v0.29.1',
    'buildx-download-url': 'http://127.0.0.1:8080/buildx/',
    driver: 'docker-container',
    'driver-opts': 'image=local/buildkit:1\nnetwork=host',
    'buildkitd-config': 'buildkitd.toml',
    cleanup: 'false',
  });
  expect(i).toMatchObject({
    qemu: 'false',
    buildxVersion: '0.29.1',
    buildxDownloadUrl: 'http://127.0.0.1:8080/buildx',
    driver: 'docker-container',
    driverOpts: ['image=local/buildkit:1', 'network=host'],
    buildkitdConfig: '/ws/buildkitd.toml',
    cleanup: false,
  });
});

test.each([
  [{ qemu: 'maybe' }, /Input "qemu".*auto.*true.*false/],
  [{ driver: 'podman' }, /Input "driver".*docker-container/],
  [{ 'buildx-version': 'latest' }, /Input "buildx-version".*exact version like 0\.29\.1/],
  [{ 'buildx-download-url': 'ftp://x' }, /Input "buildx-download-url".*http/],
  [{ 'buildkitd-config': 'nope.toml' }, /Input "buildkitd-config".*not found/],
  [
    { 'buildkitd-config': 'buildkitd.toml', 'buildkitd-config-inline': 'debug = true' },
    /Input "buildkitd-config-inline".*not both/,
  ],
  [{ driver: 'remote' }, /Input "endpoint".*required with driver remote/],
  [{ driver: 'docker', 'driver-opts': 'image=x' }, /Input "driver-opts".*not supported by the docker driver/],
  [{ builder: 'mine', driver: 'docker-container' }, /Input "driver".*existing one/],
  [{ append: 'name: x' }, /Input "append".*YAML list/],
  [{ append: '- nam: x' }, /Input "append".*unknown key "nam"/],
  [{ append: '- platforms: linux/arm65' }, /Input "append".*node 1.*unknown architecture/],
  [{ cleanup: 'yes please' }, /Input "cleanup"/],
])('%o is refused', (inputs, re) => {
  expect(errorsOf(inputs).join('\n')).toMatch(re);
});

test('append: setup-buildx-action YAML form, pasted unchanged', () => {
  const yaml = `
- name: aws_graviton2
  endpoint: ssh://me@graviton2
  platforms: linux/arm64,linux/arm/v7
  driver-opts: |
    image=moby/buildkit:master
    network=host
  buildkitd-flags: --allow-insecure-entitlement security.insecure
- endpoint: tcp://10.0.0.2:1234
  platforms:
    - linux/riscv64
  driver-opts:
    - "env.A=1,2"
`;
  expect(parseAppend(yaml)).toEqual([
    {
      name: 'aws_graviton2',
      endpoint: 'ssh://me@graviton2',
      platforms: ['linux/arm64', 'linux/arm/v7'],
      driverOpts: ['image=moby/buildkit:master', 'network=host'],
      buildkitdFlags: '--allow-insecure-entitlement security.insecure',
    },
    {
      name: undefined,
      endpoint: 'tcp://10.0.0.2:1234',
      platforms: ['linux/riscv64'],
      driverOpts: ['env.A=1,2'],
      buildkitdFlags: undefined,
    },
  ]);
});
