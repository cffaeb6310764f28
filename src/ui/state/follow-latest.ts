/**
 * Requests whose answers only matter while they are the latest of their kind (a newer ablation,
 * preview or edit makes an older one moot): the ref holds the latest job's id, and an answer
 * from any other job is dropped.
 */
import type { Job, WorkerError } from './worker-client';

export function followLatest<T>(
  latest: { current: number | null },
  job: Job<T>,
  onResult: (result: T) => void,
  onError: (error: WorkerError) => void,
): void {
  latest.current = job.id;
  job.promise.then((result) => {
    if (latest.current !== job.id) return;
    latest.current = null;
    onResult(result);
  }, (error: WorkerError) => {
    if (latest.current !== job.id) return;
    latest.current = null;
    onError(error);
  });
}
