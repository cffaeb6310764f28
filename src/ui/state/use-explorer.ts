/**
 * The page's state apart from ablations and edits: what is loaded (a preset, or the user's own
 * model and data), the backend, the runs (precomputed and live), the selection, and the live-run
 * job. Every load replaces what is shown only once it has succeeded.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackendInfo, BackendName, DataCheckView, DatasetView, ImagesInput, LoadResult, ModelInput, ModelLayerInfo, Progress, RunSlot, RunView, StoredRunMeta, WorkspaceSource } from '../../worker/protocol/protocol';
import type { ModelSummary } from '../../coar/model-summary';
import type { HeatmapMode } from '../charts/heatmap-data';
import { downloadBlob } from './download';
import { presetUrls, presetOf } from './preset-urls';
import type { Tone } from './use-messages';
import { useRunJob } from './use-run-job';
import { addressWithPreset, type PresetName } from './url-state';
import type { CoarClient, Job, WorkerError } from './worker-client';

export type { JobKind, RunJob } from './use-run-job';

export interface Loaded {
  /** Changes with every load, so forms built for the previous model start afresh. */
  id: number;
  modelName: string;
  modelLayers: ModelLayerInfo[];
  dataset: DatasetView;
  source: WorkspaceSource;
  summary: ModelSummary;
  /** The user's model on the user's images before any run; null for the presets. */
  dataCheck: DataCheckView | null;
}

type Push = (tone: Tone, text: string, code?: string) => void;
export type ExportKind = 'run' | 'npy' | 'csv';
let loadCount = 0;

