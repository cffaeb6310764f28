/**
 * The runs saved in this browser: listed at start and again whenever a run ends, is renamed or
 * is deleted (or a delete is refused); listing, renaming and deleting work during a live run.
 * The first listing is kept apart: it is what the page found on load (the resume offer).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResultOf, StoredRunMeta } from '../../worker/protocol/protocol';
import type { Tone } from './use-messages';
import type { CoarClient, WorkerError } from './worker-client';

export type RunList = ResultOf['list-runs'];

export const isUnfinished = (meta: StoredRunMeta) => meta.status === 'sampling' || meta.status === 'stopped';

export function useStoredRuns(client: CoarClient, push: (tone: Tone, text: string, code?: string) => void, runsEnded: number) {
  const [list, setList] = useState<RunList | null>(null);
  const [initial, setInitial] = useState<StoredRunMeta[] | null>(null);
  const [changes, setChanges] = useState(0);
  const listed = useRef(false);

  useEffect(() => {
    let current = true;
    // The first listing lets a just-reloaded tab's run lock go before calling its run busy.
    const settle = !listed.current;
    listed.current = true;
    client.request<'list-runs'>({ type: 'list-runs', settle }).promise.then((result) => {
      if (!current) return;
      setList(result);
      // A run another tab is sampling is never offered for resuming here.
      setInitial((first) => first ?? result.runs.filter((r) => !result.busyElsewhere.includes(r.id)));
    }, (error: WorkerError) => {
      if (!current) return;
      setInitial((first) => first ?? []);
      push('warning', error.message, error.code);
    });
    return () => { current = false; };
  }, [client, push, runsEnded, changes]);

  const rename = useCallback((id: string, name: string) => {
    client.request<'rename-run'>({ type: 'rename-run', runId: id, name }).promise.then(
      () => setChanges((n) => n + 1),
      (error: WorkerError) => push('error', error.message, error.code),
    );
  }, [client, push]);

  /** The worker answers at once, even during a live run; it refuses to delete the run being sampled (the row stays, its message shows). */
  const remove = useCallback((id: string) => {
    client.request<'delete-run'>({ type: 'delete-run', runId: id }).promise.then(
      () => setChanges((n) => n + 1),
      (error: WorkerError) => {
        push('error', `The run could not be deleted: ${error.message}`, error.code);
        setChanges((n) => n + 1);
      },
    );
  }, [client, push]);

  return { list, initial, rename, remove };
}
