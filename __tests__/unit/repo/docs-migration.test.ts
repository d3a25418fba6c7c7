/** The README's migration table names every input of the six steps it replaces. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('### Every input of the six steps'), readme.indexOf('## Performance'));
const ours = Object.keys(
  (parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);

// the anchors' inputs (their action.yml files, current major versions)
const ANCHORS: Record<string, string[]> = {
  'setup-qemu-action': ['image', 'platforms', 'cache-image'],
  'setup-buildx-action': [
    'version',
    'name',
    'driver',
    'driver-opts',
    'buildkitd-flags',
    'buildkitd-config',
    'buildkitd-config-inline',
    'install',
    'use',
    'endpoint',
    'platforms',
    'append',
    'keep-state',
    'cache-binary',
    'cleanup',
    'config',
    'config-inline',
  ],
  'actions/cache': [
    'path',
    'key',
    'restore-keys',
    'upload-chunk-size',
    'enableCrossOsArchive',
    'fail-on-cache-miss',
    'lookup-only',
  ],
  'login-action': ['registry', 'username', 'password', 'ecr', 'scope', 'logout'],
  'metadata-action': [
    'context',
    'images',
    'tags',
    'flavor',
    'labels',
    'annotations',
    'sep-tags',
    'sep-labels',
    'sep-annotations',
    'bake-target',
    'github-token',
  ],
  'build-push-action': [
    'add-hosts',
    'allow',
    'annotations',
    'attests',
    'build-args',
    'build-contexts',
    'builder',
    'cache-from',
    'cache-to',
    'call',
    'cgroup-parent',
    'context',
    'file',
    'labels',
    'load',
    'network',
    'no-cache',
    'no-cache-filters',
    'outputs',
    'platforms',
    'provenance',
    'pull',
    'push',
    'sbom',
    'secrets',
    'secret-envs',
    'secret-files',
    'shm-size',
    'ssh',
    'tags',
    'target',
    'ulimit',
    'github-token',
  ],
};

test.each(Object.entries(ANCHORS))('%s: every input has a row', (action, inputs) => {
  const rows = table.split('\n').filter((l) => l.startsWith(`| ${action} `));
  const named = new Set(rows.flatMap((r) => [...r.split('|')[2]!.matchAll(/`([^`]+)`/g)].map((m) => m[1])));
  expect(inputs.filter((i) => !named.has(i))).toEqual([]);
});

test('every "same" row names an input this action really has', () => {
  for (const row of table.split('\n').filter((l) => /^\| [^|]+ \| [^|]+ \| same/.test(l))) {
    for (const [, name] of row.split('|')[2]!.matchAll(/`([^`]+)`/g)) expect(ours).toContain(name);
  }
});
