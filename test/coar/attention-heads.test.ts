/**
 * Attention heads and MLP neurons as components: switching a head off equals zeroing its rows of
 * the output projection in a copy of the model (done here by hand, independently of the engine's
 * weight edit), on both execution routes; MLP neurons equal zeroed Dense columns.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeBaseline } from '../../src/coar/baseline-run';
import { createSession, runBaseOutputs } from '../../src/coar/ablate';
import { discoverComponents, parseComponentName } from '../../src/coar/components';
import { MaskedModel } from '../../src/coar/execute';
import { loadLayersModelFromFiles, modelToFiles } from '../../src/coar/model-io';
import { MultiHeadAttention, registerTransformerLayers } from '../../src/coar/layers';
import { Rng } from '../../src/coar/random';
import { cloneModel, modelWithAblatedWeights } from '../../src/coar/weight-edit';

const HEADS = 3;

function tinyVit(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotNormal({ seed });
  const bias = (seed: number) => tf.initializers.randomNormal({ seed, stddev: 0.3 });
  const input = tf.input({ shape: [4, 4, 2] });
  const patches = tf.layers.conv2d({ name: 'patches', filters: 8, kernelSize: 2, strides: 2, kernelInitializer: init(1), biasInitializer: bias(2) }).apply(input) as tf.SymbolicTensor;
  const tokens = tf.layers.reshape({ targetShape: [4, 8] }).apply(patches) as tf.SymbolicTensor;
  const normed = tf.layers.layerNormalization({ name: 'ln1' }).apply(tokens) as tf.SymbolicTensor;
  const attention = new MultiHeadAttention({ name: 'block1_attention', numHeads: HEADS, keyDim: 4, valueDim: 5, kernelInitializer: init(3), biasInitializer: bias(4) });
  const attended = attention.apply([normed, normed]) as tf.SymbolicTensor;
  const residual = tf.layers.add().apply([tokens, attended]) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ name: 'block1_mlp_hidden', units: 16, activation: 'gelu', kernelInitializer: init(5), biasInitializer: bias(6) }).apply(tf.layers.layerNormalization({ name: 'ln2' }).apply(residual)) as tf.SymbolicTensor;
  const back = tf.layers.dense({ name: 'block1_mlp_out', units: 8, kernelInitializer: init(7) }).apply(hidden) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([residual, back]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling1d().apply(out) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ name: 'logits', units: 4, kernelInitializer: init(8) }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

function randomInput(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.nextFloat() * 2 - 1), shape);
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);

/** A copy whose output-projection rows for `heads` are zeroed, written here with plain tensor ops. */
async function withHeadsZeroedByHand(model: tf.LayersModel, heads: number[]): Promise<tf.LayersModel> {
  const copy = await cloneModel(model);
  const layer = copy.getLayer('block1_attention') as MultiHeadAttention;
  const names = layer.weights.map((w) => w.originalName);
  const at = names.findIndex((n) => n.endsWith('attention_output/kernel'));
  const weights = layer.getWeights();
  const keep = new Float32Array(HEADS).fill(1);
  for (const h of heads) keep[h] = 0;
  weights[at] = weights[at].mul(tf.tensor(keep, [HEADS, 1, 1]));
  layer.setWeights(weights);
  return copy;
}

