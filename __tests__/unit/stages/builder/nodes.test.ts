/** setup-buildx-action's `nodes` output from `docker buildx inspect` text (captured from buildx 0.13.1, two nodes). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  firstNodePins,
  nodeAssignment,
  nodePlatforms,
  parseInspectNodes,
} from '../../../../src/stages/builder/nodes.js';

const TWO_NODES = fs.readFileSync(
  path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'fixtures', 'inspect-two-nodes.txt'),
  'utf8',
);
const PLATFORMS =
  'linux/amd64,linux/amd64/v2,linux/amd64/v3,linux/amd64/v4,linux/riscv64,linux/ppc64,linux/ppc64le,linux/s390x,linux/386,linux/loong64,linux/arm/v7,linux/arm/v6';

test('a two-node docker-container builder: one entry per node, labels and GC policy skipped', () => {
  expect(parseInspectNodes(TWO_NODES)).toEqual([
    {
      name: 'ci-builder0',
      endpoint: 'unix:///var/run/docker.sock',
      'driver-opts': ['image=moby/buildkit:buildx-stable-1'],
      status: 'running',
      'buildkitd-flags': '--allow-insecure-entitlement=network.host',
      buildkit: 'v0.0.0+unknown',
      platforms: PLATFORMS.replace('linux/riscv64', 'linux/arm64,linux/riscv64'),
    },
    {
      name: 'ci-builder1',
      endpoint: 'unix:///run/docker.sock',
      'driver-opts': ['image=moby/buildkit:buildx-stable-1'],
      status: 'running',
      'buildkitd-flags': '--allow-insecure-entitlement=network.host',
      buildkit: 'v0.0.0+unknown',
      // buildx marks a pinned platform (--platform) with *; a pinned node
      // reports its pins only, as setup-buildx-action's nodes output does
      platforms: 'linux/arm64',
    },
  ]);
});

test('the docker driver (older key names: Buildkit, Flags) and a stopped node', () => {
  const text =
    'Name:   default\nDriver: docker\n\nNodes:\nName:      default\nEndpoint:  default\nStatus:    inactive\nFlags:     --debug\nBuildkit:  v0.12.5\nPlatforms: linux/amd64, linux/386\n';
  expect(parseInspectNodes(text)).toEqual([
    {
      name: 'default',
      endpoint: 'default',
      status: 'inactive',
      'buildkitd-flags': '--debug',
      buildkit: 'v0.12.5',
      platforms: 'linux/amd64,linux/386',
    },
  ]);
});

test('no Nodes section (inspect failed): none', () => {
  expect(parseInspectNodes('')).toEqual([]);
});

describe('multi-node builders: the first node is pinned to what append leaves', () => {
  test('firstNodePins and nodeAssignment', () => {
    const append = [{ name: 'arm', driverOpts: [], platforms: ['linux/arm64'], endpoint: 'ctx2' }];
    expect(firstNodePins(['linux/amd64', 'linux/arm64'], append)).toEqual(['linux/amd64']);
    expect(firstNodePins(['linux/amd64', 'linux/arm64'], [{ driverOpts: [], platforms: [] }])).toEqual([]);
    expect(firstNodePins(['linux/arm64'], append)).toEqual([]);
    expect(nodeAssignment('b', ['linux/amd64', 'linux/arm64'], ['linux/amd64'], append)).toBe(
      'linux/amd64 on node b0, linux/arm64 on node arm',
    );
    expect(nodeAssignment('b', ['linux/arm64'], [], [{ driverOpts: [], platforms: ['linux/arm64'] }])).toBe(
      'linux/arm64 on node b1',
    );
  });
});

test.each([
  ['linux/amd64*, linux/arm64*, linux/386', 'linux/amd64,linux/arm64'],
  ['linux/amd64, linux/386', 'linux/amd64,linux/386'],
  ['linux/arm64*', 'linux/arm64'],
  ['', ''],
  ['\n::error::x*, -x', '::error::x'],
])('nodePlatforms(%j): pins only when the node has any', (value, want) => {
  expect(nodePlatforms(value)).toBe(want);
});
