import { imageNames } from '../../../../src/inputs/meta.js';
import { parseFlavor, parseTagRules } from '../../../../src/inputs/meta-rules.js';
import { MAX_REFS, mostRefs, refLimitErrors } from '../../../../src/stages/meta/ref-limit.js';
import { metaContext, NOW } from '../../fixtures/events.js';
import { runnerCommands } from '../../runner-log.js';

const inputs = (images: string[], tags: string[], flavor: string[] = []) => ({
  images: imageNames(images),
  tagRules: parseTagRules(tags),
  flavor: parseFlavor(flavor),
  literalRefs: [],
  labels: [],
  annotations: [],
});
const run = { meta: metaContext('push default branch'), now: NOW };
const raw = (n: number) => Array.from({ length: n }, (_, i) => `type=raw,value=t${i}`);

describe('the cap on image references (images × tags), in the input pass', () => {
  test('5 images × 1,000 tags: refused, naming tags and images with the count', async () => {
    const errors = await refLimitErrors(
      inputs(
        Array.from({ length: 5 }, (_, i) => `r.example/app${i}`),
        raw(1000),
      ),
      run,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.input).toBe('tags');
    expect(errors[0]!.message).toMatch(
      /"images" \(5\) × "tags" \(1000 rules\).* give 5000 image references; at most 1000/,
    );
  });

  test('5,000 images × 1 tag: refused naming images', async () => {
    const images = Array.from({ length: 5000 }, (_, i) => `r.example/a${i}`);
    const errors = await refLimitErrors(inputs(images, ['type=raw,value=v1'], ['latest=false']), run);
    expect(errors.map((e) => e.input)).toEqual(['images']);
  });

  test('a bound over the cap whose rules give fewer refs (disabled rules) is accepted: the real count decides', async () => {
    const m = inputs(
      ['r.example/a', 'r.example/b'],
      raw(600).map((r) => `${r},enable=false`),
    );
    expect(mostRefs(m)).toBeGreaterThan(MAX_REFS);
    expect(await refLimitErrors(m, run)).toEqual([]);
  });

  test('a usual release (2 images, semver + sha + latest) is far under the cap', async () => {
    expect(
      await refLimitErrors(inputs(['a/b', 'ghcr.io/a/b'], ['type=semver,pattern={{version}}', 'type=sha']), run),
    ).toEqual([]);
  });

  test('hostile tag values: the error starts no runner command and stays short', async () => {
    const hostile = Array.from(
      { length: 1200 },
      (_, i) => `type=raw,value=-x${i}\n::error::x${'a'.repeat(i === 0 ? 100_000 : 1)}`,
    );
    const errors = await refLimitErrors(inputs(['r.example/a'], hostile), run);
    expect(errors).toHaveLength(1);
    for (const e of errors) {
      expect(runnerCommands(e.message)).toEqual([]);
      expect(e.message.length).toBeLessThan(600);
    }
  });
});
