/**
 * What the worker holds: the model (as bytes, so it can be rebuilt on another backend), the
 * data set, the backend, and the runs (the precomputed demo and the latest live run).
 * Runs are plain arrays (RunData), so completed rows survive any backend change; only tensors
 * (the model and the sessions' inputs) are rebuilt.
 */
import { ablationKind, type AblationKind } from '../../coar/ablation-kinds';
import * as tf from '@tensorflow/tfjs';
import { createSession, disposeSession, type AblationSession, type Route } from '../../coar/ablate';
import { APP_CONFIG } from '../../app-config';
import { discoverComponents, type ComponentIndex } from '../../coar/components';
import { checkDatasetFitsModel, inputTensor, labelsOf, type ImageDataset } from '../../coar/dataset';
import { CoarError } from '../../coar/errors';
import { loadLayersModelFromFiles } from '../../coar/model-io';
import type { RunData } from '../../coar/runfile';
import { sessionFor } from '../../coar/run';
import { destroyGpuDevice, pairsPerBatchFor, trySetBackend, watchDeviceLoss, type GpuProbe } from '../backend/backend';
import { fallbacksAfter } from '../backend/backend-rules';
import { checkMemory } from '../backend/memory';
import type { ModelSummary } from '../../coar/model-summary';
import type { ScoreSource } from '../../coar/scores';
import type { BackendInfo, BackendName, RunSlot, WorkerEvent, WorkspaceSource } from '../protocol/protocol';
import type { RunSaver } from '../storage/run-saver';

export interface ModelBytes {
  name: string;
  json: string;
  files: Map<string, ArrayBuffer>;
}

export interface RunState {
  slot: RunSlot;
  run: RunData;
  source: string;
  /** Built for the current model; null after a backend change until needed again. */
  components: ComponentIndex | null;
  session: AblationSession | null;
  /** Base predicted class per studied example (backend-independent once computed). */
  predictedClass: Int32Array | null;
  pairsPerSecond?: number;
  route?: string;
  fitSeconds?: number;
  /** Accuracy on the data set (first datasetAccuracyLimit images) with nothing ablated. */
  datasetAccuracy?: number;
  /** Saves the run to the browser's storage as it goes (live runs), or null when it is not saved. */
  saver?: RunSaver | null;
}

export class Workspace {
  backend!: BackendInfo;
  gpu: GpuProbe | null = null;
  /** Set when the WebGPU device is lost; cleared once the model is rebuilt elsewhere. */
  deviceLost: string | null = null;
  model!: tf.LayersModel;
  /** Set once the model is built (openWorkspace). */
  summary!: ModelSummary;
  runs: Partial<Record<RunSlot, RunState>> = {};
  /** The stored run being sampled right now (it cannot be deleted meanwhile), or null. */
  samplingStoredId: string | null = null;
  /** Batch layout measured fastest on each GPU backend (timed once, on the first run). */
  private readonly routes: Partial<Record<BackendName, Route>> = {};
  private datasetInputs: tf.Tensor | null = null;

  constructor(
    readonly modelBytes: ModelBytes,
    readonly data: ImageDataset,
    readonly fingerprints: { model: string; data: string },
    public source: WorkspaceSource,
    readonly onEvent: (e: WorkerEvent) => void,
  ) {}

  /** Builds the model on the current backend. */
  async buildModel(): Promise<void> {
    this.model = await buildModel(this.modelBytes);
    checkDatasetFitsModel(this.data, this.model);
  }

  /** Hears of a lost GPU device from now on (called when this workspace becomes the worker's). */
  watchDevice(): void {
    watchDeviceLoss((message) => {
      if (this.deviceLost) return;
      this.deviceLost = message;
      this.onEvent({ type: 'warning', code: 'device-lost', message: `The WebGPU device was lost (${message}). Switching to another backend; computed results are kept.` });
    });
  }

  /** The backend's batch size, made smaller when the memory budget asks for it. */
  get pairsPerBatch(): number {
    const wanted = pairsPerBatchFor(this.backend.name, this.model, this.gpu, !(this.gpu?.usable ?? false));
    return checkMemory(this.summary, this.backend.name, this.gpu, wanted).pairsPerBatch;
  }

  /** The batch layout to sample with, or undefined to let the engine time both. */
  routeFor(): Route | undefined {
    const name = this.backend.name;
    const softwareGpu = name === 'webgpu' && !(this.gpu?.usable ?? false);
    return name === 'wasm' || name === 'cpu' || softwareGpu ? APP_CONFIG.backend.cpuRoute : this.routes[name];
  }

  rememberRoute(route: Route): void {
    this.routes[this.backend.name] = route;
  }

