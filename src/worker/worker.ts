/**
 * The COAR worker: owns tfjs, the model, the data and all tensor work. Requests run one at a
 * time through a queue; `cancel` is answered at once. See protocol.ts for the messages.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from '../coar/errors';
import { encodeRunFile } from '../coar/runfile';
import { ablateComponents, ablateOnDataset } from './jobs/ablation';
import { attentionPatternOf } from './jobs/attention';
import { guardWorkerFetch } from './workspace/fetch-files';
import { exportEditedModel, forgetEditCache, runEdit, runEditGoal } from './jobs/edit-jobs';
import { evaluateRun } from './jobs/evaluation';
import { JobQueue } from './jobs/job-queue';
import { fitLiveRun, sampleLiveRun, startLiveRun } from './jobs/live-run';
import { loadDemo } from './workspace/load-demo';
import { estimateRate } from './jobs/rate-estimate';
import { inspectImages, inspectModel, loadCustom, loadStoredAsset } from './workspace/load-custom';
import type { BackendChoice } from './workspace/open-workspace';
import type { BackendName, LoadResult, Progress, Request, Response, ResultOf, WorkerEvent } from './protocol/protocol';
import type { RunSource } from './storage/run-store';
import { runStore } from './storage/storage';
import { deleteRun, exportAttributions, importRunFile, listRuns, openStoredRun, refuseIfBusyElsewhere, renameRun } from './storage/stored-runs';
import type { Workspace } from './workspace/workspace';

tf.enableProdMode();
// Every request from this worker, ours or a library's: this site and the hosts the user gave only.
guardWorkerFetch();

const scope = self as unknown as { postMessage(message: Response, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<Request>) => void) | null };
const queue = new JobQueue();
let ws: Workspace | null = null;
/** The page's backend wishes (?backend=, ?calibrate=), from its first load request. */
let backendWish: { override: BackendName | null; calibrateAlways: boolean } = { override: null, calibrateAlways: false };

const post = (message: Response, transfer: ArrayBuffer[] = []) => scope.postMessage(message, transfer);
const postEvent = (event: WorkerEvent) => post({ kind: 'event', event });

function postError(id: number, error: unknown): void {
  if (error instanceof CoarError) {
    post({ id, kind: 'error', code: error.code, message: error.message });
  } else {
    console.error(error);
    const message = error instanceof Error ? error.message : String(error);
    post({ id, kind: 'error', code: 'internal', message: `Something went wrong in the worker: ${message}` });
  }
}

function workspace(): Workspace {
  if (!ws) throw new CoarError('The model is not loaded yet (or failed to load): reload the page.', 'not-loaded');
  return ws;
}

/** The backend to keep for the next workspace: the current one's, unless its device was lost. */
function backendChoice(): BackendChoice {
  return { ...backendWish, previous: ws && !ws.deviceLost ? { info: ws.backend, gpu: ws.gpu } : null };
}

/** Makes `next` the workspace; the old one (and its cached edits) goes. */
function install(next: Workspace): void {
  if (next === ws) return;
  forgetEditCache();
  ws?.dispose();
  ws = next;
  ws.watchDevice();
}

/**
 * Loads a workspace and installs it only once the new files have been read and checked, so a
 * bad model or data set leaves the loaded one (and its runs) in place.
 */
async function replaceWorkspace(load: (choice: BackendChoice) => Promise<{ ws: Workspace; result: LoadResult; transfer: ArrayBuffer[] }>) {
  const loaded = await load(backendChoice());
  install(loaded.ws);
  return loaded;
}

