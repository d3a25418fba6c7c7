import * as fs from 'node:fs';
import * as path from 'node:path';

import { inputValues, parseCliArgs, renderHelp } from '../../../src/cli/args.js';
import { findActionYml, parseActionSpec } from '../../../src/inputs/action-spec.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const spec = parseActionSpec(`
name: t
description: test action
inputs:
  images: { description: "Image names", default: "" }
  platforms: { description: "Platforms", default: "linux/amd64,linux/arm64" }
  dry-run: { description: "Plan only", default: "false" }
  new-input: { description: "Added by someone else", default: "x" }
outputs:
  tags: { description: "The refs" }
`);

describe('parseCliArgs: every action.yml input is a flag of the same name', () => {
  const cases: [string, string[], Partial<ReturnType<typeof parseCliArgs>>][] = [
    [
      'space separated',
      ['build', '--images', 'a/b', '--platforms', 'linux/arm64'],
      { command: 'build', inputs: { images: 'a/b', platforms: 'linux/arm64' }, errors: [] },
    ],
    ['= form', ['build', '--images=a/b,c/d'], { inputs: { images: 'a/b,c/d' }, errors: [] }],
    ['bare flag means true', ['build', '--dry-run'], { inputs: { 'dry-run': 'true' }, errors: [] }],
    [
      'bare flag before another flag',
      ['build', '--dry-run', '--images', 'a/b'],
      { inputs: { 'dry-run': 'true', images: 'a/b' }, errors: [] },
    ],
    [
      'repeated flag adds lines',
      ['build', '--images', 'a/b', '--images', 'c/d'],
      { inputs: { images: 'a/b\nc/d' }, errors: [] },
    ],
    ['an input nobody coded for', ['build', '--new-input', 'y'], { inputs: { 'new-input': 'y' }, errors: [] }],
    [
      'flags before the command',
      ['--images', 'a/b', 'build'],
      { command: 'build', inputs: { images: 'a/b' }, errors: [] },
    ],
    ['--output-json', ['build', '--output-json', 'o.json'], { outputJson: 'o.json', errors: [] }],
    ['help', ['--help'], { command: 'help', errors: [] }],
    ['-h', ['build', '-h'], { command: 'help' }],
    ['help command', ['help'], { command: 'help', errors: [] }],
    ['empty value', ['build', '--images='], { inputs: { images: '' }, errors: [] }],
  ];
  test.each(cases)('%s', (_name, argv, want) => {
    expect(parseCliArgs(argv, spec)).toMatchObject(want);
  });

  const bad: [string, string[], RegExp][] = [
    [
      'unknown flag, with a suggestion',
      ['build', '--image', 'a/b'],
      /unknown option --image \(did you mean --images\?\)/,
    ],
    ['unknown short option', ['build', '-x'], /unknown option -x/],
    ['no command', ['--images', 'a/b'], /missing command/],
    ['unknown command', ['deploy'], /unknown command "deploy"/],
    ['extra argument', ['build', 'extra'], /unexpected argument "extra"/],
    ['--output-json without a file', ['build', '--output-json'], /--output-json needs a file name/],
    // a bare flag sets only a true/false input: never the value "true" for a name or a list
    ['a value input given bare, last', ['build', '--images'], /--images needs a value/],
    ['a value input given bare, before a flag', ['--images', '--dry-run', 'build'], /--images needs a value/],
  ];
  test.each(bad)('usage error: %s', (_name, argv, re) => {
    const r = parseCliArgs(argv, spec);
    expect(r.errors.join('\n')).toMatch(re);
  });

  test('a bare true/false flag before the command does not take the command as its value', () => {
    expect(parseCliArgs(['--dry-run', 'build'], spec)).toMatchObject({
      command: 'build',
      inputs: { 'dry-run': 'true' },
      errors: [],
    });
    expect(parseCliArgs(['--dry-run', 'false', 'build'], spec)).toMatchObject({
      command: 'build',
      inputs: { 'dry-run': 'false' },
      errors: [],
    });
  });

  test('a value input given bare is not set at all', () => {
    const r = parseCliArgs(['build', '--images'], spec);
    expect(r.inputs).toEqual({});
    expect(r.errors).toEqual([
      '--images needs a value (--images VALUE or --images=VALUE); only true/false inputs can be given bare',
    ]);
  });

  test('action.yml: exactly the inputs whose default is true or false take a bare flag', () => {
    const real = parseActionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    for (const i of real.inputs) {
      const r = parseCliArgs(['build', `--${i.name}`], real);
      if (/^(true|false)$/.test(i.default)) expect(r).toMatchObject({ inputs: { [i.name]: 'true' }, errors: [] });
      else expect(r.errors).toEqual([expect.stringContaining(`--${i.name} needs a value`)]);
    }
  });

  test('an unknown flag does not swallow the flags after it', () => {
    const r = parseCliArgs(['build', '--nope', 'v', '--images', 'a/b'], spec);
    expect(r.inputs).toEqual({ images: 'a/b' });
    expect(r.errors).toHaveLength(1);
  });
});

describe('inputValues: flags over action.yml defaults, as the runner passes INPUT_*', () => {
  test('defaults fill what is not given; values untrimmed, as the runner passes them (the host trims)', () => {
    expect(inputValues(spec, { images: ' a/b ' })).toEqual({
      images: ' a/b ',
      platforms: 'linux/amd64,linux/arm64',
      'dry-run': 'false',
      'new-input': 'x',
    });
  });

  test('INPUT_<NAME> from the environment between a flag and the default', () => {
    const env = { INPUT_NEW_INPUT: 'from-env', INPUT_IMAGES: 'env/image' };
    expect(inputValues(spec, { images: 'flag/image' }, env)).toMatchObject({
      images: 'flag/image',
      'new-input': 'from-env',
      platforms: 'linux/amd64,linux/arm64',
    });
  });
});

describe('--help is generated from action.yml', () => {
  test('every input with its description and default, every output', () => {
    const help = renderHelp(spec);
    expect(help).toContain('--new-input');
    expect(help).toContain('Added by someone else');
    expect(help).toContain('default: "linux/amd64,linux/arm64"');
    expect(help).toContain('  tags');
    expect(help).toMatch(/Exit codes: 0 ok, 1 build failed, 2 bad usage/);
  });

  test('the real action.yml: every input appears', () => {
    const real = parseActionSpec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
    expect(real.inputs.length).toBeGreaterThan(0);
    const help = renderHelp(real);
    for (const i of real.inputs) {
      expect(help).toContain(`  --${i.name}`);
      expect(help).toContain(`default: ${JSON.stringify(i.default)}`);
    }
  });

  test('action.yml is found from the bundle folder and from src/', () => {
    expect(findActionYml(path.join(ROOT, 'dist', 'cli'))).toBe(path.join(ROOT, 'action.yml'));
    expect(findActionYml(path.join(ROOT, 'src'))).toBe(path.join(ROOT, 'action.yml'));
    expect(findActionYml('/', () => false)).toBeUndefined();
  });
});
