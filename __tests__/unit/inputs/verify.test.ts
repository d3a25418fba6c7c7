import { Collector } from '../../../src/inputs/collect.js';
import { parseVerifyInputs, splitCommand } from '../../../src/inputs/verify.js';

describe('splitCommand: smoke-test into argv without a shell', () => {
  test.each([
    ['uname -m', ['uname', '-m']],
    ["sh -c 'echo $HOME && uname -m'", ['sh', '-c', 'echo $HOME && uname -m']],
    ['echo "a b" c\\ d', ['echo', 'a b', 'c d']],
    ['echo $HOME ${X}', ['echo', '$HOME', '$X']],
    ['ls /bin/*', ['ls', '/bin/*']],
    ['  /app --version  ', ['/app', '--version']],
  ])('%s', (cmd, argv) => {
    expect(splitCommand(cmd)).toEqual(argv);
  });

  test.each([['uname -m | grep x'], ['true && false'], ['echo > /tmp/x'], ['#only a comment']])('refuses %s', (cmd) => {
    expect(() => splitCommand(cmd)).toThrow(/shell|empty/);
  });
});

describe('parseVerifyInputs', () => {
  const parse = (values: Record<string, string>) => {
    const c = new Collector();
    const r = parseVerifyInputs((n) => values[n] ?? '', c);
    return { r, errors: c.errors.map((e) => e.message) };
  };
  test('defaults', () => {
    expect(parse({ preflight: 'true', verify: 'true', 'push-retries': '3' })).toEqual({
      r: {
        preflight: true,
        verify: true,
        smokeTest: [],
        pushRetries: 3,
        smokeTestTimeout: 300,
        archCheck: 'true',
        archCheckIgnore: [],
        archCheckWarnOnly: false,
      },
      errors: [],
    });
  });
  test.each([
    [{ preflight: 'yes' }, 'Input "preflight": "yes" is not valid: use true or false'],
    [{ verify: 'maybe' }, 'Input "verify": "maybe" is not valid: use true or false'],
    [{ 'push-retries': '-1' }, 'Input "push-retries": "-1" is not valid: use a whole number from 0 (no retries) to 10'],
    [{ 'push-retries': '99' }, 'Input "push-retries": "99" is not valid: use a whole number from 0 (no retries) to 10'],
    [
      { 'smoke-test': 'a | b' },
      `Input "smoke-test": "|" needs a shell, and the command runs without one: write it as sh -c '...'`,
    ],
  ])('%j', (values, error) => {
    expect(parse(values).errors).toEqual([error]);
  });
  test('smoke-test is split', () => {
    expect(parse({ 'smoke-test': 'uname -m' }).r.smokeTest).toEqual(['uname', '-m']);
  });
});

describe('arch-check inputs', () => {
  test.each([
    ['', 'true'],
    ['true', 'true'],
    ['FULL', 'full'],
    ['false', 'false'],
  ])('arch-check %p → %p', (raw, want) => {
    const c = new Collector();
    expect(parseVerifyInputs((n) => (n === 'arch-check' ? raw : ''), c).archCheck).toBe(want);
    expect(c.errors).toEqual([]);
  });

  test('a bad arch-check names the input and the valid values', () => {
    const c = new Collector();
    parseVerifyInputs((n) => (n === 'arch-check' ? 'yes' : n === 'arch-check-ignore' ? '/a/**, b' : ''), c);
    expect(c.errors.map((e) => e.message)).toEqual([
      'Input "arch-check": "yes" is not valid: use true (the layers this build added), full (every layer) or false',
    ]);
    expect(
      parseVerifyInputs((n) => (n === 'arch-check-ignore' ? '/a/**\nb' : ''), new Collector()).archCheckIgnore,
    ).toEqual(['/a/**', 'b']);
  });
});
