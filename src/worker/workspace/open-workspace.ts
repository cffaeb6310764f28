/**
 * Opening a workspace (model + data on a backend) from bytes, whatever they came from: a bundled
 * preset, the user's files or URLs, or the browser's storage. The backend is chosen once per
 * page (and kept across later loads), the model is built and checked against the data, and the
 * page gets a summary of both.
 */
import { createSession, disposeSession, runMaskRows } from '../../coar/ablate';
import { discoverComponents } from '../../coar/components';
import { inputTensor, labelsOf, type ImageDataset } from '../../coar/dataset';
import { CoarError } from '../../coar/errors';
import { datasetFingerprint, modelFingerprint } from '../../coar/fingerprint';
import { MaskStream, sampleMasks } from '../../coar/masks';
import { summarizeModel } from '../../coar/model-summary';
import { APP_CONFIG } from '../../app-config';
import { chooseBackend, type GpuProbe } from '../backend/backend';
import { checkMemory } from '../backend/memory';
import type { BackendInfo, BackendName, DatasetView, LoadResult, Progress, WorkerEvent, WorkspaceSource } from '../protocol/protocol';
import { transferablesOf } from '../protocol/protocol';
import { buildModel, Workspace, type ModelBytes } from './workspace';

export interface BackendChoice {
  override: BackendName | null;
  calibrateAlways: boolean;
  /** The backend of the workspace this one replaces: kept, so a new load neither re-probes nor re-calibrates. */
  previous: { info: BackendInfo; gpu: GpuProbe | null } | null;
}

/** Pairs per second of one small masked batch on the current backend (after a warm-up pass). */
async function calibrate(bytes: ModelBytes, data: ImageDataset): Promise<number> {
  const { calibrationExamples, calibrationRows, calibrationRepeats } = APP_CONFIG.backend;
  const model = await buildModel(bytes);
  const components = discoverComponents(model);
  const idx = Array.from({ length: Math.min(calibrationExamples, data.meta.count) }, (_, i) => i);
  const session = createSession(model, components, inputTensor(data, idx), labelsOf(data, idx), 'zero-weights', 'margin', 'as-is');
  try {
    const masks = sampleMasks({ componentCount: components.count, alpha: 0.05, seed: 0, stream: MaskStream.evaluation }, calibrationRows);
    const pairs = calibrationRows * idx.length;
    await runMaskRows(session, masks, 0, calibrationRows, 'per-sample', pairs);
    const t0 = performance.now();
    for (let k = 0; k < calibrationRepeats; k++) await runMaskRows(session, masks, 0, calibrationRows, 'per-sample', pairs);
    return (pairs * calibrationRepeats) / ((performance.now() - t0) / 1000);
  } finally {
    disposeSession(session);
    model.dispose();
  }
}

/** What the page shows of a data set (copies: the worker keeps its own). */
export function datasetView(data: ImageDataset): DatasetView {
  const { meta } = data;
  return {
    name: meta.name, count: meta.count, height: meta.height, width: meta.width, channels: meta.channels,
    classNames: meta.classNames.slice(), pixels: data.pixels.slice(), labels: data.labels.slice(),
    subsets: { ...(meta.subsets ?? {}) },
    subsetInfo: structuredClone(meta.subsetInfo ?? {}),
  };
}

export type LoadBase = Omit<LoadResult, 'run' | 'runProblem' | 'dataCheck'>;

export async function openWorkspace(
  bytes: ModelBytes,
  data: ImageDataset,
  source: WorkspaceSource,
  choice: BackendChoice,
  progress: (p: Progress) => void,
  onEvent: (e: WorkerEvent) => void,
): Promise<{ ws: Workspace; base: LoadBase; transfer: ArrayBuffer[] }> {
  const { previous, override, calibrateAlways } = choice;
  progress({ stage: previous ? `Keeping the ${previous.info.name} backend` : override ? `Starting the ${override} backend` : 'Choosing a backend (WebGPU, wasm, WebGL or cpu)' });
  const { info, gpu } = previous ?? await chooseBackend({ override, calibrateAlways, measure: () => calibrate(bytes, data) });
  onEvent({ type: 'backend', backend: info });

  progress({ stage: `Building the model on ${info.name}` });
  const ws = new Workspace(bytes, data, { model: '', data: datasetFingerprint(data) }, source, onEvent);
  ws.backend = info;
  ws.gpu = gpu;
  try {
    await ws.buildModel();
    ws.summary = summarizeModel(ws.model, bytes.name);
    const memory = checkMemory(ws.summary, ws.backend.name, ws.gpu, 1);
    if (memory.problem) throw new CoarError(memory.problem, 'too-large');
    ws.fingerprints.model = await modelFingerprint(ws.model);
  } catch (e) {
    ws.dispose();
    throw e;
  }
  const modelLayers = discoverComponents(ws.model).layers.map(({ name, className, kind, count }) => ({ name, className, kind: kind.id, count }));
  const dataset = datasetView(data);
  const base: LoadBase = { backend: info, source, summary: ws.summary, modelName: bytes.name, modelLayers, dataset };
  return { ws, base, transfer: transferablesOf(dataset.pixels, dataset.labels) };
}
