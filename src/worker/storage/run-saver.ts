/**
 * Saves a live run to the browser's storage as it goes: the header when it starts, the rows of
 * each finished chunk, then the whole fitted run. A failed write (a full quota) stops the saving,
 * says so once, and keeps everything stored before; the run itself goes on in memory.
 */
import { CoarError } from '../../coar/errors';
import type { RunData } from '../../coar/runfile';
import type { RunSource, RunStore, StoredRunMeta, StoredRunStatus } from './run-store';
import type { WorkerEvent } from '../protocol/protocol';
import { newRows } from '../jobs/views';

type Warn = (e: WorkerEvent) => void;

export class RunSaver {
  private failed = false;

  private constructor(private readonly store: RunStore, readonly id: string, private name: string, private readonly warn: Warn) {}

  /** Starts saving a new run; null (after a warning) when it cannot be stored. */
  static async begin(store: RunStore | null, run: RunData, info: { name: string; source: RunSource }, warn: Warn): Promise<RunSaver | null> {
    if (!store) return null;
    try {
      const meta = await store.create(run, info);
      return new RunSaver(store, meta.id, meta.name, warn);
    } catch (e) {
      warn({ type: 'warning', code: codeOf(e), message: `This run will not be saved in the browser: ${(e as Error).message}` });
      return null;
    }
  }

  /** Continues saving a stored run (reopened after a reload). */
  static resume(store: RunStore, meta: StoredRunMeta, warn: Warn): RunSaver {
    return new RunSaver(store, meta.id, meta.name, warn);
  }

  /** Saves the rows that became done since `before` (the done flags of both blocks before the chunk). */
  async saveNewRows(run: RunData, before: [Uint8Array, Uint8Array]): Promise<void> {
    const blocks = [['train', run.train.done, before[0]], ['validation', run.validation.done, before[1]]] as const;
    for (const [block, now, was] of blocks) {
      const rows = newRows(now, was);
      if (rows.length > 0) await this.attempt(() => this.store.saveRows(this.id, block, rows, run));
    }
  }

  setStatus(status: StoredRunStatus): Promise<void> {
    return this.attempt(() => this.store.setStatus(this.id, status));
  }

  complete(run: RunData): Promise<void> {
    return this.attempt(() => this.store.complete(this.id, run));
  }

  /** One write, unless an earlier one failed; a failure is reported once and stops the saving. */
  private async attempt(write: () => Promise<unknown>): Promise<void> {
    if (this.failed) return;
    try {
      await write();
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.failed = true;
    const message = e instanceof CoarError && e.code === 'storage-full'
      ? e.message
      : `Saving run "${this.name}" in the browser failed (${(e as Error).message}); what was saved before is kept. The run goes on here: export it to a file to keep it.`;
    this.warn({ type: 'warning', code: codeOf(e), message });
  }
}

function codeOf(e: unknown): string {
  return e instanceof CoarError ? e.code : 'storage-failed';
}