describe('attention heads and MLP neurons', () => {
  let model: tf.LayersModel;
  let x: tf.Tensor;
  beforeAll(() => {
    registerTransformerLayers();
    model = tinyVit();
    x = randomInput([6, 4, 4, 2], 11);
  });

  it('are found with their kinds: one component per head, per MLP neuron', () => {
    const c = discoverComponents(model);
    expect(c.layers.map((l) => [l.name, l.kind.id, l.count])).toEqual([
      ['patches', 'conv-filter', 8], ['block1_attention', 'attention-head', HEADS], ['block1_mlp_hidden', 'mlp-neuron', 16], ['block1_mlp_out', 'mlp-neuron', 8],
    ]);
    expect(parseComponentName(c, 'block1_attention#2')).toBe(10);
  });

  for (const heads of [[0], [1, 2], [0, 1, 2]]) {
    it(`switching head(s) ${heads} off equals zeroing their output-projection rows (shared and per-sample masks)`, async () => {
      const c = discoverComponents(model, { layers: ['block1_attention', 'block1_mlp_hidden'] });
      const keep = new Float32Array(c.count).fill(1);
      for (const h of heads) keep[h] = 0;
      const masked = new MaskedModel(model, c, 'zero-weights');
      const shared = tf.tidy(() => masked.forward(x, tf.tensor2d(keep, [1, c.count])));
      const perSample = tf.tidy(() => masked.forward(x, tf.tensor2d(keep, [1, c.count]).tile([6, 1]) as tf.Tensor2D));
      const byHand = await withHeadsZeroedByHand(model, heads);
      const reference = byHand.predict(x) as tf.Tensor;
      const { model: edited } = await modelWithAblatedWeights(model, c, heads);
      expect(maxAbsDiff(shared, reference)).toBeLessThan(1e-5);
      expect(maxAbsDiff(perSample, reference)).toBeLessThan(1e-5);
      expect(maxAbsDiff(edited.predict(x) as tf.Tensor, reference)).toBeLessThan(1e-5);
      // The ablation is not a no-op.
      expect(maxAbsDiff(reference, model.predict(x) as tf.Tensor)).toBeGreaterThan(1e-3);
    });
  }

  it('an edited ViT (two heads, three neurons off) exported as files reloads through the app loader with the edit', async () => {
    const c = discoverComponents(model, { layers: ['block1_attention', 'block1_mlp_hidden'] });
    const ablated = [0, 2, HEADS + 1, HEADS + 7, HEADS + 15];
    const { model: edited } = await modelWithAblatedWeights(model, c, ablated);
    const files = await modelToFiles(edited);
    const reloaded = await loadLayersModelFromFiles(files.modelJson, async () => files.weights);
    const keep = new Float32Array(c.count).fill(1);
    for (const i of ablated) keep[i] = 0;
    const viaMask = tf.tidy(() => new MaskedModel(model, c, 'zero-weights').forward(x, tf.tensor2d(keep, [1, c.count])));
    expect(reloaded.getLayer('block1_attention').getClassName()).toBe('MultiHeadAttention');
    expect(maxAbsDiff(reloaded.predict(x) as tf.Tensor, viaMask)).toBeLessThan(1e-5);
  });

  it('gives each example its own heads in one per-sample batch', () => {
    const c = discoverComponents(model, { layers: ['block1_attention'] });
    const masked = new MaskedModel(model, c, 'zero-weights');
    const rows = [[1, 1, 1], [0, 1, 1], [1, 0, 0], [0, 0, 0], [1, 1, 0], [0, 1, 0]];
    const batch = tf.tidy(() => masked.forward(x, tf.tensor2d(rows)).arraySync() as number[][]);
    rows.forEach((row, j) => {
      const one = tf.tidy(() => masked.forward(x, tf.tensor2d([row])).arraySync() as number[][]);
      expect(batch[j].map((v, k) => Math.abs(v - one[j][k])).every((d) => d < 1e-5)).toBe(true);
    });
  });

  it('switching MLP neurons off equals zeroing their Dense columns', async () => {
    const c = discoverComponents(model, { layers: ['block1_mlp_hidden'] });
    const ablated = [0, 5, 15];
    const keep = new Float32Array(c.count).fill(1);
    for (const i of ablated) keep[i] = 0;
    const copy = await cloneModel(model);
    const dense = copy.getLayer('block1_mlp_hidden');
    const [kernel, b] = dense.getWeights();
    dense.setWeights([kernel.mul(tf.tensor(keep)), b]);
    const viaMask = tf.tidy(() => new MaskedModel(model, c, 'zero-weights').forward(x, tf.tensor2d(keep, [1, c.count])));
    expect(maxAbsDiff(viaMask, copy.predict(x) as tf.Tensor)).toBeLessThan(1e-5);
  });

  it('mean-ablates a head to its mean context over the examples', () => {
    const c = discoverComponents(model, { layers: ['block1_attention'] });
    const masked = new MaskedModel(model, c, 'mean');
    masked.setMeanActivationsFrom(x);
    const all = tf.tidy(() => masked.forward(x, tf.ones([1, HEADS])));
    expect(maxAbsDiff(all, model.predict(x) as tf.Tensor)).toBeLessThan(1e-5);
    // With every head replaced by its mean context, every example gets the same attention output,
    // so examples differ only through the residual path: the output is not the zero-weights one.
    const meanOff = tf.tidy(() => masked.forward(x, tf.zeros([1, HEADS])));
    const zeroOff = tf.tidy(() => new MaskedModel(model, c, 'zero-weights').forward(x, tf.zeros([1, HEADS])));
    expect(maxAbsDiff(meanOff, zeroOff)).toBeGreaterThan(1e-4);
  });

  it('Grad×Param for a head equals Σ gradient × weight over its output-projection rows', async () => {
    const c = discoverComponents(model, { layers: ['block1_attention'] });
    const session = createSession(model, c, x, Int32Array.from([0, 1, 2, 3, 0, 1]), 'zero-weights', 'logit', 'as-is');
    const base = await runBaseOutputs(session);
    const gxp = await computeBaseline('gradxparam', session, base, { examplesPerBatch: 6 });
    // Independent: the gradient of example 0's true logit with respect to the output kernel itself.
    const layer = model.getLayer('block1_attention') as MultiHeadAttention;
    const variable = (layer.outputKernel as unknown as { val: tf.Variable }).val;
    const { grads } = tf.variableGrads(() => (model.apply(x.slice(0, 1)) as tf.Tensor).slice([0, 0], [1, 1]).sum() as tf.Scalar, [variable]);
    const grad = grads[variable.name];
    const original = variable;
    const perHead = tf.tidy(() => grad.mul(original).sum([1, 2]).arraySync() as number[]);
    for (let h = 0; h < HEADS; h++) expect(gxp.weights[h]).toBeCloseTo(perHead[h], 4);
  });
});
