import { parseCacheInputs } from '../../../src/inputs/cache.js';
import { Collector } from '../../../src/inputs/collect.js';

function parse(values: Record<string, string>) {
  const c = new Collector();
  const out = parseCacheInputs((n) => values[n] ?? '', c);
  return { out, errors: c.errors.map((e) => e.message) };
}

describe('cache inputs', () => {
  test.each([
    ['', 'local'],
    ['local', 'local'],
    ['GHA', 'gha'],
    ['registry', 'registry'],
    ['inline', 'inline'],
    ['none', 'none'],
    ['false', 'none'],
  ])('cache: %j → %s', (v, mode) => {
    expect(parse({ cache: v }).out.cacheMode).toBe(mode);
  });

  test('an unknown mode names the input and the valid values', () => {
    const { errors } = parse({ cache: 's3' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cache.*"s3".*local, gha, registry, inline, none/);
  });

  test('cache-from / cache-to: one entry per line, commas stay inside an entry, # comments', () => {
    const { out } = parse({
      'cache-from': 'type=registry,ref=user/app:cache\n# old one\ntype=local,src=/tmp/c',
      'cache-to': 'type=registry,ref=user/app:cache,mode=max',
    });
    expect(out.cacheFrom).toEqual(['type=registry,ref=user/app:cache', 'type=local,src=/tmp/c']);
    expect(out.cacheTo).toEqual(['type=registry,ref=user/app:cache,mode=max']);
  });

  test('cache-key: no commas or spaces', () => {
    expect(parse({ 'cache-key': 'nightly-v2' }).out.cacheKey).toBe('nightly-v2');
    expect(parse({ 'cache-key': 'a,b' }).errors[0]).toMatch(/cache-key.*commas/);
    expect(parse({ 'cache-key': 'a b' }).errors[0]).toMatch(/cache-key/);
  });
});
