/** The evaluation views' job: started on request, with progress; cancellable; reset with the run. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EvaluationOptions, EvaluationView, Progress, RunView } from '../../worker/protocol/protocol';
import type { Tone } from './use-messages';
import type { CoarClient, WorkerError } from './worker-client';

export interface EvaluationJob {
  id: number;
  progress: Progress | null;
  cancelling: boolean;
}

export function useEvaluation(client: CoarClient, run: RunView | null, push: (tone: Tone, text: string, code?: string) => void) {
  const [view, setView] = useState<EvaluationView | null>(null);
  const [job, setJob] = useState<EvaluationJob | null>(null);
  const jobRef = useRef<EvaluationJob | null>(null);
  jobRef.current = job;

  // Results belong to one run: another run drops them (and cancels a running evaluation).
  useEffect(() => {
    setView(null);
    return () => {
      if (jobRef.current) void client.cancel(jobRef.current.id);
      jobRef.current = null;
      setJob(null);
    };
  }, [run, client]);

  const start = useCallback((options: EvaluationOptions) => {
    if (!run || jobRef.current) return;
    const request = client.request<'evaluate'>({ type: 'evaluate', slot: run.slot, options }, (progress) => {
      setJob((j) => (j && j.id === request.id ? { ...j, progress } : j));
    });
    const next = { id: request.id, progress: null, cancelling: false };
    jobRef.current = next;
    setJob(next);
    request.promise.then((result) => {
      if (jobRef.current?.id !== request.id) return;
      jobRef.current = null;
      setJob(null);
      setView(result);
    }, (error: WorkerError) => {
      if (jobRef.current?.id !== request.id) return;
      jobRef.current = null;
      setJob(null);
      push(error.code === 'cancelled' ? 'info' : 'error', error.code === 'cancelled' ? 'The evaluation was cancelled; nothing was kept.' : `The evaluation failed: ${error.message}`, 'evaluation');
    });
  }, [client, run, push]);

  const cancel = useCallback(() => {
    const current = jobRef.current;
    if (!current) return;
    setJob({ ...current, cancelling: true });
    void client.cancel(current.id);
  }, [client]);

  return { view, job, start, cancel };
}
