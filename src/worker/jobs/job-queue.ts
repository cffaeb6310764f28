/**
 * One job at a time, first come first served. A job can be cancelled while it waits (it is
 * dropped) or while it runs (its AbortSignal fires; the job decides where it can stop).
 * Pure: no tfjs, no worker globals, so it is tested in Node.
 */
export type JobRunner = (signal: AbortSignal) => Promise<void>;

interface Job {
  id: number;
  run: JobRunner;
  /** Called instead of `run` when the job is cancelled before it starts. */
  onDropped: () => void;
}

export type CancelOutcome = 'running' | 'queued' | 'unknown';

export class JobQueue {
  private readonly waiting: Job[] = [];
  private current: { id: number; controller: AbortController } | null = null;
  private idle: Promise<void> = Promise.resolve();

  enqueue(id: number, run: JobRunner, onDropped: () => void): void {
    this.waiting.push({ id, run, onDropped });
    if (!this.current) this.idle = this.pump();
  }

  cancel(id: number): CancelOutcome {
    if (this.current?.id === id) {
      this.current.controller.abort();
      return 'running';
    }
    const k = this.waiting.findIndex((j) => j.id === id);
    if (k < 0) return 'unknown';
    const [job] = this.waiting.splice(k, 1);
    job.onDropped();
    return 'queued';
  }

  get runningId(): number | null {
    return this.current?.id ?? null;
  }

  get waitingIds(): number[] {
    return this.waiting.map((j) => j.id);
  }

  /** Resolves when the queue has run dry (for tests). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  private async pump(): Promise<void> {
    while (this.waiting.length) {
      const job = this.waiting.shift()!;
      const controller = new AbortController();
      this.current = { id: job.id, controller };
      try {
        await job.run(controller.signal);
      } catch {
        // Runners report their own errors; the queue only keeps going.
      } finally {
        this.current = null;
      }
    }
  }
}
