import * as fs from 'node:fs';
import * as path from 'node:path';

import { summaryPlain } from '../../../../src/run/summary.js';
import {
  emulationNotice,
  isNative,
  parseProgress,
  platformTimes,
  timesSummary,
} from '../../../../src/stages/archcheck/times.js';

const fixture = (n: string) =>
  fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'fixtures', n), 'utf8');
const NODE = ['linux/amd64'];

describe('per-platform times from plain progress (captured logs)', () => {
  test('a 2-platform build on a base image: each platform’s steps, cached steps, slowest first', () => {
    const t = platformTimes(fixture('progress-base-2platform.log'), ['linux/amd64', 'linux/arm64'], NODE);
    expect(t['linux/amd64']).toMatchObject({ emulated: false, steps: 3, cached: 1 });
    expect(t['linux/arm64']).toMatchObject({ emulated: true, steps: 3, cached: 1 });
    expect(t['linux/arm64']!.slowest[0]).toEqual({
      step: '[3/4] RUN ["/bin/busybox", "sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; uname -m > /built-on"]',
      seconds: 6.2,
    });
    expect(t['linux/amd64']!.slowest[0]!.seconds).toBe(1.7);
    expect(t['linux/arm64']!.seconds).toBeGreaterThan(t['linux/amd64']!.seconds);
    expect(summaryPlain(timesSummary(t))).toMatch(/\| linux\/arm64 \| emulated \| [\d.]+s \| 3 \| 1 \| \[3\/4\] RUN/);
  });

  test('steps printed without a platform (RUN in a scratch stage) are parsed without one', () => {
    const v = parseProgress(fixture('progress-scratch-2platform.log'));
    expect(v.filter((x) => x.platform === undefined).map((x) => x.step.slice(0, 15))).toEqual([
      '[build 2/2] RUN',
      '[build 2/2] RUN',
    ]);
    const t = platformTimes(fixture('progress-scratch-2platform.log'), ['linux/amd64', 'linux/arm64'], NODE);
    // its COPY steps and its copy of the RUN, the slower one (3.5 s: emulated)
    expect(t['linux/arm64']).toMatchObject({ steps: 3, seconds: 3.7 });
    expect(t['linux/amd64']).toMatchObject({ steps: 3, seconds: 1.4 });
  });

  test('a multi-platform FROM scratch stage: each RUN counted once per platform, the slower run the emulated one', () => {
    // captured: docker buildx build --progress=plain --platform linux/amd64,linux/arm64 (3 RUNs in a scratch stage)
    const log = fixture('progress-scratch-runs-2platform.log');
    expect(parseProgress(log).filter((x) => x.platform === undefined)).toHaveLength(6);
    const t = platformTimes(log, ['linux/amd64', 'linux/arm64'], NODE);
    for (const p of ['linux/amd64', 'linux/arm64']) {
      expect(t[p]!.steps).toBe(5); // COPY, 3 RUNs, the final stage's COPY
      expect(t[p]!.slowest.filter((s) => /^\[build [234]\/4\] RUN/.test(s.step))).toHaveLength(3);
    }
    expect(t['linux/arm64']).toMatchObject({ emulated: true, seconds: 2.9 });
    expect(t['linux/amd64']).toMatchObject({ emulated: false, seconds: 2.3 });
    expect(t['linux/arm64']!.slowest[0]).toMatchObject({
      step: expect.stringMatching(/^\[build 2\/4\] RUN/),
      seconds: 1.3,
    });
  });

  test('unprefixed copies beyond the platforms go round, emulated platforms first; cached copies last', () => {
    const log = [
      '#1 [2/2] RUN a',
      '#1 DONE 1.0s',
      '#2 [2/2] RUN a',
      '#2 CACHED',
      '#3 [2/2] RUN a',
      '#3 DONE 9.0s',
    ].join('\n');
    const t = platformTimes(log, ['linux/amd64', 'linux/arm64'], NODE);
    expect(t['linux/arm64']).toMatchObject({ steps: 1, seconds: 9, cached: 1 });
    expect(t['linux/amd64']).toMatchObject({ steps: 1, seconds: 1, cached: 0 });
  });

  test('a single-platform build prints no platform: every step is that platform’s', () => {
    const log =
      '#5 [2/3] RUN make\n#5 DONE 4.0s\n#6 [3/3] COPY a /\n#6 CACHED\n#7 [internal] load build context\n#7 DONE 0.1s\n';
    expect(platformTimes(log, ['linux/arm64'], ['linux/arm64'])).toEqual({
      'linux/arm64': {
        emulated: false,
        seconds: 4,
        steps: 1,
        cached: 1,
        slowest: [{ step: '[2/3] RUN make', seconds: 4 }],
      },
    });
  });

  test('native: the node’s own architecture (and 386 on amd64); everything else is emulated', () => {
    expect(isNative('linux/amd64', ['linux/amd64'])).toBe(true);
    expect(isNative('linux/386', ['linux/amd64'])).toBe(true);
    expect(isNative('linux/arm64', ['linux/amd64'])).toBe(false);
    expect(isNative('linux/arm64', ['linux/amd64', 'linux/arm64'])).toBe(true);
  });

  test('a notice when emulated steps dominate, with the time a native runner would save', () => {
    const t = {
      'linux/amd64': { emulated: false, seconds: 6.5, steps: 3, cached: 0, slowest: [] },
      'linux/arm64': { emulated: true, seconds: 29.2, steps: 3, cached: 0, slowest: [] },
    };
    expect(emulationNotice(t)).toBe(
      'emulated platforms took 82% of the build-step time (linux/arm64 29.2s, against linux/amd64 6.5s natively): building each platform on a native runner (mode: shard, then mode: merge) would save about 22.7s of this build.',
    );
    expect(emulationNotice({ ...t, 'linux/arm64': { ...t['linux/arm64'], seconds: 5 } })).toBeUndefined();
    expect(emulationNotice({ 'linux/arm64': t['linux/arm64'] })).toBeUndefined();
  });
});
