import { stageNames } from '../../../src/oci/dockerfile.js';

describe('stageNames', () => {
  test('the stages of a Dockerfile: AS names lower-cased, continuation lines joined, comments ignored', () => {
    const df = [
      '# syntax=docker/dockerfile:1',
      'ARG BASE=alpine',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
      'RUN echo from x as notastage',
      'FROM ${BASE} \\',
      '  AS runtime',
      'from scratch as final',
      'FROM build',
    ].join('\n');
    expect(stageNames(df)).toEqual(['build', 'runtime', 'final']);
  });

  test('the escape directive changes the continuation character', () => {
    expect(stageNames('# escape=`\nFROM alpine `\n  AS win\n')).toEqual(['win']);
  });

  test('a stage named from an ARG: the stages are not known, nothing is refused', () => {
    expect(stageNames('FROM alpine AS ${NAME}\n')).toBeUndefined();
  });
});
