import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The lock on a layer cache folder shared by every run on one RUNNER_TEMP (self-hosted runners):
 * a `<dir>.lock` folder (mkdir is atomic: exactly one run creates it) holding an `owner` file that
 * names the run (its own temp folder), its process and its host. Only the owner removes the lock
 * and the folder: a run's post step, its signal path or the CLI's cleanup releases what the run
 * left when it was stopped half-way, never another run's.
 */

/** Who holds a lock, as written in its owner file. */
export interface LockOwner {
  /** The run's own temp folder: unique per run, known to its post step through the run state. */
  run: string;
  pid: number;
  host: string;
}

const OWNER_FILE = 'owner';

/**
 * Pure: whether a held lock is abandoned and may be taken over. Older than `staleMs` (longer than
 * any restore or save may take) it is a killed run's; so is one whose owner process is gone on
 * this same host (a step killed by a signal). A lock of another host, or with no readable owner
 * (its owner is writing it this moment), is judged by its age only.
 */
export function lockAbandoned(
  held: { owner?: LockOwner; ageMs: number },
  staleMs: number,
  here: { host: string; pid: number; alive(pid: number): boolean },
): boolean {
  if (held.ageMs > staleMs) return true;
  const o = held.owner;
  if (!o || o.host !== here.host || o.pid === here.pid) return false;
  return !here.alive(o.pid);
}

/** Signal 0 checks that a process exists: ESRCH = gone; EPERM = exists but is another user's. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner file of a lock folder, undefined when missing or not ours to read. */
export function readLockOwner(lock: string): LockOwner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(lock, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof o.run === 'string' && typeof o.pid === 'number' && typeof o.host === 'string')
      return { run: o.run, pid: o.pid, host: o.host };
  } catch {
    // no owner file yet (being written) or not JSON: judged by age
  }
  return undefined;
}

const here = () => ({ host: os.hostname(), pid: process.pid, alive: processAlive });

/**
 * Take an abandoned lock away: moved aside under a name of our own first (rename is atomic, so
 * of two runs that judged it abandoned only one moves it), then checked to be the one judged (a
 * run may have taken it over and locked anew in between: that lock is put back).
 */
function takeOver(lock: string, judged: LockOwner | undefined): void {
  const aside = `${lock}.stale-${randomBytes(6).toString('hex')}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // another run moved it first
  }
  const moved = readLockOwner(aside);
  if (judged && moved && moved.run !== judged.run) {
    try {
      fs.renameSync(aside, lock);
      return;
    } catch {
      // a third run locked meanwhile: the moved lock is dropped below
    }
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Take the lock on dir for run `owner`; false = another run holds it. */
export function lockDir(dir: string, staleMs: number, owner: string): boolean {
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.mkdirSync(path.dirname(lock), { recursive: true });
      fs.mkdirSync(lock);
      const me: LockOwner = { run: owner, pid: process.pid, host: os.hostname() };
      fs.writeFileSync(path.join(lock, OWNER_FILE), JSON.stringify(me));
      return true;
    } catch (err) {
      // the parent was just removed by a run that finished (unlock): make it again
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = fs.statSync(lock, { throwIfNoEntry: false });
      if (!stat) continue; // released meanwhile: try again
      const owner = readLockOwner(lock);
      if (!lockAbandoned({ owner, ageMs: Date.now() - stat.mtimeMs }, staleMs, here())) return false;
      takeOver(lock, owner);
    }
  }
  return false;
}

/** Remove the lock if run `owner` holds it; true when it did. The shared parent goes once empty. */
export function unlockDir(dir: string, owner: string): boolean {
  const lock = `${dir}.lock`;
  if (readLockOwner(lock)?.run !== owner) return false;
  fs.rmSync(lock, { recursive: true, force: true });
  try {
    // rmdir refuses while another run's lock or folder is there
    fs.rmdirSync(path.dirname(dir));
  } catch {
    // not empty: another run is using it
  }
  return true;
}

/**
 * After a run was stopped half-way (post, a signal, the CLI's cleanup): the shared folder and its
 * lock, when this run still holds the lock (then the folder is this run's leftover); true when
 * removed. Another run's lock and folder are left alone.
 */
export function releaseDir(dir: string, owner: string): boolean {
  if (readLockOwner(`${dir}.lock`)?.run !== owner) return false;
  fs.rmSync(dir, { recursive: true, force: true });
  return unlockDir(dir, owner);
}