/** The workspace a stored run needs: the loaded one when it matches, else a new one from its preset or stored asset (not installed yet). */
async function workspaceFor(source: RunSource, presetUrls: Extract<Request, { type: 'open-stored-run' }>['presetUrls'], progress: (p: Progress) => void) {
  const current = ws?.source;
  if (ws && current && (source.kind === 'preset' ? current.kind === 'preset' && current.preset === source.preset : current.kind === 'custom' && current.assetId === source.assetId)) {
    return { ws, load: null, transfer: [] };
  }
  if (source.kind === 'preset') {
    if (!presetUrls) throw new CoarError(`The run belongs to the "${source.preset}" preset, which this page cannot find.`, 'run-not-found');
    const loaded = await loadDemo(source.preset, presetUrls, backendChoice(), progress, postEvent);
    return { ws: loaded.ws, load: loaded.result, transfer: loaded.transfer };
  }
  const asset = await (await runStore()).getAsset(source.assetId);
  if (!asset) throw new CoarError('The model and data this run was made on are no longer stored in this browser: load them again, then import the run file.', 'run-not-found');
  const loaded = await loadStoredAsset(asset, backendChoice(), progress, postEvent);
  return { ws: loaded.ws, load: loaded.result, transfer: loaded.transfer };
}

/** Storage requests use no tensors: answered at once, even while a run samples. */
async function handleStorage(req: Extract<Request, { type: 'list-runs' | 'rename-run' | 'delete-run' }>): Promise<unknown> {
  switch (req.type) {
    case 'list-runs': return listRuns(ws?.samplingStoredId ?? null, Boolean(req.settle));
    case 'rename-run': return renameRun(req.runId, req.name);
    case 'delete-run':
      if (ws?.samplingStoredId === req.runId) throw new CoarError('This run is being computed right now: cancel it first, then delete it.', 'run-busy');
      await refuseIfBusyElsewhere(req.runId, ws?.samplingStoredId ?? null);
      return deleteRun(req.runId);
  }
}

/** A request's answer and the buffers it transfers. */
type Answer<T extends Request['type']> = { result: ResultOf[T]; transfer?: ArrayBuffer[] };

