import { inspectedBuilder } from '../../../../src/stages/builder/network.js';
import { inspectedDriver, parseInfo, parseInspectPlatforms } from '../../../../src/stages/builder/probe.js';

const containerd: [string, string][] = [['driver-type', 'io.containerd.snapshotter.v1']];

test('parseInspectPlatforms: every node, deduplicated', () => {
  const out = `Name:          b1\nDriver:        docker-container\n\nNodes:\nName:      b10\nPlatforms: linux/amd64*, linux/amd64/v2, linux/arm64\n\nName:      arm\nPlatforms: linux/arm64*, linux/arm/v7\n`;
  expect(parseInspectPlatforms(out)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/arm64', 'linux/arm/v7']);
});

describe('parseInfo: driver status and buildx from one docker info', () => {
  const status = JSON.stringify(containerd);
  test.each([
    [
      'both lines',
      `${status}\n[{"Name":"compose","Version":"2.20.0"},{"Name":"buildx","Version":"0.13.1+ds1"}]`,
      containerd,
      'github.com/docker/buildx 0.13.1+ds1',
    ],
    ['no plugins line (an old CLI): ask buildx itself', status, containerd, undefined],
    [
      'buildx listed with an error',
      `${status}\n[{"Name":"buildx","Version":"","Err":"not a plugin"}]`,
      containerd,
      undefined,
    ],
    ['no buildx plugin', `${status}\n[{"Name":"compose","Version":"2.20.0"}]`, containerd, undefined],
    ['null status (classic engines print null)', `null\n[]`, [], undefined],
    ['garbage', 'template: info:1: bad', [], undefined],
  ])('%s', (_name, stdout, driverStatus, buildxVersion) => {
    expect(parseInfo(stdout)).toEqual({ driverStatus, buildxVersion });
  });
});

// two copies read the driver line: the act's allowed leading space, the loopback check's did not;
// one reader now, and both read the same driver (a node's "Driver Options:" line is never it)
describe("inspectedDriver: one reader of the builder's driver line", () => {
  test.each([
    ['Name: b\nDriver:        docker-container\n', 'docker-container'],
    ['Name: b\n  Driver: remote\n', 'remote'],
    ['Name: b\nNodes:\nName: b0\nDriver Options: network="host"\n', undefined],
    ['', undefined],
  ])('%j', (text, want) => {
    expect(inspectedDriver(text)).toBe(want);
    expect(inspectedBuilder(text).driver).toBe(want ?? '');
  });
});
