import { InputErrors } from '../../../src/errors.js';
import { ownBuilderInputs } from '../../../src/inputs/builder.js';
import { parseInputs } from '../../../src/inputs/index.js';
import { sourceDateEnvError } from '../../../src/inputs/reproducible.js';

const base: Record<string, string> = { platforms: 'linux/amd64,linux/arm64', images: 'x/y' };
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

test('reproducible: false by default; true and false read as the other switches', () => {
  expect(parse({}).reproducible).toBe(false);
  expect(parse({ reproducible: 'true' }).reproducible).toBe(true);
  expect(parse({ reproducible: 'False' }).reproducible).toBe(false);
});

test('an explicit driver docker with reproducible: true is an input error naming both inputs', () => {
  const errors = errorsOf({ reproducible: 'true', driver: 'docker' });
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^Input "reproducible": true cannot be used with driver: docker: .*rewrite-timestamp/);
  expect(errors[0]).toMatch(/use driver: auto .* or docker-container, or remove reproducible/);
});

test('driver auto, docker-container or an existing builder take reproducible: true', () => {
  for (const more of [{}, { driver: 'docker-container' }, { builder: 'mine' }] as Record<string, string>[])
    expect(errorsOf({ reproducible: 'true', ...more })).toEqual([]);
});

test('reproducible is an input only a builder this action creates honours: auto picks one for it', () => {
  const none = { driverOpts: [], buildkitdFlags: '', buildkitdConfig: '', endpoint: '', append: [] };
  expect(ownBuilderInputs({ ...none, reproducible: true })).toEqual(['reproducible']);
  expect(ownBuilderInputs({ ...none, reproducible: false })).toEqual([]);
});

test.each([
  ['not a switch', { reproducible: 'yes please' }, 'reproducible', /"yes please" is not valid: use true .* or false/],
  [
    'a SOURCE_DATE_EPOCH build-arg that is no number of seconds',
    { reproducible: 'true', 'build-args': 'SOURCE_DATE_EPOCH=2024-01-01' },
    'build-args',
    /SOURCE_DATE_EPOCH must be whole seconds since 1970/,
  ],
])('%s is an input error', (_name, inputs, input, message) => {
  const errors = errorsOf(inputs);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(new RegExp(`^Input "${input}": `));
  expect(errors[0]).toMatch(message);
});

test('without reproducible a SOURCE_DATE_EPOCH build-arg is passed as given', () => {
  expect(parse({ 'build-args': 'SOURCE_DATE_EPOCH=soon' }).buildArgs).toEqual(['SOURCE_DATE_EPOCH=soon']);
});

test("the environment's SOURCE_DATE_EPOCH under reproducible: whole seconds, else an input error", () => {
  const on = { reproducible: true };
  expect(sourceDateEnvError(on, { SOURCE_DATE_EPOCH: '1700000000' })).toBeUndefined();
  expect(sourceDateEnvError(on, {})).toBeUndefined();
  expect(sourceDateEnvError({ reproducible: false }, { SOURCE_DATE_EPOCH: '2024-01-01' })).toBeUndefined();
  const error = sourceDateEnvError(on, { SOURCE_DATE_EPOCH: '2024-01-01' });
  expect(error?.input).toBe('reproducible');
  expect(error?.message).toMatch(/SOURCE_DATE_EPOCH is not whole seconds/);
});
