/**
 * Messages between the page and the COAR worker. The page sends requests (each with an id);
 * the worker answers each with any number of `progress` messages, then exactly one `result`
 * or `error`. `event` messages (no id) report things that concern no single request, such as
 * a change of backend. Large arrays travel as transferred ArrayBuffers, never copied.
 *
 * This file holds types only (and one pure helper), so the page can import it without tfjs.
 */
import type { AttentionPattern } from '../../coar/attention-pattern';
import type { AblationKind } from '../../coar/settings';
import type { ScoreChoice } from '../../coar/scores';
import type { EditRequest, EditResultOf } from './protocol-edit';
import type { DataRequest, DataResultOf } from './protocol-data';
import type { BackendInfo, BackendName, DemoUrls, LoadResult, RunSlot, RunView, SampleDone } from './protocol-views';

export type * from './protocol-views';
export type * from './protocol-edit';
export type * from './protocol-data';

export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'wasm', 'webgl', 'cpu'];

/** What the live-run panel can set; the rest of RunSettings keeps its defaults. */
export interface LiveRunRequestSettings {
  layers: string[];
  alpha: number;
  trainMasks: number;
  valMasks: number;
  /** The first `exampleCount` examples of the data set are studied. */
  exampleCount: number;
  ablation: AblationKind;
  seed: number;
  /** What margins are taken on; 'auto' (or absent) follows the model (see scores.ts). */
  scores?: ScoreChoice;
}

export type Request =
  /** `calibrateAlways` (address: ?calibrate=always) times WebGPU against wasm even on a software adapter. */
  | { id: number; type: 'load-demo'; preset: string; urls: DemoUrls; backend: BackendName | null; calibrateAlways?: boolean }
  | { id: number; type: 'start-run'; settings: LiveRunRequestSettings }
  /** Continue sampling the live run (after a cancel): rows already done are skipped. */
  | { id: number; type: 'resume-run' }
  /** Fit the live run to the rows computed so far. */
  | { id: number; type: 'fit-run' }
  | { id: number; type: 'ablate'; slot: RunSlot; components: number[] }
  /** Accuracy on the data set (beyond the run's examples) with these components ablated; slower. */
  | { id: number; type: 'dataset-accuracy'; slot: RunSlot; components: number[] }
  | { id: number; type: 'export-run'; slot: RunSlot }
  /** Every head's attention weights in `layer` for run example `example`, with `components` ablated. */
  | { id: number; type: 'attention-pattern'; slot: RunSlot; layer: string; example: number; components: number[] }
  /** Pairs per second of the loaded model on this backend, timed on a few masks: the time estimate before a first run. */
  | { id: number; type: 'estimate-rate'; exampleCount: number }
  | EditRequest
  | DataRequest
  /** Cancels request `target` (running or queued). Answered at once, outside the queue. */
  | { id: number; type: 'cancel'; target: number }
  /** Testing aid: destroys the WebGPU device, as a driver crash would. Answered at once, outside the queue. */
  | { id: number; type: 'simulate-device-loss' };

export type RequestType = Request['type'];

/** An attention layer's weights for one run example (src/coar/attention-pattern.ts). */
export interface AttentionPatternView extends AttentionPattern {
  slot: RunSlot;
  /** Index into the run's examples. */
  example: number;
  /** The ablated components it was computed with. */
  components: number[];
}

export interface AblationView {
  slot: RunSlot;
  components: number[];
  /** Per studied example (n): actual new output, COAR-predicted output, new predicted class. */
  actual: Float32Array;
  predicted: Float32Array;
  predictedClass: Int32Array;
  accuracyBefore: number;
  accuracyAfter: number;
  seconds: number;
}

export interface DatasetAccuracyView {
  slot: RunSlot;
  components: number[];
  /** Data-set images measured (the first `count`, up to APP_CONFIG.ui.datasetAccuracyLimit). */
  count: number;
  before: number;
  after: number;
  seconds: number;
}

export interface ResultOf extends EditResultOf, DataResultOf {
  'load-demo': LoadResult;
  'start-run': SampleDone;
  'resume-run': SampleDone;
  'fit-run': RunView;
  ablate: AblationView;
  'estimate-rate': { pairsPerSecond: number };
  'attention-pattern': AttentionPatternView;
  'dataset-accuracy': DatasetAccuracyView | null;
  'export-run': { fileName: string; bytes: Uint8Array };
  cancel: { cancelled: boolean };
  'simulate-device-loss': { lost: boolean };
}

export interface Progress {
  /** What is happening, in words ("Loading the model", "Sampling ablations"). */
  stage: string;
  /** Mask rows done and total, when sampling. */
  done?: number;
  total?: number;
  /** (example, mask) pairs: done so far, and per second. */
  pairsDone?: number;
  pairsTotal?: number;
  pairsPerSecond?: number;
  etaSeconds?: number;
}

/** Error codes the page can act on, besides the engine's CoarError codes. */
export type WorkerErrorCode = 'cancelled' | 'missing-file' | 'device-lost' | 'no-backend' | 'busy' | 'internal' | string;

export type Response =
  | { id: number; kind: 'progress'; progress: Progress }
  | { id: number; kind: 'result'; type: RequestType; result: unknown }
  | { id: number; kind: 'error'; code: WorkerErrorCode; message: string }
  | { kind: 'event'; event: WorkerEvent };

export type WorkerEvent =
  | { type: 'backend'; backend: BackendInfo }
  /** Something went wrong but work goes on (e.g. a lost GPU device, recovered on another backend). */
  | { type: 'warning'; code: string; message: string }
  | { type: 'ready' };

/** Buffers to transfer with a message: each distinct ArrayBuffer once. */
export function transferablesOf(...arrays: (ArrayBufferView | null | undefined)[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) {
    if (a && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) seen.add(a.buffer);
  }
  return [...seen];
}
