/**
 * The user's own model and images: inspect them (nothing is kept), then load them as the
 * workspace. The model and data are also stored in the browser, so runs on them survive a reload.
 */
import { CoarError } from '../coar/errors';
import { summarizeModel } from '../coar/model-summary';
import { makeDataset } from '../coar/dataset';
import type { StoredAsset } from './run-store';
import { readImagesInput } from './images-input';
import { checkMemory } from './memory';
import { readModelInput } from './model-input';
import { openWorkspace, datasetView, type BackendChoice } from './open-workspace';
import type { ImagesInput, ImagesInspection, LoadResult, ModelInput, ModelInspection, Progress, WorkerEvent } from './protocol';
import { transferablesOf } from './protocol';
import { assetIdOf, storeAsset } from './storage';
import { buildModel, Workspace, type ModelBytes } from './workspace';
import { pairsPerBatchFor } from './backend';
import type { GpuProbe } from './backend';
import type { BackendName } from './protocol';

type Report = (p: Progress) => void;

/** The model's input as [height, width, channels], or a message saying why it is not an image model. */
function imageInput(shape: (number | null)[]): { height: number; width: number; channels: number } {
  const [, height, width, channels] = shape;
  if (shape.length !== 4 || !height || !width || !channels) {
    throw new CoarError(`The model's input is ${JSON.stringify(shape)}; COAR Explorer needs an image input [batch, height, width, channels] with fixed sizes.`, 'unsupported-input');
  }
  return { height, width, channels };
}

export async function inspectModel(input: ModelInput, backend: BackendName, gpu: GpuProbe | null, report: Report): Promise<ModelInspection> {
  report({ stage: input.kind === 'url' ? 'Downloading the model' : 'Reading the model files' });
  const bytes = await readModelInput(input);
  report({ stage: 'Building the model' });
  const model = await buildModel(bytes);
  try {
    const summary = summarizeModel(model, bytes.name);
    imageInput(summary.inputShape);
    return { summary, memory: checkMemory(summary, backend, gpu, pairsPerBatchFor(backend, model, gpu, !(gpu?.usable ?? false))) };
  } finally {
    model.dispose();
  }
}

export async function inspectImages(input: ImagesInput, target: { height: number; width: number; channels: number }, report: Report): Promise<{ result: ImagesInspection; transfer: ArrayBuffer[] }> {
  report({ stage: 'Reading the images' });
  const read = await readImagesInput(input, target, (done, total) => report({ stage: 'Decoding the images', done, total }));
  const dataset = datasetView(read.data);
  const perClass = read.report?.perClass ?? read.data.meta.classNames.map((_, c) => read.data.labels.filter((l) => l === c).length);
  const result: ImagesInspection = {
    dataset, perClass, resized: read.report?.resized ?? 0, convertedChannels: read.report?.convertedChannels ?? 0,
    skipped: read.skipped, format: read.format,
  };
  return { result, transfer: transferablesOf(dataset.pixels, dataset.labels) };
}

async function openCustom(bytes: ModelBytes, data: Parameters<typeof openWorkspace>[1], urls: { modelUrl: string | null; dataUrl: string | null }, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void) {
  const { ws, base, transfer } = await openWorkspace(bytes, data, { kind: 'custom', assetId: '', ...urls }, choice, report, onEvent);
  ws.source = { kind: 'custom', assetId: assetIdOf(ws), ...urls };
  const result: LoadResult = { ...base, source: ws.source, run: null, runProblem: null };
  return { ws, result, transfer };
}

export async function loadCustom(model: ModelInput, images: ImagesInput, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void): Promise<{ ws: Workspace; result: LoadResult; transfer: ArrayBuffer[] }> {
  report({ stage: model.kind === 'url' ? 'Downloading the model' : 'Reading the model files' });
  const bytes = await readModelInput(model);
  const probe = await buildModel(bytes);
  let target: ReturnType<typeof imageInput>;
  try {
    target = imageInput(probe.inputs[0].shape);
  } finally {
    probe.dispose();
  }
  report({ stage: 'Reading the images' });
  const read = await readImagesInput(images, target, (done, total) => report({ stage: 'Decoding the images', done, total }));
  const urls = { modelUrl: model.kind === 'url' ? model.url : null, dataUrl: images.kind === 'url' ? images.url : null };
  const opened = await openCustom(bytes, read.data, urls, choice, report, onEvent);
  report({ stage: 'Saving your model and data in the browser' });
  await storeAsset(opened.ws, onEvent);
  return opened;
}

/** Reopens a stored model and data set (a run saved on them is being reopened). */
export async function loadStoredAsset(asset: StoredAsset, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void) {
  const bytes: ModelBytes = { name: asset.modelName, json: asset.modelJson, files: new Map(asset.weightFiles.map((w) => [w.path, w.bytes])) };
  const data = makeDataset(asset.dataset.meta, asset.dataset.pixels, asset.dataset.labels);
  return openCustom(bytes, data, { modelUrl: null, dataUrl: null }, choice, report, onEvent);
}
