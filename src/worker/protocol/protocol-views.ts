/**
 * The plain data the worker sends the page about what it holds — the backend, the loaded model and
 * data, a run — shared by every part of the protocol (protocol.ts, protocol-data.ts,
 * protocol-edit.ts), which import it and not each other. Types only, no tfjs.
 */
import type { DataCheck } from '../../coar/data-check';
import type { DatasetMeta, SubsetInfo } from '../../coar/dataset';
import type { ModelSummary } from '../../coar/model-summary';
import type { ScoreSource } from '../../coar/scores';
import type { RunSettings } from '../../coar/settings';

export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** The GPU adapter in words ("SwiftShader (software)", "NVIDIA …"), or what runs instead. */
  adapter: string;
  /** Why this backend was chosen, in plain words. */
  reason: string;
  forced: boolean;
  /** Calibration timings in (example, mask) pairs per second, when a calibration ran. */
  calibration?: Partial<Record<BackendName, number>>;
}

export interface DemoUrls {
  model: string;
  data: string;
  run: string;
}

export type RunSlot = 'demo' | 'live';

/** Where the loaded model and data came from: a bundled preset, or the user's own. */
export type WorkspaceSource =
  | { kind: 'preset'; preset: string }
  /** `shareable`: model and data both came from URLs, so a link can reload them. */
  | { kind: 'custom'; assetId: string; modelUrl: string | null; dataUrl: string | null };

export interface ModelLayerInfo {
  name: string;
  className: string;
  /** Component kind id (src/coar/component-kinds). */
  kind: string;
  count: number;
}

export interface DatasetView extends Pick<DatasetMeta, 'name' | 'count' | 'height' | 'width' | 'channels' | 'classNames'> {
  /** count × height × width × channels bytes. */
  pixels: Uint8Array;
  labels: Uint8Array;
  /** Named ranges [start, end) of the data set (dataset.json "subsets"), e.g. clean and triggered. */
  subsets: Record<string, [number, number]>;
  /** What a subset's examples carry and where (dataset.json "subsetInfo"), e.g. the backdoor trigger. */
  subsetInfo: Record<string, SubsetInfo>;
}

export interface RunView {
  slot: RunSlot;
  /** Where the run came from, in words. */
  source: string;
  createdAt: string;
  settings: RunSettings;
  layers: { name: string; className: string; kind: string; count: number; offset: number }[];
  componentCount: number;
  /** Data-set indices of the studied examples (n). */
  examples: number[];
  labels: Int32Array;
  /** Output (correct-class margin) with nothing ablated, n. */
  baseOutputs: Float32Array;
  /** Predicted class with nothing ablated, n. */
  predictedClass: Int32Array;
  /** n × N attributions, example-major; n intercepts. */
  weights: Float32Array;
  bias: Float32Array;
  lambda: number;
  /** Rows computed / total. */
  trainDone: number;
  trainTotal: number;
  validationDone: number;
  validationTotal: number;
  validation: {
    /** Validation masks used (computed rows), m. */
    count: number;
    /** m × n, mask-major: COAR-predicted and actual outputs. */
    predicted: Float32Array;
    actual: Float32Array;
    /** Pearson correlation per example (NaN where undefined), n. */
    perExample: Float32Array;
    /** Mean over examples, or null without validation rows. */
    mean: number | null;
  };
  /** Fraction of studied examples predicted correctly with nothing ablated. */
  accuracy: number;
  /** Sampling rate of this session, when it sampled (live runs). */
  pairsPerSecond?: number;
  route?: string;
  fitSeconds?: number;
  /** The run's record in the browser's storage (live runs), or null when it is not saved. */
  storedId?: string | null;
}

export interface LoadResult {
  backend: BackendInfo;
  source: WorkspaceSource;
  summary: ModelSummary;
  modelName: string;
  modelLayers: ModelLayerInfo[];
  dataset: DatasetView;
  /** The precomputed run, or why it could not be shown (user models have none). */
  run: RunView | null;
  runProblem: string | null;
  /** The user's model on the user's images before any run (null for the bundled presets, whose run shows it). */
  dataCheck: DataCheckView | null;
}

/** Accuracy, margins, label order and conversions where the user's data meets the user's model. */
export interface DataCheckView extends DataCheck {
  scores: ScoreSource;
  scoresNote: string;
  /** Each conversion made to the images, in words (resize factor, colour → grey…), once. */
  conversions: string[];
  /** The file each of the first images came from (the data-check gallery), or null (a data set in the bundled format, a reopened run). */
  fileNames: string[] | null;
}

export interface SampleDone {
  /** Fitted when sampling finished (or when fitting a cancelled run). */
  run: RunView | null;
  cancelled: boolean;
  trainDone: number;
  trainTotal: number;
  validationDone: number;
  validationTotal: number;
  pairsPerSecond: number;
  /** Mask rows this job computed (a resumed run skips the rows saved before). */
  rowsComputedNow: number;
  /** The run's record in the browser's storage, or null when it is not saved. */
  storedId: string | null;
}

