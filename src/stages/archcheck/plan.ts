/**
 * Arch check: after the build, every platform's image is read layer by layer and each regular
 * file's ELF header is compared with the platform. Pure: what a layer holds (LayerScan, filled in
 * by act-scan.ts), how layers stack (whiteouts), the verdict and its message.
 */
import picomatch from 'picomatch';

import { StageError } from '../../errors.js';
import type { ArchCheckMode } from '../../inputs/verify.js';
import { describeElf, elfFits, type ElfHeader } from '../../oci/elf.js';
import { summaryText } from '../../run/summary.js';

/** One layer's content, as far as the check needs it. Paths are relative ("usr/bin/x"). */
export interface LayerScan {
  /** Executables and shared libraries, with their headers. */
  elves: { path: string; header: ElfHeader }[];
  /** Every path this layer creates or replaces (an upper layer's file hides a lower one's). */
  paths: Set<string>;
  /** Paths removed from lower layers (`.wh.<name>` entries). */
  whiteouts: string[];
  /** Directories whose lower content is hidden (`.wh..wh..opq`). */
  opaque: string[];
  /** Regular files read. */
  files: number;
  /** Set when the layer could not be read (e.g. zstd without zstd support); nothing is judged from it. */
  unreadable?: string;
}

export function emptyScan(): LayerScan {
  return { elves: [], paths: new Set(), whiteouts: [], opaque: [], files: 0 };
}

/** A tar entry's path as the image's filesystem sees it ("./usr/bin/x" and "/usr/bin/x" → "usr/bin/x"). */
export function normalisePath(p: string): string {
  return p.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

const under = (p: string, dir: string) => dir === '' || p === dir || p.startsWith(`${dir}/`);

/**
 * The ELF files a platform's image really holds, from its layers bottom to top: a file that an
 * upper layer replaces, whites out, or hides under an opaque directory is gone.
 */
export function stackLayers(layers: LayerScan[]): { path: string; header: ElfHeader }[] {
  let live: { path: string; header: ElfHeader }[] = [];
  for (const layer of layers) {
    live = live.filter(
      (e) =>
        !layer.paths.has(e.path) &&
        !layer.whiteouts.some((w) => under(e.path, w)) &&
        !layer.opaque.some((d) => under(e.path, d) && e.path !== d),
    );
    live.push(...layer.elves);
  }
  return live;
}

/** A matcher for arch-check-ignore (globs on image paths, "/usr/lib/firmware/**" or "usr/lib/firmware/**"). */
export function ignoreMatcher(globs: string[]): (p: string) => boolean {
  if (!globs.length) return () => false;
  const match = picomatch(globs.map(normalisePath), { dot: true });
  // a directory named as such skips everything under it
  const dirs = globs.map(normalisePath).filter((g) => !/[*?[\]{}]/.test(g));
  return (p) => match(p) || dirs.some((d) => under(p, d));
}

export interface PlatformVerdict {
  platform: string;
  /** ELF files (executables and shared libraries) in the layers read. */
  checked: number;
  /** Regular files read. */
  files: number;
  layersRead: number;
  /** Layers judged from the record of checked layers (record.ts), not read. */
  layersRecorded?: number;
  /** 0: read from a folder export (a multi-node build), which has no layers. */
  layersTotal: number;
  wrong: { path: string; arch: string }[];
  /** Layers that could not be read, and why. */
  unreadable: string[];
}

/** Judge one platform's stacked layers. */
export function judgePlatform(
  platform: string,
  layers: LayerScan[],
  layersTotal: number,
  ignore: (p: string) => boolean,
  /** How many of `layers` came from the record of checked layers, not read. */
  recorded = 0,
): PlatformVerdict {
  const live = stackLayers(layers).filter((e) => !ignore(e.path));
  const wrong = live
    .filter((e) => !elfFits(platform, e.header))
    .map((e) => ({ path: `/${e.path}`, arch: describeElf(e.header) }));
  return {
    platform,
    checked: live.length,
    files: layers.reduce((n, l) => n + l.files, 0),
    layersRead: layers.length - recorded,
    ...(recorded ? { layersRecorded: recorded } : {}),
    layersTotal,
    wrong,
    unreadable: layers.flatMap((l) => (l.unreadable ? [l.unreadable] : [])),
  };
}

const SHOWN = 5;

/** The failure naming each bad platform, its first files, their count and architecture, and the fix. */
export function archCheckFailure(verdicts: PlatformVerdict[]): StageError | undefined {
  const bad = verdicts.filter((v) => v.wrong.length);
  if (!bad.length) return undefined;
  const parts = bad.map((v) => {
    const arches = [...new Set(v.wrong.map((w) => w.arch))].join(', ');
    const files = v.wrong
      .slice(0, SHOWN)
      .map((w) => w.path)
      .join(', ');
    const more = v.wrong.length > SHOWN ? ` and ${v.wrong.length - SHOWN} more` : '';
    return `${v.platform} holds ${v.wrong.length} ${arches} binar${v.wrong.length === 1 ? 'y' : 'ies'}: ${files}${more}`;
  });
  return new StageError(
    'arch-check',
    `${parts.join('; ')}. Fix: build the stage that makes them for $TARGETPLATFORM (FROM --platform=$TARGETPLATFORM, or cross-compile with GOARCH=$TARGETARCH), and use ARG TARGETARCH in download URLs instead of a fixed architecture; or list the paths in arch-check-ignore.`,
  );
}

/** The job summary section. */
export function archCheckSummary(verdicts: PlatformVerdict[], mode: ArchCheckMode): string {
  const rows = verdicts.map((v) => {
    const result = v.wrong.length
      ? `**${v.wrong.length} wrong** (${summaryText([...new Set(v.wrong.map((w) => w.arch))].join(', '))})`
      : 'ok';
    const layers =
      v.layersTotal === 0
        ? 'none (files)'
        : mode === 'full'
          ? `${v.layersRead}`
          : `${v.layersRead} of ${v.layersTotal}`;
    const recorded = v.layersRecorded ? `, ${v.layersRecorded} from the record` : '';
    return `| ${summaryText(v.platform)} | ${result} | ${v.checked} | ${v.files} | ${layers}${recorded} |`;
  });
  const scope = mode === 'full' ? 'every layer' : 'the layers this build added above its base images';
  return [
    '#### arch check',
    '',
    `Read ${scope}.`,
    '',
    '| platform | result | ELF files | files read | layers read |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
