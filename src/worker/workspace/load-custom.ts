/**
 * The user's own model and images: inspect them (nothing is kept), then load them as the
 * workspace. They are stored in the browser with their first run (live-run.ts), so runs on
 * them survive a reload.
 */
import { imageInputOf, summarizeModel } from '../../coar/model-summary';
import { makeDataset } from '../../coar/dataset';
import type { StoredAsset } from '../storage/run-store';
import { readImagesInput } from './images-input';
import { checkMemory } from '../backend/memory';
import { readModelInput } from './model-input';
import { openWorkspace, datasetView, type BackendChoice } from './open-workspace';
import type { DataCheckView, ImagesInput, ImagesInspection, LoadResult, ModelInput, ModelInspection, Progress, WorkerEvent } from '../protocol/protocol';
import { APP_CONFIG } from '../../app-config';
import { discoverComponents } from '../../coar/components';
import { checkData } from '../../coar/data-check';
import { describeConversion, type ImageConversion } from '../../coar/image-import';
import { transferablesOf } from '../protocol/protocol';
import { assetIdOf } from '../storage/storage';
import { buildModel, Workspace, type ModelBytes } from './workspace';
import { pairsPerBatchFor, trySetBackend } from '../backend/backend';
import type { GpuProbe } from '../backend/backend';
import type { BackendName } from '../protocol/protocol';

type Report = (p: Progress) => void;

/**
 * `backend`: the loaded workspace's; without one (the demo failed to load) the model is built on
 * wasm, or cpu, just to be described.
 */
export async function inspectModel(input: ModelInput, backend: { name: BackendName; gpu: GpuProbe | null } | null, report: Report): Promise<ModelInspection> {
  report({ stage: input.kind === 'url' ? 'Downloading the model' : 'Reading the model files' });
  const bytes = await readModelInput(input);
  const { name, gpu } = backend ?? { name: (await trySetBackend('wasm')) ? 'wasm' as const : 'cpu' as const, gpu: null };
  if (!backend && name === 'cpu') await trySetBackend('cpu');
  report({ stage: 'Building the model' });
  let keras3Changes: string[] = [];
  const model = await buildModel(bytes, (changes) => { keras3Changes = changes; });
  try {
    const summary = summarizeModel(model, bytes.name);
    imageInputOf(model);
    return { summary, keras3Changes, memory: checkMemory(summary, name, gpu, pairsPerBatchFor(name, model, gpu, !(gpu?.usable ?? false))) };
  } finally {
    model.dispose();
  }
}

export async function inspectImages(input: ImagesInput, target: { height: number; width: number; channels: number }, report: Report, signal?: AbortSignal): Promise<{ result: ImagesInspection; transfer: ArrayBuffer[] }> {
  report({ stage: 'Reading the images' });
  const read = await readImagesInput(input, target, (done, total) => report({ stage: 'Decoding the images', done, total }), signal);
  const dataset = datasetView(read.data);
  const perClass = read.report?.perClass ?? read.data.meta.classNames.map((_, c) => read.data.labels.filter((l) => l === c).length);
  const result: ImagesInspection = {
    dataset, perClass, resized: read.report?.resized ?? 0, convertedChannels: read.report?.convertedChannels ?? 0,
    conversions: (read.report?.conversions ?? []).map(describeConversion),
    skipped: read.skipped, format: read.format,
  };
  return { result, transfer: transferablesOf(dataset.pixels, dataset.labels) };
}

/** The model on its images before any run: accuracy, margins, label order (data-check.ts), and the conversions made. */
async function checkCustomData(ws: Workspace, conversions: ImageConversion[], paths: string[] | null, report: Report): Promise<DataCheckView> {
  report({ stage: 'Checking the model on your images' });
  const check = await checkData(ws.model, discoverComponents(ws.model), ws.data, { scores: ws.summary.scores, limit: APP_CONFIG.ui.datasetAccuracyLimit });
  const fileNames = paths ? paths.slice(0, APP_CONFIG.ui.dataCheckGallery) : null;
  return { ...check, scores: ws.summary.scores, scoresNote: ws.summary.scoresNote, conversions: conversions.map(describeConversion), fileNames };
}

async function openCustom(bytes: ModelBytes, data: Parameters<typeof openWorkspace>[1], urls: { modelUrl: string | null; dataUrl: string | null }, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void, conversions: ImageConversion[] = [], paths: string[] | null = null) {
  const { ws, base, transfer } = await openWorkspace(bytes, data, { kind: 'custom', assetId: '', ...urls }, choice, report, onEvent);
  ws.source = { kind: 'custom', assetId: assetIdOf(ws), ...urls };
  let dataCheck: DataCheckView;
  try {
    dataCheck = await checkCustomData(ws, conversions, paths, report);
  } catch (e) {
    ws.dispose();
    throw e;
  }
  const result: LoadResult = { ...base, source: ws.source, run: null, runProblem: null, dataCheck };
  return { ws, result, transfer: [...transfer, dataCheck.predicted.buffer as ArrayBuffer, dataCheck.exampleMargins.buffer as ArrayBuffer] };
}

export async function loadCustom(model: ModelInput, images: ImagesInput, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void, signal?: AbortSignal): Promise<{ ws: Workspace; result: LoadResult; transfer: ArrayBuffer[] }> {
  report({ stage: model.kind === 'url' ? 'Downloading the model' : 'Reading the model files' });
  const bytes = await readModelInput(model);
  const probe = await buildModel(bytes);
  let target: ReturnType<typeof imageInputOf>;
  try {
    target = imageInputOf(probe);
  } finally {
    probe.dispose();
  }
  report({ stage: 'Reading the images' });
  const read = await readImagesInput(images, target, (done, total) => report({ stage: 'Decoding the images', done, total }), signal);
  const urls = { modelUrl: model.kind === 'url' ? model.url : null, dataUrl: images.kind === 'url' ? images.url : null };
  return openCustom(bytes, read.data, urls, choice, report, onEvent, read.report?.conversions ?? [], read.report?.paths ?? null);
}

/** Reopens a stored model and data set (a run saved on them is being reopened). */
export async function loadStoredAsset(asset: StoredAsset, choice: BackendChoice, report: Report, onEvent: (e: WorkerEvent) => void) {
  const bytes: ModelBytes = { name: asset.modelName, json: asset.modelJson, files: new Map(asset.weightFiles.map((w) => [w.path, w.bytes])) };
  const data = makeDataset(asset.dataset.meta, asset.dataset.pixels, asset.dataset.labels);
  return openCustom(bytes, data, { modelUrl: null, dataUrl: null }, choice, report, onEvent);
}
