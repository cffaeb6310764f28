/**
 * Loading the bundled demo: model and data (required), then the precomputed run (optional: when
 * it is missing or does not match, the page says so and offers a live run).
 */
import { createSession, disposeSession, runMaskRows } from '../coar/ablate';
import { discoverComponents } from '../coar/components';
import { inputTensor, labelsOf, makeDataset, parseDatasetMeta, type ImageDataset } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { datasetFingerprint, modelFingerprint } from '../coar/fingerprint';
import { MaskStream, sampleMasks } from '../coar/masks';
import { parseModelJson } from '../coar/model-io';
import { fitRun } from '../coar/run';
import { decodeRunFile, runProgress } from '../coar/runfile';
import { checkRunMatches } from '../coar/run-merge';
import { APP_CONFIG } from '../app-config';
import { chooseBackend, type GpuProbe } from './backend';
import { fetchBytes, fetchText } from './fetch-files';
import type { BackendInfo, BackendName, DemoUrls, LoadDemoResult, Progress, WorkerEvent } from './protocol';
import { transferablesOf } from './protocol';
import { buildRunView } from './run-view';
import { buildModel, Workspace, type ModelBytes, type RunState } from './workspace';

async function fetchModel(url: string): Promise<ModelBytes> {
  const json = await fetchText(url, 'the model (model.json)');
  const parsed = parseModelJson(json, url);
  const files = new Map<string, ArrayBuffer>();
  for (const group of parsed.weightsManifest) {
    for (const path of group.paths) files.set(path, await fetchBytes(new URL(path, url).href, `the model's weight file "${path}"`));
  }
  const name = new URL('.', url).pathname.split('/').filter(Boolean).pop() ?? 'model';
  return { name, json, files };
}

async function fetchDataset(url: string): Promise<ImageDataset> {
  const meta = parseDatasetMeta(await fetchText(url, 'the data set description (dataset.json)'), url);
  const [pixels, labels] = await Promise.all([
    fetchBytes(new URL(meta.images, url).href, `the data set's images (${meta.images})`),
    fetchBytes(new URL(meta.labels, url).href, `the data set's labels (${meta.labels})`),
  ]);
  return makeDataset(meta, new Uint8Array(pixels), new Uint8Array(labels));
}

/** Pairs per second of one small masked batch on the current backend (after a warm-up pass). */
async function calibrate(bytes: ModelBytes, data: ImageDataset): Promise<number> {
  const { calibrationExamples, calibrationRows, calibrationRepeats } = APP_CONFIG.backend;
  const model = await buildModel(bytes);
  const components = discoverComponents(model);
  const idx = Array.from({ length: Math.min(calibrationExamples, data.meta.count) }, (_, i) => i);
  const session = createSession(model, components, inputTensor(data, idx), labelsOf(data, idx), 'zero-weights', 'margin');
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

/**
 * Loads a preset. `previous` is the backend of the workspace this one replaces (a preset switch):
 * it is kept, so switching presets neither re-probes nor re-calibrates.
 */
export async function loadDemo(
  urls: DemoUrls,
  override: BackendName | null,
  calibrateAlways: boolean,
  progress: (p: Progress) => void,
  onEvent: (e: WorkerEvent) => void,
  previous: { info: BackendInfo; gpu: GpuProbe | null } | null = null,
): Promise<{ ws: Workspace; result: LoadDemoResult; transfer: ArrayBuffer[] }> {
  progress({ stage: 'Downloading the model and the data set' });
  const [bytes, data] = await Promise.all([fetchModel(urls.model), fetchDataset(urls.data)]);

  progress({ stage: previous ? `Keeping the ${previous.info.name} backend` : override ? `Starting the ${override} backend` : 'Choosing a backend (WebGPU, wasm, WebGL or cpu)' });
  const { info, gpu } = previous ?? await chooseBackend({ override, calibrateAlways, measure: () => calibrate(bytes, data) });
  onEvent({ type: 'backend', backend: info });

  progress({ stage: `Building the model on ${info.name}` });
  const ws = new Workspace(bytes, data, { model: '', data: datasetFingerprint(data) }, onEvent);
  ws.backend = info;
  ws.gpu = gpu;
  await ws.buildModel();
  ws.fingerprints.model = await modelFingerprint(ws.model);
  const modelLayers = discoverComponents(ws.model).layers.map(({ name, className, count }) => ({ name, className, count }));

  progress({ stage: 'Reading the precomputed run' });
  let runProblem: string | null = null;
  let runView: LoadDemoResult['run'] = null;
  let runTransfer: ArrayBuffer[] = [];
  try {
    const run = decodeRunFile(new Uint8Array(await fetchBytes(urls.run, 'the precomputed run file')));
    const components = discoverComponents(ws.model, { layers: run.settings.layers });
    checkRunMatches(run, { modelFingerprint: ws.fingerprints.model, dataFingerprint: ws.fingerprints.data, componentCount: components.count, modelName: bytes.name, dataName: data.meta.name });
    const p = runProgress(run);
    const masks = p.trainDone === p.trainTotal ? `${p.trainTotal.toLocaleString('en-US')} masks` : `unfinished: ${p.trainDone.toLocaleString('en-US')} of ${p.trainTotal.toLocaleString('en-US')} masks`;
    const state: RunState = { slot: 'demo', run, source: `precomputed by the command-line tool (${masks}, ${p.validationDone.toLocaleString('en-US')} held out)`, components, session: null, predictedClass: null };
    ws.setRun(state);
    if (!run.fit) {
      if (p.trainDone === 0) throw new CoarError('the run file holds no computed masks yet.', 'not-fitted');
      progress({ stage: 'Fitting the precomputed run' });
      await ws.onFitBackend(() => fitRun(run));
    }
    const built = await ws.recovering(() => buildRunView(ws, state));
    runView = built.view;
    runTransfer = built.transfer;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    runProblem = `The precomputed attributions could not be shown: ${message} You can still compute them live with "Start run" below.`;
    if (!(e instanceof CoarError)) console.error(e);
  }

  const dataset = {
    name: data.meta.name, count: data.meta.count, height: data.meta.height, width: data.meta.width, channels: data.meta.channels,
    classNames: data.meta.classNames.slice(), pixels: data.pixels.slice(), labels: data.labels.slice(),
    subsets: { ...(data.meta.subsets ?? {}) },
  };
  const result: LoadDemoResult = { backend: info, modelName: bytes.name, modelLayers, dataset, run: runView, runProblem };
  return { ws, result, transfer: [...runTransfer, ...transferablesOf(dataset.pixels, dataset.labels)] };
}
