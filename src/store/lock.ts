// The embedded store is one process's at a time (PGlite is PostgreSQL in this process: two
// processes on one folder would corrupt it). An exclusive lock file beside the data holds the
// owner's pid; a second `store add` waits for it, and a lock whose owner is gone (kill -9) is
// taken over. The takeover itself is guarded by a second exclusive file, so two waiters never
// both take it.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { isAlive } from '../runtimes/process-marker.js';

export interface StoreLock {
  release(): Promise<void>;
}

const POLL_MS = 100;
/** A takeover file older than this was left by a killed taker. */
const STALE_TAKEOVER_MS = 5_000;

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function ownerOf(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  const pid = Number.parseInt(text ?? '', 10);
  return Number.isFinite(pid) ? pid : undefined;
}

/** Removes `lock` if its owner is gone; true when it did (or the lock vanished meanwhile). */
async function takeOverIfStale(lock: string): Promise<boolean> {
  const takeover = `${lock}.takeover`;
  if (!(await tryCreate(takeover))) {
    const age = Date.now() - ((await stat(takeover).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (age > STALE_TAKEOVER_MS) await rm(takeover, { force: true });
    return false;
  }
  try {
    const owner = await ownerOf(lock);
    // An empty lock file is one being written this instant: its owner gets the benefit of the doubt.
    if (owner === undefined || isAlive(owner)) return false;
    await rm(lock, { force: true });
    return true;
  } finally {
    await rm(takeover, { force: true });
  }
}

/**
 * Takes the lock at `lock`, waiting up to `waitMs` for another process to release it; `onWait`
 * is told once who holds it. Throws with the holder's pid when the wait is over.
 */
export async function acquireLock(lock: string, waitMs: number, onWait?: (pid: number | undefined) => void): Promise<StoreLock> {
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    if (await tryCreate(lock)) {
      return { release: () => rm(lock, { force: true }) };
    }
    if (await takeOverIfStale(lock)) continue;
    const owner = await ownerOf(lock);
    if (Date.now() >= deadline) throw new Error(`in use by process ${owner ?? '(unknown)'} (${lock}); try again when it has finished`);
    if (!told) onWait?.(owner);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
