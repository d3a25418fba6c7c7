import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

import { markedIndex } from '../../../../src/stages/archcheck/act.js';
import { CHECK_MARK_KEY } from '../../../../src/stages/archcheck/export.js';

/** A layout folder as BuildKit leaves it beside the engine's store: index.json names the other image. */
function folder(blobs: (string | Buffer)[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ma-marked-'));
  fs.mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const b of blobs)
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', createHash('sha256').update(b).digest('hex')), b);
  fs.writeFileSync(
    path.join(dir, 'index.json'),
    JSON.stringify({ manifests: [{ digest: `sha256:${'e'.repeat(64)}` }] }),
  );
  return dir;
}

const index = (annotations?: Record<string, string>) =>
  JSON.stringify({ mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [], annotations });

describe("the check's own copy found by its mark, not by index.json", () => {
  test('the one index carrying this run’s mark; manifests, other indexes, layers and placeholders passed over', async () => {
    const mine = index({ [CHECK_MARK_KEY]: 'c0ffee' });
    const dir = folder([
      mine,
      index(),
      index({ [CHECK_MARK_KEY]: 'another-run' }),
      JSON.stringify({ layers: [], annotations: { [CHECK_MARK_KEY]: 'c0ffee' } }),
      zlib.gzipSync('{"manifests":[]}'),
      '{not json',
    ]);
    fs.writeFileSync(path.join(dir, 'blobs', 'sha256', 'f'.repeat(64)), '');
    await expect(markedIndex(dir, 'c0ffee')).resolves.toBe(mine);
    fs.rmSync(dir, { recursive: true });
  });

  test('none, or two, is an error (the check then says it could not read the image)', async () => {
    const none = folder([index()]);
    await expect(markedIndex(none, 'c0ffee')).rejects.toThrow(/holds 0 image indexes marked for the check, not one/);
    const two = folder([index({ [CHECK_MARK_KEY]: 'c0ffee' }), `${index({ [CHECK_MARK_KEY]: 'c0ffee' })} `]);
    await expect(markedIndex(two, 'c0ffee')).rejects.toThrow(/holds 2 image indexes/);
    for (const d of [none, two]) fs.rmSync(d, { recursive: true });
  });

  test('a link in the folder is not followed, even to a marked index', async () => {
    const outside = folder([]);
    const target = path.join(outside, 'x.json');
    fs.writeFileSync(target, index({ [CHECK_MARK_KEY]: 'c0ffee' }));
    const dir = folder([]);
    fs.symlinkSync(target, path.join(dir, 'blobs', 'sha256', 'a'.repeat(64)));
    await expect(markedIndex(dir, 'c0ffee')).rejects.toThrow(/holds 0/);
    for (const d of [outside, dir]) fs.rmSync(d, { recursive: true });
  });
});
