import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { upgradeKerasTopology, upgradeKerasWeightNames } from '../../src/coar/keras3-topology';
import { concatBuffers, loadLayersModelFromFiles } from '../../src/coar/model-io';
import { CoarError } from '../../src/coar/errors';

/** Keras 3 model topologies in the form tensorflowjs_converter writes them from TensorFlow ≥ 2.16. */
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/keras3/${name}`, import.meta.url), 'utf8'));

// The same architectures as the fixtures, with the same layer names, so tfjs weights fit both.
function sequentialConvNet(): tf.LayersModel {
  return tf.sequential({
    name: 'sequential',
    layers: [
      tf.layers.conv2d({ name: 'conv2d', inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ name: 'max_pooling2d', poolSize: 2 }),
      tf.layers.conv2d({ name: 'conv2d_1', filters: 6, kernelSize: 3, padding: 'valid' }),
      tf.layers.leakyReLU({ name: 'leaky_re_lu', alpha: 0.1 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dropout({ name: 'dropout', rate: 0.25 }),
      tf.layers.dense({ name: 'dense', units: 5, activation: 'softmax' }),
    ],
  });
}

function functionalResidual(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'input_layer' });
  const a = tf.layers.conv2d({ name: 'conv_a', filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(a) as tf.SymbolicTensor;
  const act = tf.layers.activation({ name: 'act', activation: 'relu' }).apply(bn) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ name: 'conv_b', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(act) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'add' }).apply([act, b]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'dense', units: 3, activation: 'softmax' }).apply(gap) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'functional' });
}

/** Random weights (positive variances) so that batch norm statistics and biases matter. */
function randomize(model: tf.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((w, i) => {
    const r = tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed + i);
    return w.name.includes('moving_variance') ? tf.add(tf.abs(r), 0.5) : r;
  }));
}

async function saved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return artifacts!;
}

/** model.json as the converter writes it for a Keras 3 model: its topology, and weight names under the model's name. */
function keras3ModelJson(topology: unknown, artifacts: tf.io.ModelArtifacts, prefix: string): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'keras v3.5.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: topology,
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs!.map((w) => ({ ...w, name: `${prefix}/${w.name}` })) }],
  });
}

const weightsOf = (a: tf.io.ModelArtifacts) => (Array.isArray(a.weightData) ? concatBuffers(a.weightData) : a.weightData as ArrayBuffer);

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

async function expectSamePredictions(original: tf.LayersModel, loaded: tf.LayersModel, inputShape: number[]) {
  const x = tf.randomNormal([4, ...inputShape], 0, 1, 'float32', 7);
  const want = original.predict(x) as tf.Tensor;
  const got = loaded.predict(x) as tf.Tensor;
  expect(got.shape).toEqual(want.shape);
  expect(maxDiff(got, want)).toBeLessThan(1e-6);
}

function refusal(f: () => unknown): CoarError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoarError);
    return e as CoarError;
  }
  throw new Error('expected a CoarError');
}

describe('Keras 3 topologies are rewritten for tfjs', () => {
  it('the Keras 3 topology fails in tfjs as it is (the problem being solved)', async () => {
    const model = sequentialConvNet();
    const artifacts = await saved(model);
    await expect(tf.loadLayersModel(tf.io.fromMemory({ modelTopology: fixture('sequential-convnet.json'), weightSpecs: artifacts.weightSpecs, weightData: artifacts.weightData })))
      .rejects.toThrow();
  });

  it('a Sequential conv net loads and predicts as the original', async () => {
    const model = sequentialConvNet();
    randomize(model, 1);
    const artifacts = await saved(model);
    const heard: string[][] = [];
    const loaded = await loadLayersModelFromFiles(keras3ModelJson(fixture('sequential-convnet.json'), artifacts, 'sequential'),
      async () => weightsOf(artifacts), 'model.json', (c) => heard.push(c));
    await expectSamePredictions(model, loaded, [8, 8, 3]);
    expect(heard).toHaveLength(1);
    const said = heard[0].join('\n');
    expect(said).toMatch(/batch_shape to batch_input_shape \("input_layer"\)/);
    expect(said).toMatch(/DTypePolicy/);
    expect(said).toMatch(/module\/registered_name/);
    expect(said).toMatch(/negative_slope to alpha \("leaky_re_lu"\)/);
    expect(said).toMatch(/L2 regularizers as L1L2 \("dense"\)/);
    expect(said).toMatch(/prefix "sequential\/" from weight names/);
  });

  it('a functional model with a residual Add, BatchNormalization and pooling loads and predicts as the original', async () => {
    const model = functionalResidual();
    randomize(model, 11);
    const artifacts = await saved(model);
    const heard: string[] = [];
    const loaded = await loadLayersModelFromFiles(keras3ModelJson(fixture('functional-residual.json'), artifacts, 'functional'),
      async () => weightsOf(artifacts), 'model.json', (c) => heard.push(...c));
    await expectSamePredictions(model, loaded, [8, 8, 3]);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    const said = heard.join('\n');
    expect(said).toMatch(/inbound_nodes to the Keras 2 form/);
    expect(said).toMatch(/wrapped the single input in a list/);
    expect(said).toMatch(/batch_shape/);
  });

  it('inbound nodes become Keras 2 lists, list arguments and kwargs included', () => {
    const { topology, changes } = upgradeKerasTopology(fixture('functional-residual.json'));
    const layers = (topology as any).model_config.config.layers as any[];
    const byName = Object.fromEntries(layers.map((l) => [l.name, l]));
    expect(byName.bn.inbound_nodes).toEqual([[['conv_a', 0, 0, { training: false }]]]);
    expect(byName.add.inbound_nodes).toEqual([[['act', 0, 0, {}], ['conv_b', 0, 0, {}]]]);
    expect(byName.input_layer.inbound_nodes).toEqual([]);
    expect(byName.input_layer.config.batch_input_shape).toEqual([null, 8, 8, 3]);
    expect(byName.conv_a.config.dtype).toBe('float32');
    expect(byName.conv_a.config.kernel_initializer).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(byName.conv_a.module).toBeUndefined();
    expect((topology as any).model_config.config.input_layers).toEqual([['input_layer', 0, 0]]);
    expect(changes.length).toBeGreaterThan(0);
  });

  it('the input is not modified', () => {
    const original = fixture('functional-residual.json');
    const before = JSON.stringify(original);
    upgradeKerasTopology(original);
    expect(JSON.stringify(original)).toBe(before);
  });

  it('a Keras 2 topology (as tfjs writes it) is left as it is', async () => {
    for (const model of [sequentialConvNet(), functionalResidual()]) {
      const artifacts = await saved(model);
      const copy = structuredClone(artifacts.modelTopology);
      const { topology, changes } = upgradeKerasTopology(artifacts.modelTopology);
      expect(changes).toEqual([]);
      expect(topology).toEqual(copy);
      expect(upgradeKerasWeightNames(topology, artifacts.weightSpecs!)).toEqual({ weights: artifacts.weightSpecs, changes: [] });
    }
  });

  it('a Keras 2 model loads without reporting changes', async () => {
    const model = functionalResidual();
    const artifacts = await saved(model);
    const json = JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: artifacts.weightSpecs }] });
    let heard = false;
    const loaded = await loadLayersModelFromFiles(json, async () => weightsOf(artifacts), 'model.json', () => { heard = true; });
    await expectSamePredictions(model, loaded, [8, 8, 3]);
    expect(heard).toBe(false);
  });
});

describe('Keras 3 constructs tfjs cannot build are refused by name', () => {
  const functionalWith = (edit: (layers: any[]) => void) => {
    const t = fixture('functional-residual.json');
    edit(t.model_config.config.layers);
    return t;
  };

  it('a tensor keyword argument (e.g. a mask)', () => {
    const t = functionalWith((layers) => {
      const dense = layers.find((l) => l.name === 'dense');
      dense.inbound_nodes[0].kwargs.mask = dense.inbound_nodes[0].args[0];
    });
    expect(refusal(() => upgradeKerasTopology(t)).message).toMatch(/layer "dense" is called with the tensor keyword argument "mask"/);
  });

  it('a layer called with two tensor arguments', () => {
    const t = functionalWith((layers) => {
      const add = layers.find((l) => l.name === 'add');
      add.inbound_nodes[0].args = add.inbound_nodes[0].args[0];
    });
    expect(refusal(() => upgradeKerasTopology(t)).message).toMatch(/layer "add" is called with 2 positional arguments \(several tensor arguments\)/);
  });

  it('a raw keras.ops operation in the graph', () => {
    const t = functionalWith((layers) => {
      const add = layers.find((l) => l.name === 'add');
      add.module = 'keras.src.ops.numpy';
    });
    expect(refusal(() => upgradeKerasTopology(t)).message).toMatch(/layer "add" is the Keras operation keras\.ops\.numpy\.Add/);
  });

  it('a quantized dtype policy', () => {
    const t = functionalWith((layers) => {
      layers.find((l) => l.name === 'dense').config.dtype = { module: 'keras', class_name: 'QuantizedDTypePolicy', config: { name: 'int8_from_float32' }, registered_name: null };
    });
    const e = refusal(() => upgradeKerasTopology(t));
    expect(e.message).toMatch(/layer "dense" is quantized \(dtype policy "int8_from_float32"\)/);
    expect(e.code).toBe('unsupported-layer');
  });

  it('an activation tfjs lacks, and hard_sigmoid whose Keras 3 formula differs', () => {
    const gelu = functionalWith((layers) => { layers.find((l) => l.name === 'act').config.activation = 'hard_silu'; });
    expect(refusal(() => upgradeKerasTopology(gelu)).message).toMatch(/layer "act" uses the activation "hard_silu"/);
    const hard = functionalWith((layers) => { layers.find((l) => l.name === 'act').config.activation = 'hard_sigmoid'; });
    expect(refusal(() => upgradeKerasTopology(hard)).message).toMatch(/layer "act" uses the hard_sigmoid activation, which tfjs cannot reproduce/);
  });

  it('a ReLU with a negative slope, grouped convolutions, keepdims pooling', () => {
    const relu = functionalWith((layers) => {
      const act = layers.find((l) => l.name === 'act');
      act.class_name = 'ReLU';
      act.config = { name: 'act', trainable: true, dtype: 'float32', max_value: null, negative_slope: 0.2, threshold: 0 };
    });
    expect(refusal(() => upgradeKerasTopology(relu)).message).toMatch(/layer "act" is a ReLU with negative_slope or threshold set/);
    const grouped = functionalWith((layers) => { layers.find((l) => l.name === 'conv_b').config.groups = 2; });
    expect(refusal(() => upgradeKerasTopology(grouped)).message).toMatch(/layer "conv_b" is a grouped convolution \(groups=2\)/);
    const keep = functionalWith((layers) => { layers.find((l) => l.name === 'gap').config.keepdims = true; });
    expect(refusal(() => upgradeKerasTopology(keep)).message).toMatch(/layer "gap" is a GlobalAveragePooling2D with keepdims=True/);
  });

  it('the loader passes the refusal on with the file name', async () => {
    const t = functionalWith((layers) => { layers.find((l) => l.name === 'conv_b').config.groups = 2; });
    const json = JSON.stringify({ modelTopology: t, weightsManifest: [] });
    await expect(loadLayersModelFromFiles(json, async () => new ArrayBuffer(0), 'my/model.json')).rejects.toThrow(/^my\/model.json: layer "conv_b" is a grouped convolution/);
  });
});