export function useExplorer(client: CoarClient, backendOverride: BackendName | null, initialPreset: PresetName, push: Push) {
  const [preset, setPreset] = useState<PresetName>(initialPreset);
  const [loading, setLoading] = useState<Progress | null>({ stage: 'Starting the computation worker' });
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [runs, setRuns] = useState<Partial<Record<RunSlot, RunView>>>({});
  const [shown, setShown] = useState<RunSlot | null>(null);
  const [selected, setSelected] = useState(0);
  const [mode, setMode] = useState<HeatmapMode>('example');
  const latestLoad = useRef(0);
  const runsRef = useRef(runs);
  runsRef.current = runs;

  useEffect(() => client.onEvent((event) => {
    if (event.type === 'backend') setBackend(event.backend);
    if (event.type === 'warning') push('warning', event.message, event.code);
  }), [client, push]);

  const showLive = useCallback((view: RunView) => {
    setRuns((r) => ({ ...r, live: view }));
    setShown('live');
    setSelected((j) => Math.min(j, view.labels.length - 1));
  }, []);
  /** The worker's live slot holds a run with no fitted view (an unfinished saved run): show the precomputed run, if any. */
  const dropLive = useCallback(() => {
    const demo = runsRef.current.demo;
    setRuns(demo ? { demo } : {});
    setShown(demo ? 'demo' : null);
    setSelected((j) => (demo ? Math.min(j, demo.labels.length - 1) : 0));
  }, []);
  const runJob = useRunJob(client, push, showLive);
  const { clear: clearJob, jobRef, setPartial, resumeRun } = runJob;

  /** Shows a loaded workspace in place of the old one: its precomputed run, if any, else nothing. */
  const applyLoad = useCallback((result: LoadResult) => {
    setBackend(result.backend);
    setLoaded({ id: ++loadCount, modelName: result.modelName, modelLayers: result.modelLayers, dataset: result.dataset, source: result.source, summary: result.summary, dataCheck: result.dataCheck });
    setRuns(result.run ? { demo: result.run } : {});
    setShown(result.run ? 'demo' : null);
    setSelected(0);
    clearJob();
    const name = presetOf(result.source);
    if (name) setPreset(name);
    if (result.runProblem) push('warning', result.runProblem, 'demo-run');
  }, [push, clearJob]);

  /** Tracks one load; a newer load makes its answer irrelevant. Resolves with the result, or null on failure. */
  const track = useCallback(<T>(request: Job<T>, failure: (e: WorkerError) => string): Promise<T | null> => {
    latestLoad.current = request.id;
    return request.promise.then((result) => {
      if (latestLoad.current !== request.id) return null;
      setLoading(null);
      return result;
    }, (error: WorkerError) => {
      if (latestLoad.current !== request.id) return null;
      setLoading(null);
      push('error', failure(error), error.code);
      return null;
    });
  }, [push]);

  const load = useCallback((name: PresetName) => {
    setLoading({ stage: 'Starting the computation worker' });
    const request = client.request<'load-demo'>({ type: 'load-demo', preset: name, urls: presetUrls(name), backend: backendOverride, calibrateAlways: new URLSearchParams(location.search).get('calibrate') === 'always' }, setLoading);
    void track(request, (e) => `The demo could not be loaded: ${e.message}`).then((result) => result && applyLoad(result));
  }, [client, backendOverride, track, applyLoad]);

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
    clearJob();
    load(name);
  }, [load, clearJob, jobRef]);

  /** The user's model and images replace what is shown, once they loaded; on failure the old ones stay. */
  const loadCustom = useCallback(async (model: ModelInput, images: ImagesInput, onProgress: (p: Progress) => void): Promise<boolean> => {
    if (jobRef.current) return false;
    setLoading({ stage: 'Loading your model' });
    const request = client.request<'load-custom'>({ type: 'load-custom', model, images }, (p) => { setLoading(p); onProgress(p); });
    const result = await track(request, (e) => e.message);
    if (result) applyLoad(result);
    return result !== null;
  }, [client, track, applyLoad, jobRef]);

  /** Opens a stored run as the live run (loading its model and data when others are shown); `resume` samples what is missing. */
  const openStored = useCallback(async (meta: StoredRunMeta, resume: boolean): Promise<boolean> => {
    if (jobRef.current) return false;
    setLoading({ stage: `Opening the run "${meta.name}"` });
    const name = presetOf(meta.source);
    const request = client.request<'open-stored-run'>({ type: 'open-stored-run', runId: meta.id, presetUrls: name ? presetUrls(name) : null }, setLoading);
    const opened = await track(request, (e) => e.message);
    if (!opened) return false;
    if (opened.load) {
      applyLoad(opened.load);
      const loadedPreset = presetOf(opened.load.source);
      if (loadedPreset) history.replaceState(null, '', addressWithPreset(location.href, loadedPreset));
    }
    // The previous job's outcome is not this run's.
    clearJob();
    if (opened.run) showLive(opened.run);
    else if (!opened.load) dropLive();
    const unfinished = opened.meta.status !== 'complete';
    // Without a fitted view, Fit / Resume are what there is to do with it.
    setPartial(unfinished || !opened.run ? opened.progress : null);
    if (unfinished && resume) resumeRun();
    return true;
  }, [client, track, applyLoad, showLive, dropLive, clearJob, setPartial, resumeRun, jobRef]);

  /** A run file (.coar) for the loaded model and data, shown as the live run. */
  const importRun = useCallback((file: File) => {
    client.request<'import-run'>({ type: 'import-run', file }).promise.then((view) => {
      clearJob();
      showLive(view);
    }, (error: WorkerError) => push('error', error.message, error.code));
  }, [client, push, clearJob, showLive]);

  /** The file being prepared for download (its button says so), or null. */
  const [exporting, setExporting] = useState<ExportKind | null>(null);
  const exportFile = useCallback((kind: ExportKind, request: Job<{ fileName: string; bytes: Uint8Array }>, what: string) => {
    setExporting(kind);
    request.promise.then(({ fileName, bytes }) => {
      setExporting(null);
      downloadBlob(fileName, new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
    }, (error: WorkerError) => {
      setExporting(null);
      push('error', `${what} could not be saved: ${error.message}`, error.code);
    });
  }, [push]);

  const exportRun = useCallback((slot: RunSlot) => exportFile('run', client.request<'export-run'>({ type: 'export-run', slot }), 'The run file'), [client, exportFile]);
  const exportAttributions = useCallback((slot: RunSlot, format: 'npy' | 'csv') => exportFile(format, client.request<'export-attributions'>({ type: 'export-attributions', slot, format }), 'The attributions'), [client, exportFile]);

  const show = useCallback((slot: RunSlot) => {
    setShown(slot);
    setSelected((j) => Math.min(j, (runs[slot]?.labels.length ?? 1) - 1));
  }, [runs]);

  const run = shown ? runs[shown] ?? null : null;
  const reload = useCallback(() => load(preset), [load, preset]);
  return {
    preset, switchPreset, loading, loaded, backend, runs, run, shown, show, selected, setSelected, mode, setMode,
    ...runJob, loadCustom, openStored, importRun, exportRun, exportAttributions, exporting, reload,
  };
}
