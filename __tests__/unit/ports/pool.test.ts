import { mapLimit } from '../../../src/ports/pool.js';

describe('mapLimit: a bounded fan-out', () => {
  test('never more than the limit in flight; results in the items’ order', async () => {
    let inFlight = 0;
    let peak = 0;
    const items = Array.from({ length: 120 }, (_, i) => i);
    const out = await mapLimit(items, 4, async (i) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, i % 3));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(4);
    expect(out).toEqual(items.map((i) => i * 2));
  });

  test('no items: no call; a throwing call rejects the map', async () => {
    let calls = 0;
    expect(await mapLimit([], 4, async () => ++calls)).toEqual([]);
    expect(calls).toBe(0);
    await expect(
      mapLimit([1, 2, 3], 2, async (i) => {
        if (i === 2) throw new Error('boom');
        return i;
      }),
    ).rejects.toThrow('boom');
  });
});