async function handle(req: Request, signal: AbortSignal, progress: (p: Progress) => void): Promise<Answer<Request['type']>> {
  // A device lost while idle: move to the next backend before doing anything else.
  if (ws?.deviceLost && req.type !== 'load-demo') await ws.fallBack(`the WebGPU device was lost (${ws.deviceLost})`);
  switch (req.type) {
    case 'load-demo': {
      if (!ws) backendWish = { override: req.backend, calibrateAlways: Boolean(req.calibrateAlways) };
      const loaded = await replaceWorkspace((choice) => loadDemo(req.preset, req.urls, choice, progress, postEvent));
      return { result: loaded.result, transfer: loaded.transfer };
    }
    case 'inspect-model':
      return { result: await inspectModel(req.model, ws ? { name: ws.backend.name, gpu: ws.gpu } : null, progress) };
    case 'inspect-images':
      return inspectImages(req.images, req.target, progress, signal);
    case 'load-custom': {
      const loaded = await replaceWorkspace((choice) => loadCustom(req.model, req.images, choice, progress, postEvent, signal));
      return { result: loaded.result, transfer: loaded.transfer };
    }
    case 'open-stored-run': {
      const opened = await openStoredRun(req.runId, (source) => workspaceFor(source, req.presetUrls, progress), progress);
      install(opened.ws);
      return { result: opened.result, transfer: opened.transfer };
    }
    case 'import-run': {
      const { view, transfer } = await importRunFile(workspace(), req.file, progress);
      return { result: view, transfer };
    }
    case 'export-attributions': {
      const result = exportAttributions(workspace(), req.slot, req.format);
      return { result, transfer: [result.bytes.buffer as ArrayBuffer] };
    }
    case 'start-run': {
      const { done, transfer } = await startLiveRun(workspace(), req.settings, signal, progress);
      return { result: done, transfer };
    }
    case 'resume-run': {
      const { done, transfer } = await sampleLiveRun(workspace(), signal, progress);
      return { result: done, transfer };
    }
    case 'fit-run': {
      const { view, transfer } = await fitLiveRun(workspace(), progress);
      return { result: view, transfer };
    }
    case 'ablate': {
      const w = workspace();
      const state = w.runs[req.slot];
      if (!state) throw new CoarError(`There is no ${req.slot} run to ablate.`, 'no-run');
      const { view, transfer } = await w.recovering(() => ablateComponents(w, state, req.components, signal));
      return { result: view, transfer };
    }
    case 'dataset-accuracy': {
      const w = workspace();
      const state = w.runs[req.slot];
      if (!state) throw new CoarError(`There is no ${req.slot} run to ablate.`, 'no-run');
      return { result: await w.recovering(() => ablateOnDataset(w, state, req.components, signal)) };
    }
    case 'attention-pattern': {
      const w = workspace();
      const state = w.runs[req.slot];
      if (!state) throw new CoarError(`There is no ${req.slot} run.`, 'no-run');
      const { view, transfer } = await w.recovering(() => attentionPatternOf(w, state, req.layer, req.example, req.components));
      return { result: view, transfer };
    }
    case 'estimate-rate': {
      const w = workspace();
      return { result: { pairsPerSecond: await w.recovering(() => estimateRate(w, req.exampleCount)) } };
    }
    case 'export-run': {
      const state = workspace().runs[req.slot];
      if (!state) throw new CoarError(`There is no ${req.slot} run to save.`, 'no-run');
      const bytes = encodeRunFile(state.run);
      return { result: { fileName: `${workspace().modelBytes.name}-${req.slot}.coar`, bytes }, transfer: [bytes.buffer as ArrayBuffer] };
    }
    case 'edit':
      return { result: await runEdit(workspace(), req.spec, req.k, signal, progress) };
    case 'edit-goal':
      return { result: await runEditGoal(workspace(), req.spec, req.goal, req.maxK, signal, progress) };
    case 'export-edited-model': {
      const { result, transfer } = await exportEditedModel(workspace(), req.slot, req.components);
      return { result, transfer };
    }
    case 'evaluate': {
      const w = workspace();
      const state = w.runs[req.slot];
      if (!state) throw new CoarError(`There is no ${req.slot} run to evaluate.`, 'no-run');
      return { result: await w.recovering(() => evaluateRun(w, state, req.options, signal, progress)) };
    }
    case 'simulate-device-loss':
    case 'cancel':
    case 'list-runs':
    case 'rename-run':
    case 'delete-run':
      throw new CoarError(`${req.type} is not queued`, 'internal');
  }
}

scope.onmessage = (event: MessageEvent<Request>) => {
  const req = event.data;
  if (!req || typeof req.id !== 'number' || typeof req.type !== 'string') return;
  // Answered at once, even while a job runs.
  if (req.type === 'cancel') {
    const outcome = queue.cancel(req.target);
    post({ id: req.id, kind: 'result', type: 'cancel', result: { cancelled: outcome !== 'unknown' } satisfies ResultOf['cancel'] });
    return;
  }
  if (req.type === 'simulate-device-loss') {
    post({ id: req.id, kind: 'result', type: req.type, result: { lost: ws?.loseDevice() ?? false } satisfies ResultOf['simulate-device-loss'] });
    return;
  }
  if (req.type === 'list-runs' || req.type === 'rename-run' || req.type === 'delete-run') {
    handleStorage(req).then((result) => post({ id: req.id, kind: 'result', type: req.type, result }), (error) => postError(req.id, error));
    return;
  }
  queue.enqueue(req.id, async (signal) => {
    try {
      const answer = await handle(req, signal, (progress) => post({ id: req.id, kind: 'progress', progress }));
      post({ id: req.id, kind: 'result', type: req.type, result: answer.result }, answer.transfer);
    } catch (error) {
      postError(req.id, error);
    }
  }, () => post({ id: req.id, kind: 'error', code: 'cancelled', message: 'Cancelled before it started.' }));
};

postEvent({ type: 'ready' });
