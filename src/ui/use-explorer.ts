/**
 * The page's state apart from ablations and edits: the loaded preset (model, data, precomputed
 * run), the backend, the runs (precomputed and live), the selection, and the live-run job.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { APP_CONFIG } from '../app-config';
import type { BackendInfo, BackendName, DatasetView, LiveRunRequestSettings, ModelLayerInfo, Progress, ResultOf, RunSlot, RunView, SampleDone } from '../worker/protocol';
import type { HeatmapMode } from './heatmap-data';
import { downloadBlob } from './download';
import { int } from './format';
import type { Tone } from './use-messages';
import { addressWithPreset, type PresetName } from './url-state';
import type { CoarClient, Job, Payload, WorkerError } from './worker-client';

export type JobKind = 'start-run' | 'resume-run' | 'fit-run';

export interface RunJob {
  id: number;
  kind: JobKind;
  progress: Progress | null;
  cancelling: boolean;
}

export interface Loaded {
  modelName: string;
  modelLayers: ModelLayerInfo[];
  dataset: DatasetView;
}

const demoUrl = (path: string) => new URL(import.meta.env.BASE_URL + path, location.href).href;

export function useExplorer(client: CoarClient, backendOverride: BackendName | null, initialPreset: PresetName, push: (tone: Tone, text: string, code?: string) => void) {
  const [preset, setPreset] = useState<PresetName>(initialPreset);
  const [loading, setLoading] = useState<Progress | null>({ stage: 'Starting the computation worker' });
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [runs, setRuns] = useState<Partial<Record<RunSlot, RunView>>>({});
  const [shown, setShown] = useState<RunSlot | null>(null);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<HeatmapMode>('example');
  const [job, setJob] = useState<RunJob | null>(null);
  const [partial, setPartial] = useState<SampleDone | null>(null);
  const jobRef = useRef<RunJob | null>(null);
  const latestLoad = useRef(0);
  jobRef.current = job;

  useEffect(() => client.onEvent((event) => {
    if (event.type === 'backend') setBackend(event.backend);
    if (event.type === 'warning') push('warning', event.message, event.code);
  }), [client, push]);

  const load = useCallback((name: PresetName) => {
    setLoading({ stage: 'Starting the computation worker' });
    const files = APP_CONFIG.presets[name];
    const urls = { model: demoUrl(files.model), data: demoUrl(files.data), run: demoUrl(files.run) };
    const request = client.request<'load-demo'>({ type: 'load-demo', urls, backend: backendOverride, calibrateAlways: new URLSearchParams(location.search).get('calibrate') === 'always' }, setLoading);
    latestLoad.current = request.id;
    request.promise.then((result) => {
      if (latestLoad.current !== request.id) return;
      setBackend(result.backend);
      setLoaded({ modelName: result.modelName, modelLayers: result.modelLayers, dataset: result.dataset });
      if (result.run) {
        setRuns((r) => ({ ...r, demo: result.run! }));
        setShown('demo');
      }
      if (result.runProblem) push('warning', result.runProblem, 'demo-run');
      setLoading(null);
    }, (error: WorkerError) => {
      if (latestLoad.current !== request.id) return;
      setLoading(null);
      push('error', `The demo could not be loaded: ${error.message}`, error.code);
    });
  }, [client, backendOverride, push]);

  // Once per page (React's StrictMode runs effects twice in development).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    load(initialPreset);
  }, [load, initialPreset]);

  /** Loads another preset in the worker (its backend is kept); everything shown is reset. */
  const switchPreset = useCallback((name: PresetName) => {
    if (jobRef.current) return;
    setPreset(name);
    history.replaceState(null, '', addressWithPreset(location.href, name));
    setLoaded(null);
    setRuns({});
    setShown(null);
    setSelected(0);
    setPartial(null);
    load(name);
  }, [load]);

  const finishSampling = useCallback((done: SampleDone) => {
    if (done.cancelled) {
      setPartial(done);
      const rows = done.trainDone + done.validationDone;
      const total = done.trainTotal + done.validationTotal;
      push('info', `Run cancelled after ${int(rows)} of ${int(total)} masks. The masks done are kept: fit them now, or resume the run.`, 'cancelled');
      return;
    }
    setPartial(null);
    if (done.run) {
      setRuns((r) => ({ ...r, live: done.run! }));
      setShown('live');
      setSelected((j) => Math.min(j, done.run!.labels.length - 1));
    }
  }, [push]);

  const runJob = useCallback(<K extends JobKind>(payload: Payload<K>, onDone: (result: ResultOf[K]) => void) => {
    if (jobRef.current) return;
    let id = 0;
    const request: Job<ResultOf[K]> = client.request<K>(payload, (progress) => setJob((j) => (j && j.id === id ? { ...j, progress } : j)));
    id = request.id;
    const next: RunJob = { id, kind: payload.type as JobKind, progress: null, cancelling: false };
    jobRef.current = next;
    setJob(next);
    request.promise.then((result) => {
      setJob(null);
      onDone(result);
    }, (error: WorkerError) => {
      setJob(null);
      push('error', error.code === 'cancelled' ? 'The run was cancelled before it started.' : `The run failed: ${error.message}`, error.code);
    });
  }, [client, push]);

  const startRun = useCallback((settings: LiveRunRequestSettings) => {
    setPartial(null);
    runJob<'start-run'>({ type: 'start-run', settings }, finishSampling);
  }, [runJob, finishSampling]);

  const resumeRun = useCallback(() => runJob<'resume-run'>({ type: 'resume-run' }, finishSampling), [runJob, finishSampling]);

  const fitPartial = useCallback(() => runJob<'fit-run'>({ type: 'fit-run' }, (view) => {
    setRuns((all) => ({ ...all, live: view }));
    setShown('live');
    setSelected((j) => Math.min(j, view.labels.length - 1));
  }), [runJob]);

  const cancelRun = useCallback(() => {
    const current = jobRef.current;
    if (!current) return;
    setJob({ ...current, cancelling: true });
    void client.cancel(current.id);
  }, [client]);

  const exportRun = useCallback((slot: RunSlot) => {
    client.request<'export-run'>({ type: 'export-run', slot }).promise.then(({ fileName, bytes }) => {
      downloadBlob(fileName, new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    }, (error: WorkerError) => push('error', `The run file could not be saved: ${error.message}`, error.code));
  }, [client, push]);

  const show = useCallback((slot: RunSlot) => {
    setShown(slot);
    setSelected((j) => Math.min(j, (runs[slot]?.labels.length ?? 1) - 1));
  }, [runs]);

  const run = shown ? runs[shown] ?? null : null;
  const reload = useCallback(() => load(preset), [load, preset]);
  return { preset, switchPreset, loading, loaded, backend, runs, run, shown, show, selected, setSelected, mode, setMode, job, partial, startRun, resumeRun, fitPartial, cancelRun, exportRun, reload };
}
