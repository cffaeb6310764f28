/**
 * The COAR worker: owns tfjs, the model, the data and all tensor work. Requests run one at a
 * time through a queue; `cancel` is answered at once. See protocol.ts for the messages.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from '../coar/errors';
import { encodeRunFile } from '../coar/runfile';
import { ablateComponents, ablateOnDataset } from './ablation';
import { exportEditedModel, forgetEditCache, runEdit, runEditGoal } from './edit-jobs';
import { evaluateRun } from './evaluation';
import { JobQueue } from './job-queue';
import { fitLiveRun, sampleLiveRun, startLiveRun } from './live-run';
import { loadDemo } from './load-demo';
import type { Progress, Request, Response, ResultOf, WorkerEvent } from './protocol';
import type { Workspace } from './workspace';

tf.enableProdMode();

const scope = self as unknown as { postMessage(message: Response, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<Request>) => void) | null };
const queue = new JobQueue();
let ws: Workspace | null = null;

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

/** A request's answer and the buffers it transfers. */
type Answer<T extends Request['type']> = { result: ResultOf[T]; transfer?: ArrayBuffer[] };

async function handle(req: Request, signal: AbortSignal, progress: (p: Progress) => void): Promise<Answer<Request['type']>> {
  // A device lost while idle: move to the next backend before doing anything else.
  if (ws?.deviceLost && req.type !== 'load-demo') await ws.fallBack(`the WebGPU device was lost (${ws.deviceLost})`);
  switch (req.type) {
    case 'load-demo': {
      // A preset switch: the old workspace goes (its backend stays).
      const previous = ws && !ws.deviceLost ? { info: ws.backend, gpu: ws.gpu } : null;
      forgetEditCache();
      ws?.dispose();
      ws = null;
      const loaded = await loadDemo(req.urls, req.backend, Boolean(req.calibrateAlways), progress, postEvent, previous);
      ws = loaded.ws;
      return { result: loaded.result, transfer: loaded.transfer };
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
