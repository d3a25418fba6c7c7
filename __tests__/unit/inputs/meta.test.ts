/** Meta inputs: parsed before any docker command; each error names its input. */
import { InputErrors } from '../../../src/errors.js';
import { parseInputs } from '../../../src/inputs/index.js';

const env = { workspace: '/ws', exists: () => true };
const get = (inputs: Record<string, string>) => (n: string) => inputs[n] ?? (n === 'platforms' ? 'linux/amd64' : '');

function errorsOf(inputs: Record<string, string>): string[] {
  try {
    parseInputs(get(inputs), env);
    return [];
  } catch (err) {
    if (err instanceof InputErrors) return err.errors.map((e) => `${e.input}: ${e.message}`);
    throw err;
  }
}

test('valid metadata-action inputs parse', () => {
  const i = parseInputs(
    get({ images: 'name/app\nghcr.io/o/app', tags: 'type=ref,event=branch\n# comment\ntype=semver,pattern={{version}}', flavor: 'latest=false', labels: 'a=b', 'sep-tags': ',', 'dry-run': 'true' }),
    env,
  );
  expect(i.images).toEqual(['name/app', 'ghcr.io/o/app']);
  expect(i.tagRules.map((r) => r.type)).toEqual(['semver', 'ref']);
  expect(i.flavor.latest).toBe('false');
  expect(i.sepTags).toBe(',');
  expect(i.sepLabels).toBe('\n');
  expect(i.dryRun).toBe(true);
});

test.each([
  [{ tags: 'type=foo' }, /^tags: .*unknown type "foo"/],
  [{ flavor: 'latest=sometimes' }, /^flavor: .*latest must be auto, true or false/],
  [{ images: 'Name/App:v1' }, /^images: .*must not contain a tag/],
  [{ tags: 'type=semver,pattern={{version}},match=v(' }, /^tags: .*not a regular expression/],
  [{ tags: 'type=pep440,pattern={{version}},match=v\\d' }, /^tags: .*no capture group/],
  [{ 'dry-run': 'maybe' }, /^dry-run: .*use true or false/],
])('%j → error naming the input', (inputs, why) => {
  expect(errorsOf(inputs as Record<string, string>).join('\n')).toMatch(why);
});
