import { readElfHeader } from '../../../../src/oci/elf.js';
import { summaryPlain } from '../../../../src/run/summary.js';
import {
  archCheckFailure,
  archCheckSummary,
  emptyScan,
  ignoreMatcher,
  judgePlatform,
  type LayerScan,
  stackLayers,
} from '../../../../src/stages/archcheck/plan.js';
import { elf } from '../../images.js';

const x86 = readElfHeader(elf(2, 1, 62))!;
const a64 = readElfHeader(elf(2, 1, 183))!;
function layer(part: Partial<LayerScan> & { elves?: LayerScan['elves'] }): LayerScan {
  const l = { ...emptyScan(), ...part };
  for (const e of l.elves) l.paths.add(e.path);
  return l;
}

describe('layers stack with whiteouts', () => {
  test('a file deleted by a later layer (.wh.), under an opaque directory, or replaced, is not reported', () => {
    const lower = layer({
      elves: [
        { path: 'opt/a', header: x86 },
        { path: 'opt/d/b', header: x86 },
        { path: 'usr/bin/c', header: x86 },
        { path: 'keep', header: x86 },
      ],
    });
    const upper = layer({ whiteouts: ['opt/a'], opaque: ['opt/d'], elves: [{ path: 'usr/bin/c', header: a64 }] });
    expect(
      stackLayers([lower, upper])
        .map((e) => e.path)
        .sort(),
    ).toEqual(['keep', 'usr/bin/c']);
    const v = judgePlatform('linux/arm64', [lower, upper], 2, () => false);
    expect(v.wrong).toEqual([{ path: '/keep', arch: 'amd64' }]);
    // a whiteout of a directory removes what is under it
    expect(stackLayers([lower, layer({ whiteouts: ['opt'] })]).map((e) => e.path)).toEqual(['usr/bin/c', 'keep']);
  });

  test('arch-check-ignore globs and directories, with or without a leading slash', () => {
    const ignore = ignoreMatcher(['/usr/lib/firmware/**', 'test/*.bin', 'opt/vendor']);
    expect(['usr/lib/firmware/x/y.elf', 'test/a.bin', 'opt/vendor/lib/z.so'].every(ignore)).toBe(true);
    expect(['usr/lib/x', 'test/sub/a.bin', 'opt/vendors'].some(ignore)).toBe(false);
  });

  test('the failure names the platform, the first files, the count, the architecture and the fix', () => {
    const elves = Array.from({ length: 7 }, (_, i) => ({ path: `bin/t${i}`, header: x86 }));
    const v = [
      judgePlatform('linux/arm64', [layer({ elves })], 1, () => false),
      judgePlatform('linux/amd64', [layer({ elves })], 1, () => false),
    ];
    const err = archCheckFailure(v)!;
    expect(err.stage).toBe('arch-check');
    expect(err.message).toMatch(
      /^linux\/arm64 holds 7 amd64 binaries: \/bin\/t0, \/bin\/t1, \/bin\/t2, \/bin\/t3, \/bin\/t4 and 2 more\. Fix: .*\$TARGETPLATFORM.*TARGETARCH/,
    );
    expect(err.message).not.toMatch(/linux\/amd64 holds/);
    expect(summaryPlain(archCheckSummary(v, 'true'))).toContain(
      '| linux/arm64 | **7 wrong** (amd64) | 7 | 0 | 1 of 1 |',
    );
    expect(archCheckFailure([v[1]!])).toBeUndefined();
  });
});
