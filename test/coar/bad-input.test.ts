import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadLayersModelFromFiles, modelToFiles } from '../../src/coar/model-io';
import { checkDatasetFitsModel, makeDataset, parseDatasetMeta, type DatasetMeta } from '../../src/coar/dataset';
import { discoverComponents } from '../../src/coar/components';
import { checkSettings, sessionFor } from '../../src/coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/coar/settings';
import { sampleMasks, MaskStream } from '../../src/coar/masks';

function tinyModel(inputShape = [4, 4, 1], classes = 3): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape, filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
    ],
  });
}

const meta = (over: Partial<DatasetMeta> = {}): DatasetMeta => ({
  format: 'coar-images-v1', name: 'tiny', count: 2, height: 4, width: 4, channels: 1,
  classNames: ['a', 'b', 'c'], normalize: { kind: '0-1' }, images: 'images.u8', labels: 'labels.u8', ...over,
});

async function files(model: tf.LayersModel) {
  const saved = await modelToFiles(model);
  return { json: saved.modelJson, weights: saved.weights };
}

describe('bad model files get clear messages', () => {
  it('malformed model.json', async () => {
    await expect(loadLayersModelFromFiles('{"modelTopology": ', async () => new ArrayBuffer(0))).rejects.toThrow(/model.json is not valid JSON/);
    await expect(loadLayersModelFromFiles('{"weightsManifest": []}', async () => new ArrayBuffer(0))).rejects.toThrow(/has no "modelTopology"/);
    await expect(loadLayersModelFromFiles('{"modelTopology": {}}', async () => new ArrayBuffer(0))).rejects.toThrow(/has no "weightsManifest"/);
  });

  it('weights shorter than the manifest', async () => {
    const { json, weights } = await files(tinyModel());
    await expect(loadLayersModelFromFiles(json, async () => weights.slice(0, weights.byteLength - 8)))
      .rejects.toThrow(new RegExp(`hold ${weights.byteLength - 8} bytes but model.json describes ${weights.byteLength} bytes: the weights are truncated`));
  });

  it('a missing weight file', async () => {
    const { json } = await files(tinyModel());
    await expect(loadLayersModelFromFiles(json, async (p) => { throw new Error(`no such file ${p}`); }))
      .rejects.toThrow(/Weight file "weights.bin" listed in model.json could not be read/);
  });

  it('an unknown (custom) layer type', async () => {
    const { json, weights } = await files(tinyModel());
    const edited = json.replace('"class_name":"Flatten"', '"class_name":"MyCustomFlatten"');
    await expect(loadLayersModelFromFiles(edited, async () => weights)).rejects.toThrow(/uses the layer type "MyCustomFlatten", which tfjs cannot build/);
  });

  it('the original loads and predicts the same', async () => {
    const model = tinyModel();
    const { json, weights } = await files(model);
    const loaded = await loadLayersModelFromFiles(json, async () => weights);
    const x = tf.ones([1, 4, 4, 1]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });
});

describe('bad data gets clear messages', () => {
  const pixels = new Uint8Array(32);
  it('labels out of range', () => {
    expect(() => makeDataset(meta(), pixels, Uint8Array.from([0, 7]))).toThrow('label 7 of example 1 is out of range (there are 3 classes, 0–2)');
  });
  it('image bytes not matching the header', () => {
    expect(() => makeDataset(meta(), new Uint8Array(31), Uint8Array.from([0, 1]))).toThrow(/the images file holds 31 bytes, expected 2 × 4×4×1 = 32/);
  });
  it('zero examples', () => {
    expect(() => makeDataset(meta({ count: 0 }), new Uint8Array(0), new Uint8Array(0))).toThrow(/has zero examples/);
  });
  it('a malformed dataset.json', () => {
    expect(() => parseDatasetMeta('{"format": "other"}')).toThrow(/expected format "coar-images-v1"/);
    expect(() => parseDatasetMeta('not json')).toThrow(/dataset.json is not valid JSON/);
  });
  it('data shape not matching the model input', () => {
    const data = makeDataset(meta(), pixels, Uint8Array.from([0, 1]));
    expect(() => checkDatasetFitsModel(data, tinyModel([5, 5, 1]))).toThrow('The images are 4×4×1 but the model expects input 5×5×1.');
    expect(() => checkDatasetFitsModel(data, tinyModel([4, 4, 1], 4))).toThrow('The model outputs 4 classes but the data set names 3.');
  });
});

describe('bad run settings get clear messages', () => {
  const data = makeDataset(meta(), new Uint8Array(32), Uint8Array.from([0, 1]));
  const settings = (over: Partial<RunSettings>): RunSettings => ({ ...DEFAULT_SETTINGS, scores: 'as-is', layers: [], examples: [0, 1], ...over });
  it('alpha outside (0, 1)', () => {
    for (const alpha of [0, 1, 1.2, -0.05]) expect(() => checkSettings(settings({ alpha }), data)).toThrow(`alpha must be a fraction strictly between 0 and 1 (got ${alpha})`);
    expect(() => sampleMasks({ componentCount: 3, alpha: 2, seed: 0, stream: MaskStream.train }, 1)).toThrow(/alpha must be a fraction/);
  });
  it('zero examples and examples outside the data', () => {
    expect(() => checkSettings(settings({ examples: [] }), data)).toThrow('Choose at least one example to study (zero examples given).');
    expect(() => checkSettings(settings({ examples: [0, 5] }), data)).toThrow('Example index 5 is outside the data set (0–1).');
  });
  it('a session refuses data that does not fit the model', () => {
    const model = tinyModel([5, 5, 1]);
    expect(() => sessionFor(model, discoverComponents(model), data, settings({}))).toThrow(/The images are 4×4×1/);
  });
});

describe('data-set subsets', () => {
  it('must lie inside the data set', () => {
    const m = meta({ subsets: { triggered: [1, 5] } });
    expect(() => makeDataset(m, new Uint8Array(32), Uint8Array.from([0, 1]))).toThrow('Data set "tiny": subset "triggered" must be [start, end) within 0–2 (got [1,5]).');
  });
});
