/** The two forms: build-push-action's (no images, full references in tags) and this action's (images + tag rules). */
import { InputErrors } from '../../../src/errors.js';
import { formNotice, stepFormOf } from '../../../src/inputs/form.js';
import { parseInputs } from '../../../src/inputs/index.js';

const get = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? '';
const ENV = { workspace: '/ws', exists: () => true };

test.each<[Record<string, string>, string]>([
  [{ tags: 'ghcr.io/org/app:1.0' }, 'build-push-action'],
  [{ tags: 'name/app:latest' }, 'build-push-action'],
  [{ tags: 'app:1.0' }, 'build-push-action'],
  [{ tags: 'name/app' }, 'build-push-action'],
  [{ tags: 'type=ref,event=branch\nghcr.io/org/app:edge' }, 'build-push-action'],
  [{ images: 'ghcr.io/org/app', tags: 'ghcr.io/org/app:1.0' }, 'multiarch'],
  [{ images: 'ghcr.io/org/app', tags: 'type=semver,pattern={{version}}' }, 'multiarch'],
  [{ images: 'ghcr.io/org/app' }, 'multiarch'],
  [{ tags: 'v1' }, 'multiarch'],
  [{}, 'build-push-action'],
  [{ file: './test/Dockerfile', 'build-contexts': 'base=docker-image://base:local' }, 'build-push-action'],
  [{ platforms: 'linux/amd64,linux/arm64' }, 'multiarch'],
])('%j is in the %s form', (inputs, form) => {
  expect(stepFormOf(get(inputs))).toBe(form);
});

test("build-push-action's form: unset push is false, unset or empty platforms is the builder's own", () => {
  for (const platforms of ['', ' ', ',,']) {
    const i = parseInputs(get({ tags: 'name/app:latest', platforms }), ENV);
    expect(i).toMatchObject({ form: 'build-push-action', push: false, platforms: [], platformsFromBuilder: true });
  }
  const set = parseInputs(get({ tags: 'name/app:latest', push: 'auto', platforms: 'linux/arm64' }), ENV);
  expect(set).toMatchObject({ push: 'auto', platforms: ['linux/arm64'], platformsFromBuilder: false });
});

test("this action's form keeps its defaults: push auto, linux/amd64 and linux/arm64", () => {
  const i = parseInputs(get({ images: 'ghcr.io/org/app' }), ENV);
  expect(i).toMatchObject({ form: 'multiarch', push: 'auto', platforms: ['linux/amd64', 'linux/arm64'] });
  expect(i.platformsFromBuilder).toBe(false);
  // a value that holds no platform is still an error there
  expect(() => parseInputs(get({ images: 'ghcr.io/org/app', platforms: ',,' }), ENV)).toThrow(InputErrors);
});

test('load with several platforms and load with push are no input errors (the engine decides the first)', () => {
  expect(() =>
    parseInputs(get({ tags: 'r/app:1', load: 'true', push: 'true', platforms: 'linux/amd64,linux/arm64' }), ENV),
  ).not.toThrow();
});

test('the notice names the form and its defaults', () => {
  expect(formNotice('build-push-action')).toMatch(/^build-push-action form .*push: false/);
  expect(formNotice('multiarch')).toMatch(/^multiarch form .*push: auto/);
});

test("arch-check left unset warns only in build-push-action's form; set, it fails in both forms", () => {
  expect(parseInputs(get({ tags: 'name/app:latest' }), ENV)).toMatchObject({
    archCheck: 'true',
    archCheckWarnOnly: true,
  });
  expect(parseInputs(get({ tags: 'name/app:latest', 'arch-check': 'true' }), ENV).archCheckWarnOnly).toBe(false);
  expect(parseInputs(get({ images: 'ghcr.io/org/app' }), ENV)).toMatchObject({
    archCheck: 'true',
    archCheckWarnOnly: false,
  });
});
