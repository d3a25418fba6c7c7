import { runPost } from '../../../src/pipeline/post.js';
import type { Host } from '../../../src/ports/host.js';
import { fakeFiles } from '../fakes.js';

/** Post with a run state and a cache-folder port that records what it was asked to release. */
function post(state: Record<string, unknown>, held: Record<string, string>) {
  const released: string[] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  const host = {
    getState: (n: string) => (n === 'multiarch' ? JSON.stringify(state) : ''),
    info: (m: string) => infos.push(m),
    warning: (m: string) => warnings.push(m),
  } as unknown as Host;
  const files = fakeFiles();
  const run = runPost({
    host,
    exec: async () => ({ code: 0, stdout: '', stderr: '' }),
    files,
    env: {},
    cwd: '/',
    now: () => 0,
    cacheFolders: {
      release: (dir, owner) => {
        if (held[dir] !== owner) return false;
        released.push(dir);
        return true;
      },
    },
  });
  return { run, released, infos, warnings, removed: files.removed };
}

describe('post and the shared cache folder a stopped main step left', () => {
  test("released when this run (its temp folder) still holds the lock, before the run's temp folder goes", async () => {
    const p = post(
      { tempDir: '/rt/multiarch-a', cacheDirs: ['/rt/multiarch-cache/abc'] },
      {
        '/rt/multiarch-cache/abc': '/rt/multiarch-a',
      },
    );
    await p.run;
    expect(p.released).toEqual(['/rt/multiarch-cache/abc']);
    expect(p.infos).toContain('removed the cache folder /rt/multiarch-cache/abc');
    expect(p.removed).toEqual(['/rt/multiarch-a']);
  });

  test("another run's lock (it took over, or main finished and another run locked since): left alone", async () => {
    const p = post(
      { tempDir: '/rt/multiarch-a', cacheDirs: ['/rt/multiarch-cache/abc'] },
      {
        '/rt/multiarch-cache/abc': '/rt/multiarch-b',
      },
    );
    await p.run;
    expect(p.released).toEqual([]);
    expect(p.warnings).toEqual([]);
  });

  test('no temp folder recorded: no owner to prove, nothing released', async () => {
    const p = post({ cacheDirs: ['/rt/multiarch-cache/abc'] }, { '/rt/multiarch-cache/abc': '' });
    await p.run;
    expect(p.released).toEqual([]);
  });
});
