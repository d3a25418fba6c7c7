/** Collector.oneOf: the one check for an input that names one of a few values. */
import { Collector } from '../../../src/inputs/collect.js';

const MODES = ['auto', 'true', 'false'] as const;

test('a listed value is taken lower-cased and trimmed; empty is the fallback', () => {
  const c = new Collector();
  expect(c.oneOf('qemu', ' TRUE ', MODES, 'auto')).toBe('true');
  expect(c.oneOf('qemu', '', MODES, 'auto')).toBe('auto');
  expect(c.errors).toEqual([]);
});

test('anything else is an error naming the input, the value and what is valid', () => {
  const c = new Collector();
  expect(c.oneOf('qemu', ' maybe ', MODES, 'auto', { invalid: 'false' })).toBe('false');
  expect(c.oneOf('ecr', 'x', MODES, 'auto', { meaning: 'auto, true or false' })).toBe('auto');
  expect(c.errors.map((e) => e.message)).toEqual([
    'Input "qemu": "maybe" is not valid: use auto, true, false',
    'Input "ecr": "x" is not valid: use auto, true or false',
  ]);
});

test('exact: compared as written, with its own words', () => {
  const c = new Collector();
  expect(c.oneOf('driver', 'Docker', ['auto', 'docker'], 'auto', { exact: true, notA: 'not a buildx driver' })).toBe(
    'auto',
  );
  expect(c.errors[0]?.message).toBe('Input "driver": "Docker" is not a buildx driver: use auto, docker');
});
