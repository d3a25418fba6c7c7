/** setup-buildx / setup-qemu / login-action inputs pasted as they are. */
import { InputErrors } from '../../../src/errors.js';
import { parseInputs } from '../../../src/inputs/index.js';

const env = { workspace: '/ws', exists: () => true };
const parse = (inputs: Record<string, string>) =>
  parseInputs((n) => inputs[n] ?? (n === 'platforms' ? 'linux/amd64' : ''), env);
function errorsOf(inputs: Record<string, string>): string[] {
  try {
    parse(inputs);
    return [];
  } catch (err) {
    if (err instanceof InputErrors) return err.errors.map((e) => `${e.input}: ${e.message}`);
    throw err;
  }
}

test('defaults: logout true, keep-state false, cache-binary true, no notes', () => {
  const i = parse({});
  expect([i.logout, i.keepState, i.cacheBinary, i.inputNotes]).toEqual([true, false, true, []]);
});

test('logout: false, keep-state: true, cache-binary: false are read', () => {
  const i = parse({ logout: 'false', 'keep-state': 'true', 'cache-binary': 'false' });
  expect([i.logout, i.keepState, i.cacheBinary]).toEqual([false, true, false]);
});

test('cache-image is accepted with a notice', () => {
  expect(parse({ 'cache-image': 'true' }).inputNotes.join('\n')).toMatch(
    /^cache-image \(setup-qemu-action\) has no effect here/,
  );
});

test.each<[Record<string, string>, RegExp]>([
  [{ logout: 'no' }, /^logout: .*"no" is not valid: use true \(post logs out\) or false/],
  [
    {
      ecr: 'true',
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AKIAABCDEFGHIJKLMNOP',
      password: 'x',
    },
    /^ecr: .*needs the AWS SDK.*aws ecr get-login-password/,
  ],
  [
    { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', username: 'AKIAABCDEFGHIJKLMNOP', password: 'x' },
    /^ecr: .*auto \(123456789012.dkr.ecr.eu-west-1.amazonaws.com is Amazon ECR/,
  ],
  [{ ecr: 'maybe' }, /^ecr: .*use auto, true or false/],
  [{ scope: '@push' }, /^scope: .*cannot be honoured/],
  [{ 'keep-state': 'yes' }, /^keep-state: /],
])('%j → clear error naming the input', (inputs, why) => {
  expect(errorsOf(inputs).join('\n')).toMatch(why);
});

test('ECR with username AWS and a password from aws ecr get-login-password is a plain login', () => {
  expect(
    errorsOf({ registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', username: 'AWS', password: 'token' }),
  ).toEqual([]);
});
