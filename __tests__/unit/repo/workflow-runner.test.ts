import { inSparse } from '../../e2e/workflow/checkout.js';
import { evaluate } from '../../e2e/workflow/expressions.js';
import { expandMatrix } from '../../e2e/workflow/runner.js';

describe("the test workflow runner's own rules", () => {
  test('a matrix of include rows only gives one leg per row; include extends matching combinations', () => {
    expect(expandMatrix({ include: [{ platform: 'a' }, { platform: 'b' }] }, 'j')).toEqual([
      { platform: 'a' },
      { platform: 'b' },
    ]);
    expect(expandMatrix({ os: ['x', 'y'], include: [{ os: 'x', extra: 1 }, { os: 'z' }] }, 'j')).toEqual([
      { os: 'x', extra: 1 },
      { os: 'y' },
      { os: 'z' },
    ]);
    expect(expandMatrix({ os: ['x', 'y'], exclude: [{ os: 'y' }] }, 'j')).toEqual([{ os: 'x' }]);
    expect(() => expandMatrix({ include: [] }, 'shard')).toThrow(/shard: the matrix has no legs/);
  });

  test('sparse checkout: a bare name matches at any depth, a path is anchored, cone mode takes folders', () => {
    expect(inSparse('dist/main/index.js', ['dist'], false)).toBe(true);
    expect(inSparse('sub/dist/x.js', ['dist'], false)).toBe(true);
    expect(inSparse('scripts/shard-matrix.mjs', ['scripts/shard-matrix.mjs'], false)).toBe(true);
    expect(inSparse('scripts/other.mjs', ['scripts/shard-matrix.mjs'], false)).toBe(false);
    expect(inSparse('src/x.ts', ['action.yml', 'dist'], false)).toBe(false);
    expect(inSparse('dist/a.js', ['dist/'], true)).toBe(true);
  });

  test("GitHub's engine evaluates; an unknown property is an error naming it, an unset secret is empty", () => {
    const ctx = { matrix: { platform: 'linux/arm64' }, secrets: {}, needs: { plan: { outputs: { key: 'k' } } } };
    expect(evaluate("format('source/{0}', matrix.platform)", ctx)).toBe('source/linux/arm64');
    expect(evaluate('secrets.missing', ctx)).toBeNull();
    expect(() => evaluate('matrix.platfrom', ctx)).toThrow(/'platfrom' is not a property here \(it has: platform\)/);
    expect(() => evaluate('needs.plan.outputs.kye', ctx)).toThrow(/needs\.plan\.outputs\.kye/);
    expect(() => evaluate('nope.x', ctx)).toThrow();
    expect(evaluate('success() && !failure()', ctx)).toBe(true);
    expect(evaluate('failure()', ctx, { failed: true })).toBe(true);
  });
});
