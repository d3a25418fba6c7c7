/** An empty secret line (id=) is skipped with a warning naming the input and the id, as build-push-action. */
import { parseBuildOptionInputs } from '../../../src/inputs/buildopts.js';
import { Collector } from '../../../src/inputs/collect.js';

const ENV = { workspace: '/ws', exists: () => true };
function parse(inputs: Record<string, string>) {
  const c = new Collector();
  const out = parseBuildOptionInputs((n) => inputs[n] ?? '', c, ENV);
  return { out, errors: c.errors.map((e) => e.message) };
}

test.each([
  ['secrets', 'GIT_AUTH_TOKEN=abc\nINVALID_SECRET='],
  ['secret-files', 'npmrc=./.npmrc\nINVALID_SECRET='],
  ['secret-envs', 'token=MY_TOKEN\nINVALID_SECRET='],
])('%s: INVALID_SECRET= is skipped with a warning, the other line kept', (input, value) => {
  const { out, errors } = parse({ [input]: value });
  expect(errors).toEqual([]);
  expect(out.inputWarnings).toEqual([
    `${input}: INVALID_SECRET= is not a valid secret (no value): the line is skipped, as build-push-action does`,
  ]);
  expect([...out.secrets, ...out.secretFiles, ...out.secretEnvs]).toHaveLength(1);
});

test('a line without "=" or with a bad id is still an input error; no value is ever named', () => {
  expect(parse({ secrets: 'NOEQUALS' }).errors[0]).toMatch(/Input "secrets": an entry has no "="/);
  const hostile = parse({ secrets: '\n::error::x=\n-lead=' });
  expect(hostile.errors[0]).toMatch(/is not a valid secret id/);
  expect(hostile.out.inputWarnings).toEqual([]);
});

test('a 100 kB id is clipped in the warning; a leading "-" id is only text', () => {
  const long = parse({ secrets: `${'a'.repeat(100_000)}=` });
  expect(long.out.inputWarnings[0]!.length).toBeLessThan(400);
  expect(parse({ 'secret-envs': '-x=' }).out.inputWarnings[0]).toMatch(/^secret-envs: -x= is not a valid secret/);
});
