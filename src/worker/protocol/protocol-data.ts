/**
 * The bring-your-own-model and storage part of the worker protocol (see protocol.ts for the
 * rules). Files travel as File objects (structured clone passes a handle, not the bytes), so
 * the page never reads weights or decodes images itself. Types only, no tfjs.
 */
import type { LabelSource } from '../../coar/image-import';
import type { Normalization } from '../../coar/dataset';
import type { MemoryEstimate, ModelSummary } from '../../coar/model-summary';
import type { StoredRunMeta } from '../storage/run-store';
import type { DatasetView, DemoUrls, LoadResult, RunSlot, RunView, SampleDone } from './protocol-views';

export type { StoredRunMeta } from '../storage/run-store';

/** A LayersModel: model.json and its weight shards picked together, or the URL of a model.json. */
export type ModelInput =
  | { kind: 'files'; files: File[]; /** The folder they were picked or dropped from (the model is named after it). */ folder?: string }
  | { kind: 'url'; url: string };

/**
 * Images: picked files (each with its path inside the picked folder, which the folder labels
 * read), or the URL of a data set in the bundled format (dataset.json). Picked files that hold
 * dataset.json + its two binary files are read as the bundled format too.
 */
export type ImagesInput =
  | {
    kind: 'files';
    files: { path: string; file: File }[];
    /** How labels are read; a CSV is passed as its text. */
    labels: LabelSource;
    normalize: Normalization;
    /** Class names in index order (typed in or read from a text file); null: sorted label names. */
    classNames: string[] | null;
    name: string;
  }
  | { kind: 'url'; url: string };

export interface MemoryCheck extends MemoryEstimate {
  /** What the current backend can offer, in bytes, and in words. */
  budgetBytes: number;
  device: string;
  fits: boolean;
  /** Why it does not fit (the engine's message), or null. */
  problem: string | null;
}

export interface ModelInspection {
  summary: ModelSummary;
  memory: MemoryCheck;
  /** How a Keras 3 model.json was rewritten so tfjs can build it, in words (empty for Keras 2 files). */
  keras3Changes: string[];
}

export interface ImagesInspection {
  dataset: DatasetView;
  perClass: number[];
  /** Images resized to the model's input, and images whose channel count was converted. */
  resized: number;
  convertedChannels: number;
  /** Each conversion made, in words with its factor (e.g. "24 images resized from 16×16 to 12×12 (×0.75)"), once. */
  conversions: string[];
  /** Picked files that were skipped: not PNG/JPEG, or hidden (a name starting with ".", __MACOSX). */
  skipped: string[];
  /** "the bundled format" or "N PNG/JPEG files". */
  format: string;
}

export type DataRequest =
  /** Reads a model and reports its layers, input, parameter and component counts, and memory, before anything runs. */
  | { id: number; type: 'inspect-model'; model: ModelInput }
  /** Decodes and converts images to the model's input (target) for a preview; nothing is kept. */
  | { id: number; type: 'inspect-images'; images: ImagesInput; target: { height: number; width: number; channels: number } }
  /** Replaces the workspace with the user's model and images (the backend is kept). */
  | { id: number; type: 'load-custom'; model: ModelInput; images: ImagesInput }
  /** `settle`: the page's first listing (a run a just-reloaded tab was sampling is not called busy while its lock is let go). */
  | { id: number; type: 'list-runs'; settle?: boolean }
  | { id: number; type: 'rename-run'; runId: string; name: string }
  | { id: number; type: 'delete-run'; runId: string }
  /**
   * Opens a stored run as the live run, loading its model and data first when they are not the
   * ones loaded (a preset's files from `presetUrls`, a user's from storage).
   */
  | { id: number; type: 'open-stored-run'; runId: string; presetUrls: DemoUrls | null }
  /** Shows a run file (.coar) for the loaded model and data as the live run. */
  | { id: number; type: 'import-run'; file: File }
  | { id: number; type: 'export-attributions'; slot: RunSlot; format: 'npy' | 'csv' };

export interface OpenedRun {
  /** The new workspace, when the run's model and data had to be loaded. */
  load: LoadResult | null;
  meta: StoredRunMeta;
  /** Fitted view (complete runs, or unfinished ones with enough rows to fit), else null. */
  run: RunView | null;
  /** Row counts, for the resume offer of an unfinished run. */
  progress: SampleDone;
}

export interface DataResultOf {
  'inspect-model': ModelInspection;
  'inspect-images': ImagesInspection;
  'load-custom': LoadResult;
  'list-runs': {
    runs: StoredRunMeta[]; usage: { usage: number; quota: number } | null; available: boolean; problem: string | null;
    /** Ids of runs another tab is sampling now (it holds their Web Lock): not offered for resuming, opening or deleting here. */
    busyElsewhere: string[];
    /** Whether the browser has Web Locks (without them, a run sampled in another tab cannot be told apart). */
    locksAvailable: boolean;
  };
  'rename-run': StoredRunMeta;
  'delete-run': { deleted: boolean };
  'open-stored-run': OpenedRun;
  'import-run': RunView;
  'export-attributions': { fileName: string; bytes: Uint8Array };
}
