import { cacheTimeoutMs, realActionsCache, realCacheFolders } from '../../../src/ports/actions-cache.js';

describe('the layer cache port', () => {
  test.each<[string, string | undefined, number]>([
    ['unset: 20 minutes', undefined, 1_200_000],
    ['seconds', '3', 3_000],
    ['not a number: the default', 'soon', 1_200_000],
    ['0: the default', '0', 1_200_000],
  ])('MULTIARCH_CACHE_TIMEOUT_SECONDS %s', (_n, v, ms) => {
    expect(cacheTimeoutMs(v === undefined ? {} : { MULTIARCH_CACHE_TIMEOUT_SECONDS: v })).toBe(ms);
  });

  test('the real port: the real folders, a service opened per run', () => {
    const port = realActionsCache({});
    expect(port.folders).toBe(realCacheFolders);
    const service = port.open('/tmp/x');
    expect(typeof service.restore).toBe('function');
    expect(typeof service.save).toBe('function');
  });
});
