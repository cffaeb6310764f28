/**
 * The page's side of the worker protocol: typed requests that return promises, progress
 * callbacks, cancellation, and worker events. Imports no tfjs.
 */
import type { Progress, Request, RequestType, Response, ResultOf, WorkerEvent } from '../../worker/protocol/protocol';
import type { PendingRequest } from './busy';

/** An error reported by the worker (or by the worker failing), with a code the UI can act on. */
export class WorkerError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

export type Payload<T extends RequestType> = Omit<Extract<Request, { type: T }>, 'id'>;

interface Pending {
  type: RequestType;
  since: number;
  resolve: (value: unknown) => void;
  reject: (error: WorkerError) => void;
  onProgress?: (p: Progress) => void;
}

export interface Job<T> {
  id: number;
  promise: Promise<T>;
}

export class CoarClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: WorkerEvent) => void>();
  private readonly pendingListeners = new Set<(pending: PendingRequest[]) => void>();
  private pendingRecheckMs: number | null = null;
  private dead: WorkerError | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<Response>) => this.receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.fail(new WorkerError(`The computation worker stopped: ${event.message || 'it could not be started (an old browser, or the script failed to load)'}. Reload the page to try again.`, 'worker-failed'));
    };
    worker.onmessageerror = () => this.fail(new WorkerError('A message from the worker could not be read. Reload the page.', 'worker-failed'));
  }

  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Hears the requests still waiting for an answer (oldest first) whenever one is sent or answered,
   * and again `afterMs` after each is sent (so a busy indicator can show it then without a timer of its own).
   */
  onPending(listener: (pending: PendingRequest[]) => void, afterMs?: number): () => void {
    if (afterMs !== undefined) this.pendingRecheckMs = afterMs;
    this.pendingListeners.add(listener);
    listener(this.pendingList());
    return () => this.pendingListeners.delete(listener);
  }

  private pendingList(): PendingRequest[] {
    return [...this.pending].map(([id, p]) => ({ id, type: p.type, since: p.since }));
  }

  private pendingChanged(): void {
    if (this.pendingListeners.size === 0) return;
    const list = this.pendingList();
    this.pendingListeners.forEach((l) => l(list));
  }

  request<T extends RequestType>(payload: Payload<T>, onProgress?: (p: Progress) => void): Job<ResultOf[T]> {
    const id = this.nextId++;
    const promise = new Promise<ResultOf[T]>((resolve, reject) => {
      if (this.dead) {
        reject(this.dead);
        return;
      }
      this.pending.set(id, { type: payload.type as RequestType, since: performance.now(), resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ ...payload, id } as Request);
      this.pendingChanged();
      if (this.pendingRecheckMs !== null) setTimeout(() => { if (this.pending.has(id)) this.pendingChanged(); }, this.pendingRecheckMs);
    });
    return { id, promise };
  }

  /** Asks the worker to cancel job `id`; resolves whether it was still running or queued. */
  cancel(id: number): Promise<boolean> {
    if (!this.pending.has(id)) return Promise.resolve(false);
    return this.request<'cancel'>({ type: 'cancel', target: id }).promise.then((r) => r.cancelled, () => false);
  }

  private receive(message: Response): void {
    if (message.kind === 'event') {
      this.listeners.forEach((l) => l(message.event));
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    this.pendingChanged();
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(new WorkerError(message.message, message.code));
  }

  private fail(error: WorkerError): void {
    this.dead = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.pendingChanged();
    this.listeners.forEach((l) => l({ type: 'warning', code: error.code, message: error.message }));
  }
}
