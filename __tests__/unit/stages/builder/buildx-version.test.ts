import { parseBuildxVersion, versionAtLeast } from '../../../../src/stages/builder/buildx-version.js';

test('versions', () => {
  expect(parseBuildxVersion('github.com/docker/buildx 0.29.1+ds1 0.29.1+ds1-4')).toBe('0.29.1');
  expect(parseBuildxVersion('github.com/docker/buildx v0.30.0 8a7c5d5')).toBe('0.30.0');
  expect(versionAtLeast('0.13.1', '0.13.0')).toBe(true);
  expect(versionAtLeast('0.9.10', '0.13.0')).toBe(false);
  expect(versionAtLeast('1.0.0', '0.13.0')).toBe(true);
});
