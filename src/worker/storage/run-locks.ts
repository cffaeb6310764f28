/**
 * One tab samples a stored run at a time. The worker that samples a run holds the Web Lock
 * "coar-run:<id>" (navigator.locks, shared by every tab and worker of the site) until it stops;
 * another tab's resume offer and runs list see the lock and say "running in another tab", and its
 * worker refuses to resume, open or delete that run. Where a browser has no Web Locks, runs are
 * not locked (the old behaviour), and nothing else changes.
 */
import { CoarError } from '../../coar/errors';

interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

const PREFIX = 'coar-run:';

function lockManager(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks && typeof nav.locks.request === 'function' && typeof nav.locks.query === 'function' ? nav.locks : null;
}

/** Whether this browser can lock runs across tabs. */
export const runLocksAvailable = () => lockManager() !== null;

/** Releases a lock taken by holdRunLock (idempotent). */
export type ReleaseRunLock = () => void;

/**
 * Takes the lock of run `runId`, or throws CoarError 'run-busy' when another tab holds it.
 * Without Web Locks, a no-op lock.
 */
export async function holdRunLock(runId: string): Promise<ReleaseRunLock> {
  const locks = lockManager();
  if (!locks) return () => {};
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const granted = await new Promise<boolean>((answer, fail) => {
    locks.request(`${PREFIX}${runId}`, { ifAvailable: true }, (lock) => {
      answer(lock !== null);
      // Held until released; a null lock (not available) ends at once.
      return lock === null ? undefined : held;
    }).catch(fail);
  });
  if (!granted) throw runBusyError();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

export function runBusyError(): CoarError {
  return new CoarError('This run is being computed in another tab (or window) of this site: let it finish there, or cancel it there, then try again here.', 'run-busy');
}

/** Ids of the runs whose lock is held now (by any tab, this one included); empty without Web Locks. */
export async function lockedRunIds(): Promise<Set<string>> {
  const locks = lockManager();
  if (!locks) return new Set();
  try {
    const { held = [] } = await locks.query();
    return new Set(held.map((l) => l.name ?? '').filter((n) => n.startsWith(PREFIX)).map((n) => n.slice(PREFIX.length)));
  } catch {
    return new Set();
  }
}

/**
 * Runs locked by another tab: held, and not the one this worker samples (`own`). With `settleMs`,
 * waits up to that long for locks to go (a tab that was just reloaded releases its lock as its old
 * worker ends), so the page's first listing does not call a run busy that is merely being let go.
 */
export async function runsBusyElsewhere(own: string | null, settleMs = 0): Promise<string[]> {
  const ids = async () => [...await lockedRunIds()].filter((id) => id !== own);
  let busy = await ids();
  const until = Date.now() + settleMs;
  while (busy.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    busy = await ids();
  }
  return busy.sort();
}
