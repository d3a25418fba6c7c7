import {
  BUILDX_MINIMUM,
  buildxAtLeast,
  parseBuildxVersion,
  versionAtLeast,
} from '../../../src/inputs/buildx-version.js';

test('versions', () => {
  expect(parseBuildxVersion('github.com/docker/buildx 0.29.1+ds1 0.29.1+ds1-4')).toBe('0.29.1');
  expect(parseBuildxVersion('github.com/docker/buildx v0.30.0 8a7c5d5')).toBe('0.30.0');
  expect(versionAtLeast('0.13.1', '0.13.0')).toBe(true);
  expect(versionAtLeast('0.9.10', '0.13.0')).toBe(false);
  expect(versionAtLeast('1.0.0', '0.13.0')).toBe(true);
});

test('buildxAtLeast reads a whole `buildx version` line and the one table of minimum releases', () => {
  expect(buildxAtLeast('github.com/docker/buildx v0.15.0 abc', 'call')).toBe(true);
  expect(buildxAtLeast('github.com/docker/buildx 0.14.1+ds1 x', 'call')).toBe(false);
  expect(buildxAtLeast('0.35.0', 'cache reset=true')).toBe(true);
  expect(buildxAtLeast('', '--bootstrap')).toBe(false);
  for (const min of Object.values(BUILDX_MINIMUM)) expect(min).toMatch(/^\d+\.\d+\.\d+$/);
});
