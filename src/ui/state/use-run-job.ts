/**
 * The live-run job: start, resume, fit and cancel, its progress, the "partial" state of a run
 * stopped before its end (fit or resume it), and what the last finished sampling job computed.
 */
import { useCallback, useRef, useState } from 'react';
import type { LiveRunRequestSettings, Progress, ResultOf, RunView, SampleDone } from '../../worker/protocol/protocol';
import { int } from '../format/format';
import type { Tone } from './use-messages';
import type { CoarClient, Job, Payload, WorkerError } from './worker-client';

export type JobKind = 'start-run' | 'resume-run' | 'fit-run';

export interface RunJob {
  id: number;
  kind: JobKind;
  progress: Progress | null;
  cancelling: boolean;
}

export function useRunJob(client: CoarClient, push: (tone: Tone, text: string, code?: string) => void, showLive: (view: RunView) => void) {
  const [job, setJob] = useState<RunJob | null>(null);
  const [partial, setPartial] = useState<SampleDone | null>(null);
  /** The last sampling job that ran to its end (its rowsComputedNow is shown). */
  const [finished, setFinished] = useState<SampleDone | null>(null);
  /** Counts ended jobs, so the stored-runs list knows when to ask again. */
  const [ended, setEnded] = useState(0);
  const jobRef = useRef<RunJob | null>(null);
  jobRef.current = job;

  const finishSampling = useCallback((done: SampleDone) => {
    if (done.cancelled) {
      setPartial(done);
      const rows = done.trainDone + done.validationDone;
      const total = done.trainTotal + done.validationTotal;
      push('info', `Run cancelled after ${int(rows)} of ${int(total)} masks. The masks done are kept: fit them now, or resume the run.`, 'cancelled');
      return;
    }
    setPartial(null);
    setFinished(done);
    if (done.run) showLive(done.run);
  }, [push, showLive]);

  const runJob = useCallback(<K extends JobKind>(payload: Payload<K>, onDone: (result: ResultOf[K]) => void) => {
    if (jobRef.current) return;
    let id = 0;
    const request: Job<ResultOf[K]> = client.request<K>(payload, (progress) => setJob((j) => (j && j.id === id ? { ...j, progress } : j)));
    id = request.id;
    const next: RunJob = { id, kind: payload.type as JobKind, progress: null, cancelling: false };
    jobRef.current = next;
    setJob(next);
    setFinished(null);
    request.promise.then((result) => {
      setJob(null);
      setEnded((n) => n + 1);
      onDone(result);
    }, (error: WorkerError) => {
      setJob(null);
      setEnded((n) => n + 1);
      push('error', error.code === 'cancelled' ? 'The run was cancelled before it started.' : `The run failed: ${error.message}`, error.code);
    });
  }, [client, push]);

  const startRun = useCallback((settings: LiveRunRequestSettings) => {
    setPartial(null);
    runJob<'start-run'>({ type: 'start-run', settings }, finishSampling);
  }, [runJob, finishSampling]);

  /** Samples only the rows not done yet (after a cancel, or of a stored run), then fits. */
  const resumeRun = useCallback(() => runJob<'resume-run'>({ type: 'resume-run' }, finishSampling), [runJob, finishSampling]);

  const fitPartial = useCallback(() => runJob<'fit-run'>({ type: 'fit-run' }, showLive), [runJob, showLive]);

  const cancelRun = useCallback(() => {
    const current = jobRef.current;
    if (!current) return;
    setJob({ ...current, cancelling: true });
    void client.cancel(current.id);
  }, [client]);

  /** Forgets the job's outcome (another model or run is shown now). */
  const clear = useCallback(() => {
    setPartial(null);
    setFinished(null);
  }, []);

  return { job, jobRef, partial, setPartial, finished, ended, startRun, resumeRun, fitPartial, cancelRun, clear };
}
