import { expandVariables } from '../../../../src/oci/dockerfile.js';
import { judgeBase, planPreflight } from '../../../../src/stages/preflight/plan.js';
import { index } from './index-json.js';

const AMD_ARM = ['linux/amd64', 'linux/arm64'];

/** [what, Dockerfile, build-args, platforms, expected checks as ref → platforms, expected skipped images] */
const table: [string, string, string[], string[], Record<string, string[]>, string[]][] = [
  ['plain FROM', 'FROM alpine:3.20\n', [], AMD_ARM, { 'alpine:3.20': AMD_ARM }, []],
  ['ARG default', 'ARG TAG=3.19\nFROM alpine:${TAG}\n', [], AMD_ARM, { 'alpine:3.19': AMD_ARM }, []],
  ['ARG default, bare $VAR', 'ARG IMG=debian\nFROM $IMG\n', [], ['linux/amd64'], { debian: ['linux/amd64'] }, []],
  [
    'build-arg overrides the default',
    'ARG TAG=3.19\nFROM alpine:${TAG}\n',
    ['TAG=3.20'],
    AMD_ARM,
    { 'alpine:3.20': AMD_ARM },
    [],
  ],
  [
    'quoted default',
    'ARG BASE="reg.io/x/y:1"\nFROM ${BASE}\n',
    [],
    ['linux/arm64'],
    { 'reg.io/x/y:1': ['linux/arm64'] },
    [],
  ],
  [
    'default referring to an earlier ARG',
    'ARG V=1\nARG BASE=img:${V}\nFROM $BASE\n',
    ['V=2'],
    ['linux/amd64'],
    { 'img:2': ['linux/amd64'] },
    [],
  ],
  [
    '${VAR:-default} with no ARG',
    'FROM img:${NOPE:-fallback}\n',
    [],
    ['linux/amd64'],
    { 'img:fallback': ['linux/amd64'] },
    [],
  ],
  [
    'build-arg for an undeclared ARG is not visible in FROM',
    'FROM img:${TAG}\n',
    ['TAG=1'],
    ['linux/amd64'],
    {},
    ['img:${TAG}'],
  ],
  [
    'declared ARG with no default and no build-arg',
    'ARG TAG\nFROM img:${TAG}\n',
    [],
    ['linux/amd64'],
    {},
    ['img:${TAG}'],
  ],
  [
    'declared ARG without default given by build-arg',
    'ARG TAG\nFROM img:${TAG}\n',
    ['TAG=7'],
    ['linux/amd64'],
    { 'img:7': ['linux/amd64'] },
    [],
  ],
  ['scratch is skipped', 'FROM scratch\nCOPY x /x\n', [], AMD_ARM, {}, ['scratch']],
  ['SCRATCH in capitals', 'FROM SCRATCH\n', [], AMD_ARM, {}, ['scratch']],
  [
    'earlier stage names are not images',
    'FROM golang:1.22 AS build\nRUN true\nFROM build AS test\nFROM alpine:3 \nCOPY --from=build /a /a\n',
    [],
    AMD_ARM,
    { 'golang:1.22': AMD_ARM, 'alpine:3': AMD_ARM },
    [],
  ],
  [
    'stage names are case-insensitive',
    'FROM node:20 AS Base\nFROM base\n',
    [],
    ['linux/amd64'],
    { 'node:20': ['linux/amd64'] },
    [],
  ],
  [
    '--platform=$BUILDPLATFORM stages are skipped, their target-platform consumers are not',
    'FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n',
    [],
    AMD_ARM,
    { 'gcr.io/distroless/static': AMD_ARM },
    ['golang:1.22'],
  ],
  [
    '--platform=${BUILDPLATFORM} braced',
    'FROM --platform=${BUILDPLATFORM} tonistiigi/xx AS xx\nFROM scratch\nCOPY --from=xx / /\n',
    [],
    AMD_ARM,
    {},
    ['scratch', 'tonistiigi/xx'],
  ],
  [
    'fixed --platform checks that platform only',
    'FROM --platform=linux/amd64 tool:1 AS t\nFROM alpine\nCOPY --from=t /x /x\n',
    [],
    AMD_ARM,
    { 'tool:1': ['linux/amd64'], alpine: AMD_ARM },
    [],
  ],
  [
    '$TARGETARCH in the image picks a base per platform',
    'FROM img-${TARGETARCH}:1\n',
    [],
    AMD_ARM,
    { 'img-amd64:1': ['linux/amd64'], 'img-arm64:1': ['linux/arm64'] },
    [],
  ],
  [
    'stages the target does not need are not checked',
    'FROM amd64-only AS unused\nFROM alpine\n',
    [],
    AMD_ARM,
    { alpine: AMD_ARM },
    [],
  ],
  [
    'COPY --from=<image> is a base too',
    'FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/\n',
    [],
    AMD_ARM,
    { 'busybox:1.36': AMD_ARM },
    ['scratch'],
  ],
  [
    'COPY --from=<index> refers to a stage',
    'FROM debian:12\nFROM scratch\nCOPY --from=0 /etc /etc\n',
    [],
    ['linux/amd64'],
    { 'debian:12': ['linux/amd64'] },
    ['scratch'],
  ],
  [
    'RUN --mount from=<stage>',
    'FROM deps:1 AS deps\nFROM alpine\nRUN --mount=type=bind,from=deps,target=/d ls /d\n',
    [],
    ['linux/arm64'],
    { 'deps:1': ['linux/arm64'], alpine: ['linux/arm64'] },
    [],
  ],
  [
    'digest-pinned base',
    'FROM alpine@sha256:' + 'a'.repeat(64) + '\n',
    [],
    ['linux/amd64'],
    { ['alpine@sha256:' + 'a'.repeat(64)]: ['linux/amd64'] },
    [],
  ],
  [
    'line continuation and lowercase from',
    'from \\\n  alpine:3 \\\n  as x\n',
    [],
    ['linux/amd64'],
    { 'alpine:3': ['linux/amd64'] },
    [],
  ],
  ['no FROM at all', '# nothing\n', [], AMD_ARM, {}, []],
];

