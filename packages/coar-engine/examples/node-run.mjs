// A small COAR run in Node: the README's example, run as it is by test/package/engine-pack.test.ts.
// Usage: node node-run.mjs MODEL_DIR DATA_DIR   (a tfjs model.json folder; a coar-images-v1 data set)
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  DEFAULT_SETTINGS, componentNames, datasetFingerprint, discoverComponents, disposeSession, encodeRunFile, findFinalActivation,
  fitRun, loadLayersModelFromFiles, makeDataset, modelFingerprint, parseDatasetMeta, resolveScores, sampleRun,
  sessionFor, startRun,
} from 'coar-engine';

const [modelDir, dataDir] = process.argv.slice(2);
await tf.setBackend('wasm');

// The model (model.json and the weight files it names) and the data set.
const bytes = async (path) => { const b = await readFile(path); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); };
const model = await loadLayersModelFromFiles(await readFile(join(modelDir, 'model.json'), 'utf8'), (file) => bytes(join(modelDir, file)));
const meta = parseDatasetMeta(await readFile(join(dataDir, 'dataset.json'), 'utf8'));
const data = makeDataset(meta, new Uint8Array(await bytes(join(dataDir, meta.images))), new Uint8Array(await bytes(join(dataDir, meta.labels))));

// Components (conv filters, dense units, …) and the run's settings: 8 examples, 150 + 30 masks.
const components = discoverComponents(model);
const settings = {
  ...DEFAULT_SETTINGS, alpha: 0.1, trainMasks: 150, valMasks: 30, seed: 1, layers: [],
  examples: [0, 1, 2, 3, 4, 5, 6, 7], scores: resolveScores('auto', findFinalActivation(model)),
};

// Sample: every mask's margins for every example (resumable, shardable), then fit.
const session = sessionFor(model, components, data, settings);
const run = await startRun({
  session, components, settings, labels: Int32Array.from(settings.examples, (i) => data.labels[i]),
  model: { name: 'model.json', fingerprint: await modelFingerprint(model) },
  data: { name: meta.name, fingerprint: datasetFingerprint(data) },
});
await sampleRun(run, session, { onProgress: (p) => process.stderr.write(`\r${p.done}/${p.total} masks`) });
const fit = await fitRun(run);
disposeSession(session);

// Attributions: one weight per (example, component). The three strongest for example 0:
const { weights } = fit.attributions;
const names = componentNames(components);
const N = components.count;
const top = Array.from(weights.subarray(0, N), (w, i) => ({ name: names[i], w }))
  .sort((a, b) => Math.abs(b.w) - Math.abs(a.w)).slice(0, 3);
await writeFile('run.coar', encodeRunFile(run)); // the CLI's and the app's run file format
console.log(JSON.stringify({ components: N, examples: settings.examples.length, validationCorrelation: fit.validationCorrelation, top }));
