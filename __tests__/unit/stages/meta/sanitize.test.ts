/** A generated value made a valid docker tag (metadata-action's sanitising, then what it leaves invalid). */
import { toDockerTag } from '../../../../src/stages/meta/sanitize.js';

test.each([
  ['my/branch', 'my-branch'],
  ['feature/über', 'feature-ber'],
  ['.hidden', 'hidden'],
  ['--x', 'x'],
  ['-._', '_'],
  ['$(id)', 'id-'],
  ['///', ''],
  ['a'.repeat(300), 'a'.repeat(128)],
])('toDockerTag(%j) = %j', (input, out) => {
  expect(toDockerTag(input)).toBe(out);
});