  componentsOf(state: RunState): ComponentIndex {
    state.components ??= discoverComponents(this.model, { layers: state.run.settings.layers });
    if (state.components.count !== state.run.componentCount) {
      throw new CoarError(`The run studies ${state.run.componentCount} components but the model has ${state.components.count} in its layers.`, 'run-mismatch');
    }
    return state.components;
  }

  sessionOf(state: RunState): AblationSession {
    state.session ??= sessionFor(this.model, this.componentsOf(state), this.data, state.run.settings);
    return state.session;
  }

  setRun(state: RunState): void {
    const old = this.runs[state.slot];
    if (old?.session) disposeSession(old.session);
    this.runs[state.slot] = state;
  }

  /**
   * A session over the first `count` data-set images (inputs cached in the workspace). The caller
   * disposes only its `masked` model and `labels`, never its inputs.
   */
  datasetSession(components: ComponentIndex, count: number, ablation: AblationKind, scores: ScoreSource): AblationSession {
    if (!this.datasetInputs || this.datasetInputs.shape[0] !== count) {
      this.datasetInputs?.dispose();
      this.datasetInputs = inputTensor(this.data, Array.from({ length: count }, (_, i) => i));
    }
    const labels = labelsOf(this.data, Array.from({ length: count }, (_, i) => i));
    if (ablationKind(ablation).needsMean) throw new CoarError(`Data-set accuracy is not measured under ${ablation} ablation (its means come from the run's own examples).`, 'internal');
    return createSession(this.model, components, this.datasetInputs, labels, ablation, 'margin', scores);
  }

  /** Drops every tensor of this workspace, for good (a preset switch replaces it). */
  dispose(): void {
    this.disposeTensors();
  }

  /** Drops every tensor (model, sessions, cached inputs) before a backend change. */
  private disposeTensors(): void {
    for (const state of Object.values(this.runs)) {
      if (state?.session) disposeSession(state.session);
      if (state) { state.session = null; state.components = null; }
    }
    this.datasetInputs?.dispose();
    this.datasetInputs = null;
    try { this.model?.dispose(); } catch { /* a lost device may refuse */ }
  }

  /** After a lost device (or a backend failing mid-job): rebuild everything on the next backend. */
  async fallBack(why: string): Promise<void> {
    const from = this.backend.name;
    this.disposeTensors();
    for (const name of fallbacksAfter(from)) {
      if (name === 'webgpu') continue;
      if (!(await trySetBackend(name))) continue;
      if (from === 'webgpu') tf.removeBackend('webgpu');
      this.backend = { name, adapter: name === 'webgl' ? 'GPU via WebGL' : 'CPU', reason: `Switched from ${from} to ${name}: ${why}.`, forced: false };
      this.deviceLost = null;
      await this.buildModel();
      this.onEvent({ type: 'backend', backend: this.backend });
      return;
    }
    throw new CoarError(`No backend is left to continue on after ${from} failed (${why}).`, 'no-backend');
  }

  /**
   * Runs `fn` with the CPU backend chosen for fitting (APP_CONFIG.backend.fitBackend) active, then
   * switches back. Only new tensors are made inside, so nothing has to move between backends.
   */
  async onFitBackend<T>(fn: () => Promise<T>): Promise<T> {
    const current = this.backend.name;
    const target = APP_CONFIG.backend.fitBackend;
    if (current === target || current === 'cpu' || !(await trySetBackend(target))) return fn();
    try {
      return await fn();
    } finally {
      await trySetBackend(current);
    }
  }

  /**
   * Runs `fn`; if the GPU fails under it (a lost device, or a failed GPU read), moves to the next
   * backend and runs it once more. Results already stored (run rows) are kept.
   */
  async recovering<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!(await this.isGpuFailure(e))) throw e;
      await this.fallBack(`the WebGPU device was lost or failed (${this.deviceLost ?? (e as Error).message})`);
      return fn();
    }
  }

  /** Whether an error (on the WebGPU backend) means the GPU itself failed. */
  async isGpuFailure(e: unknown): Promise<boolean> {
    if (this.backend.name !== 'webgpu') return false;
    if (this.deviceLost) return true;
    if (e instanceof CoarError && e.code !== 'device-lost') return false;
    if (!/device|gpu|lost|mapAsync|buffer|instance/i.test(e instanceof Error ? e.message : String(e))) return false;
    // A failed read often comes just before the device's own "lost" notice, which says why.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return true;
  }

  loseDevice(): boolean {
    return destroyGpuDevice();
  }
}

/** `onUpgrade` hears how a Keras 3 model.json was rewritten for tfjs (nothing for a Keras 2 one). */
export async function buildModel(bytes: ModelBytes, onUpgrade?: (changes: string[]) => void): Promise<tf.LayersModel> {
  return loadLayersModelFromFiles(bytes.json, async (path) => {
    const file = bytes.files.get(path);
    if (!file) throw new Error(`not fetched: ${path}`);
    return file;
  }, bytes.name, onUpgrade);
}
