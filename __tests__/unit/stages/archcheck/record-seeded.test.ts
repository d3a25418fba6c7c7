import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { StageError } from '../../../../src/errors.js';
import { checkExported } from '../../../../src/stages/archcheck/act.js';
import { archCheckStage } from '../../../../src/stages/archcheck/wiring.js';
import { fakeRun } from '../../fakes.js';
import { elf, tarOf } from '../../images.js';

/** A one-platform layout folder whose manifest blob is an empty placeholder (BuildKit found it there). */
async function layoutWithSeededManifest(): Promise<{ dir: string; manifest: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archseeded-'));
  const put = (body: Buffer | string) => {
    const hex = createHash('sha256').update(body).digest('hex');
    fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', hex), body);
    return `sha256:${hex}`;
  };
  const layer = put(zlib.gzipSync(await tarOf([['usr/bin/x', elf(2, 1, 62)]])));
  const config = put('{"os":"linux","architecture":"arm64"}');
  const manifest = put(JSON.stringify({ config: { digest: config }, layers: [{ digest: layer }] }));
  fs.writeFileSync(path.join(dir, 'blobs', 'sha256', manifest.slice(7)), '');
  const platform = { os: 'linux', architecture: 'arm64' };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ manifests: [{ digest: manifest, platform }] }));
  return { dir, manifest };
}

describe("a record that names the build's own JSON as a layer", () => {
  test('the empty manifest placeholder is a failure naming the record file, not "cannot read"', async () => {
    const { dir, manifest } = await layoutWithSeededManifest();
    const exp = {
      kind: 'layout' as const,
      path: dir,
      recordSeeded: new Set([manifest]),
      recordFiles: ['/tc/r.json.gz'],
    };
    const t = { platforms: ['linux/arm64'], skip: new Set<string>(), ignore: () => false };
    const err = await checkExported(exp, t, undefined as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as Error).message).toMatch(/record of checked layers names it.*remove \/tc\/r\.json\.gz/);
  });

  test('an empty JSON blob that was not seeded stays "cannot read the image"', async () => {
    const { dir } = await layoutWithSeededManifest();
    const t = { platforms: ['linux/arm64'], skip: new Set<string>(), ignore: () => false };
    const err = await checkExported({ kind: 'layout', path: dir }, t, undefined as never).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(StageError);
  });

  test('the stage fails the check (no downgrade to a warning) and writes no record back', async () => {
    const { dir, manifest } = await layoutWithSeededManifest();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'archseeded-')), 'record.json.gz');
    const run = fakeRun({ 'arch-check': 'true', platforms: 'linux/arm64' });
    const local = {
      outputs: [],
      export: {
        kind: 'layout' as const,
        path: dir,
        record: new Map(),
        recordSeeded: new Set([manifest]),
        recordFiles: ['/tc/r.json.gz'],
      },
    };
    const outcome = await archCheckStage(run, {
      digest: '',
      pushed: false,
      local,
      record: { read: [], write: [{ file: out }] },
    });
    expect(outcome?.failure).toBeInstanceOf(StageError);
    expect(run.host.warnings).toEqual([]);
    expect(fs.existsSync(out)).toBe(false);
  });
});