describe('planPreflight: which base images to check for which platforms', () => {
  test.each(table)('%s', (_what, dockerfile, buildArgs, platforms, checks, skipped) => {
    const plan = planPreflight(dockerfile, buildArgs, platforms);
    expect(Object.fromEntries(plan.checks.map((c) => [c.ref, c.platforms]))).toEqual(checks);
    expect(plan.skipped.map((s) => s.image)).toEqual(skipped);
  });

  test('checks carry the Dockerfile line of the FROM', () => {
    const plan = planPreflight('# syntax=docker/dockerfile:1\nARG X=1\n\nFROM alpine:${X}\n', [], ['linux/amd64']);
    expect(plan.checks).toEqual([{ ref: 'alpine:1', platforms: ['linux/amd64'], line: 4 }]);
  });
});

describe('expandVariables', () => {
  const vars = new Map([
    ['A', 'a'],
    ['EMPTY', ''],
  ]);
  test.each([
    ['$A', 'a', []],
    ['${A}x', 'ax', []],
    ['${B:-d}', 'd', []],
    ['${EMPTY:-d}', 'd', []],
    ['${EMPTY-d}', '', []],
    ['${A:+alt}', 'alt', []],
    ['${B:+alt}', '', []],
    ['\\$A', '$A', []],
    ['x$B', 'x', ['B']],
  ])('%s → %s', (text, value, unresolved) => {
    const r = expandVariables(text, vars);
    expect(r.value).toBe(value);
    expect(r.unresolved).toEqual(unresolved);
  });
});

describe('judgeBase: index JSON → missing platforms', () => {
  const check = (platforms: string[]) => ({ ref: 'img:1', platforms, line: 3 });
  test.each([
    ['all there', AMD_ARM, ['linux/amd64', 'linux/arm64'], 'ok', []],
    ['arm64 missing', AMD_ARM, ['linux/amd64'], 'missing', ['linux/arm64']],
    ['arm64/v8 counts as arm64', ['linux/arm64'], ['linux/arm64/v8'], 'ok', []],
    ['arm/v7 is not arm/v6', ['linux/arm/v6'], ['linux/arm/v7'], 'missing', ['linux/arm/v6']],
    ['attestations do not count', ['linux/amd64'], [], 'missing', ['linux/amd64']],
    [
      'several missing, in request order',
      ['linux/s390x', 'linux/amd64', 'linux/ppc64le'],
      ['linux/amd64'],
      'missing',
      ['linux/s390x', 'linux/ppc64le'],
    ],
  ])('%s', (_what, requested, available, status, missing) => {
    const v = judgeBase(check(requested), { code: 0, stdout: index(available), stderr: '' });
    expect(v.status).toBe(status);
    if (v.status === 'missing') expect(v.missing).toEqual(missing);
  });

  test('a single-platform manifest needs its config read', () => {
    const v = judgeBase(check(AMD_ARM), {
      code: 0,
      stdout: JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }),
      stderr: '',
    });
    expect(v.status).toBe('single');
  });

  test('a failed inspect is unreachable, with the last stderr line', () => {
    const v = judgeBase(check(AMD_ARM), {
      code: 1,
      stdout: '',
      stderr: 'ERROR: dial tcp 127.0.0.1:9: connect: connection refused\n',
    });
    expect(v).toEqual({
      ref: 'img:1',
      status: 'unreachable',
      detail: 'ERROR: dial tcp 127.0.0.1:9: connect: connection refused',
    });
  });
});
