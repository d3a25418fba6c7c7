import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  lockAbandoned,
  lockDir,
  processAlive,
  readLockOwner,
  releaseDir,
  unlockDir,
} from '../../../src/ports/cache-lock.js';

const STALE = 30 * 60_000;
const here = { host: 'h1', pid: 100, alive: (pid: number) => pid === 200 };

describe('lockAbandoned (pure)', () => {
  test.each<[string, Parameters<typeof lockAbandoned>[0], boolean]>([
    ['older than the stale age', { ageMs: STALE + 1, owner: { run: 'r', pid: 200, host: 'h1' } }, true],
    ['fresh, its owner process alive here', { ageMs: 10, owner: { run: 'r', pid: 200, host: 'h1' } }, false],
    ['fresh, its owner process gone (a killed step)', { ageMs: 10, owner: { run: 'r', pid: 300, host: 'h1' } }, true],
    [
      'fresh, owned by another host: judged by age only',
      { ageMs: 10, owner: { run: 'r', pid: 300, host: 'h2' } },
      false,
    ],
    ['fresh, no owner file yet (being written)', { ageMs: 10 }, false],
    ['fresh, our own process', { ageMs: 10, owner: { run: 'r', pid: 100, host: 'h1' } }, false],
  ])('%s → %s', (_n, held, want) => {
    expect(lockAbandoned(held, STALE, here)).toBe(want);
  });
});

describe('the lock on a shared cache folder (real folders)', () => {
  const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cachelock-'));
  const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

  test('only the owner unlocks or releases; release removes the folder, the lock and the empty parent', () => {
    const dir = path.join(root(), 'multiarch-cache', 'abc');
    expect(lockDir(dir, STALE, '/rt/run-a')).toBe(true);
    expect(readLockOwner(`${dir}.lock`)).toEqual({ run: '/rt/run-a', pid: process.pid, host: os.hostname() });
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.json'), '{}');
    expect(lockDir(dir, STALE, '/rt/run-b')).toBe(false);
    expect(unlockDir(dir, '/rt/run-b')).toBe(false);
    expect(releaseDir(dir, '/rt/run-b')).toBe(false);
    expect(fs.existsSync(dir)).toBe(true);
    expect(releaseDir(dir, '/rt/run-a')).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    expect(fs.existsSync(path.dirname(dir))).toBe(false);
  });

  test("a lock whose owner process is gone is taken over at once, and its old owner's post leaves it alone", () => {
    const dir = path.join(root(), 'multiarch-cache', 'abc');
    fs.mkdirSync(`${dir}.lock`, { recursive: true });
    const dead = { run: '/rt/run-killed', pid: deadPid(), host: os.hostname() };
    expect(processAlive(dead.pid)).toBe(false);
    fs.writeFileSync(path.join(`${dir}.lock`, 'owner'), JSON.stringify(dead));
    expect(lockDir(dir, STALE, '/rt/run-next')).toBe(true);
    expect(readLockOwner(`${dir}.lock`)?.run).toBe('/rt/run-next');
    expect(releaseDir(dir, '/rt/run-killed')).toBe(false);
    expect(fs.existsSync(`${dir}.lock`)).toBe(true);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['abc.lock']);
  });

  test('a live owner on this host keeps its lock; an old lock of any owner is taken over', () => {
    const dir = path.join(root(), 'abc');
    fs.mkdirSync(`${dir}.lock`);
    fs.writeFileSync(
      path.join(`${dir}.lock`, 'owner'),
      JSON.stringify({ run: '/rt/run-live', pid: process.ppid, host: os.hostname() }),
    );
    expect(lockDir(dir, STALE, '/rt/me')).toBe(false);
    const old = new Date(Date.now() - STALE - 60_000);
    fs.utimesSync(`${dir}.lock`, old, old);
    expect(lockDir(dir, STALE, '/rt/me')).toBe(true);
  });

  test.each(['x\n::error::pwned', '{"run":1}', 'y'.repeat(100_000), '-'])(
    'a hostile owner file is no owner: the lock is judged by age, never released for it: %#',
    (content) => {
      const dir = path.join(root(), 'abc');
      fs.mkdirSync(`${dir}.lock`);
      fs.writeFileSync(path.join(`${dir}.lock`, 'owner'), content);
      expect(readLockOwner(`${dir}.lock`)).toBeUndefined();
      expect(lockDir(dir, STALE, '/rt/me')).toBe(false);
      expect(releaseDir(dir, content)).toBe(false);
      expect(fs.existsSync(`${dir}.lock`)).toBe(true);
    },
  );
});
