/** setup-buildx-action's name, use, version, keep-state and cleanup pasted into this step. */
import { InputErrors } from '../../../src/errors.js';
import { ownBuilderInputs } from '../../../src/inputs/builder.js';
import { parseInputs } from '../../../src/inputs/index.js';

const base: Record<string, string> = { platforms: 'linux/amd64,linux/arm64', images: 'x/y', cleanup: 'true' };
const env = { workspace: '/ws', exists: () => true };
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
const HOSTILE = 'x\n::error::pwned';

test('defaults: no name, use false, keep-state false', () => {
  expect(parse({})).toMatchObject({ name: '', use: false, keepState: false, buildxVersion: '' });
});

test("a setup-buildx-action block's name, use and version are read with its meaning", () => {
  expect(parse({ name: 'ci-builder.1_x', use: 'true', version: 'v0.13.1' })).toMatchObject({
    name: 'ci-builder.1_x',
    use: true,
    buildxVersion: '0.13.1',
  });
});

test('version and buildx-version: the same release in both is fine; latest is the installed buildx, with a note', () => {
  expect(parse({ version: 'v0.13.1', 'buildx-version': '0.13.1' }).buildxVersion).toBe('0.13.1');
  const latest = parse({ version: 'latest' });
  expect(latest.buildxVersion).toBe('');
  expect(latest.inputNotes.join('\n')).toMatch(/version: latest .*uses the buildx found on the runner/);
  expect(parse({ version: 'latest', 'buildx-version': '0.13.1' }).buildxVersion).toBe('0.13.1');
});

test.each([
  [
    { version: '0.13.1', 'buildx-version': '0.14.0' },
    /^Input "version": .*differs from buildx-version "0\.14\.0": set one of them/,
  ],
  [{ version: 'cloud:latest' }, /^Input "version": "cloud:latest" is not a buildx release/],
  [{ name: '-rm' }, /^Input "name": is not a builder name/],
  [{ name: 'a b' }, /^Input "name": is not a builder name/],
  [{ name: 'a'.repeat(101) }, /^Input "name": is not a builder name: up to 100/],
  [{ name: 'x', builder: 'mine' }, /^Input "name": only applies to a builder this action creates, but "builder: mine"/],
  [{ 'keep-state': 'true', builder: 'mine' }, /^Input "keep-state": only applies to a builder this action creates/],
  [{ use: 'maybe' }, /^Input "use": /],
])('%o is refused', (inputs, re) => {
  expect(errorsOf(inputs).join('\n')).toMatch(re);
});

test.each([
  [
    'keep-state',
    { 'keep-state': 'true' },
    /^Input "keep-state": true is not supported by the docker driver \(driver: docker/,
  ],
  ['cleanup', { cleanup: 'false' }, /^Input "cleanup": false is not supported by the docker driver \(driver: docker/],
  ['name', { name: 'foo' }, /^Input "name": is not supported by the docker driver \(driver: docker/],
])('%s with driver: docker is an input error naming both inputs', (_n, inputs, re) => {
  const errors = errorsOf({ driver: 'docker', ...inputs });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(re);
  expect(errors[0]).toMatch(/use driver docker-container \(or auto\)/);
});

test('cleanup: false beside builder: harmless, accepted (an existing builder is never removed)', () => {
  expect(errorsOf({ builder: 'mine', cleanup: 'false' })).toEqual([]);
});

test('keep-state, cleanup: false and name are inputs only a builder of our own honours', () => {
  const none = { driverOpts: [], buildkitdFlags: '', buildkitdConfig: '', endpoint: '', append: [] };
  expect(ownBuilderInputs({ ...none, keepState: true, cleanup: false, name: 'x' })).toEqual([
    'keep-state',
    'cleanup',
    'name',
  ]);
  expect(ownBuilderInputs({ ...none, keepState: false, cleanup: true, name: '' })).toEqual([]);
});

test('hostile values: refused in one message each (the host writes it as one ::error)', () => {
  for (const input of ['name', 'version', 'use']) {
    const errors = errorsOf({ [input]: HOSTILE });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.startsWith(`Input "${input}": `)).toBe(true);
  }
  expect(errorsOf({ name: 'a'.repeat(100_000) })[0]!.length).toBeLessThan(300);
});
