import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { discoverComponents, componentNames, parseComponentName } from '../../src/coar/components';
import { MaskedModel, outputFromLogits } from '../../src/coar/execute';
import { modelWithAblatedWeights } from '../../src/coar/weight-edit';
import { loadModel } from '../../src/node/files';
import { Rng } from '../../src/coar/random';
import type { AblationKind } from '../../src/coar/settings';

const DEMO = 'public/models/fashion-resnet/model.json';

function sequentialModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotNormal({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 5, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, depthwiseInitializer: init(3), biasInitializer: tf.initializers.randomNormal({ seed: 4 }), padding: 'same' }),
      tf.layers.batchNormalization({ movingMeanInitializer: tf.initializers.randomNormal({ seed: 5 }) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 7, activation: 'tanh', kernelInitializer: init(6), biasInitializer: tf.initializers.randomNormal({ seed: 7 }) }),
      tf.layers.dense({ units: 4, kernelInitializer: init(8) }),
    ],
  });
}

function randomInput(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.nextFloat()), shape);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => a.sub(b).abs().max().dataSync()[0]);
}

async function checkAgainstWeightEdit(model: tf.LayersModel, x: tf.Tensor, ablated: number[], kind: AblationKind) {
  const components = discoverComponents(model);
  const masked = new MaskedModel(model, components, kind);
  const keep = new Float32Array(components.count).fill(1);
  for (const i of ablated) keep[i] = 0;
  const { model: edited } = await modelWithAblatedWeights(model, components, ablated, kind);
  const viaMask = tf.tidy(() => masked.forward(x, tf.tensor2d(keep, [1, components.count])));
  const viaWeights = edited.predict(x) as tf.Tensor;
  const diff = maxAbsDiff(viaMask, viaWeights);
  const changed = maxAbsDiff(viaWeights, model.predict(x) as tf.Tensor);
  tf.dispose([viaMask, viaWeights]);
  edited.dispose();
  return { diff, changed };
}

describe('component discovery', () => {
  it('finds conv, depthwise and dense units, excluding the logits layer, with stable names', () => {
    const model = sequentialModel();
    const c = discoverComponents(model);
    expect(c.layers.map((l) => [l.className, l.count, l.offset])).toEqual([['Conv2D', 5, 0], ['DepthwiseConv2D', 10, 5], ['Dense', 7, 15]]);
    expect(c.count).toBe(22);
    const names = componentNames(c);
    expect(names[5]).toBe(`${model.layers[1].name}#0`);
    expect(parseComponentName(c, names[17])).toBe(17);
    expect(discoverComponents(model, { includeOutputLayers: true }).count).toBe(26);
    expect(discoverComponents(model, { layers: [model.layers[0].name] }).count).toBe(5);
  });

  it('names the layer it cannot handle instead of skipping it', () => {
    const input = tf.input({ shape: [6, 6, 1] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c1' }).apply(input) as tf.SymbolicTensor;
    const sep = tf.layers.separableConv2d({ filters: 2, kernelSize: 3, name: 'sep_conv' }).apply(conv) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(sep)) as tf.SymbolicTensor;
    expect(() => discoverComponents(tf.model({ inputs: input, outputs: out }))).toThrow(/Layer "sep_conv" has type SeparableConv2D/);
    expect(() => discoverComponents(sequentialModel(), { layers: ['nope'] })).toThrow(/no layer named "nope"/);
  });
});

describe('masked execution', () => {
  it('equals model.predict with all-ones masks (Sequential), per-sample and shared', () => {
    const model = sequentialModel();
    const components = discoverComponents(model);
    const masked = new MaskedModel(model, components);
    const x = randomInput([6, 8, 8, 2], 1);
    const expected = model.predict(x) as tf.Tensor;
    const shared = tf.tidy(() => masked.forward(x, tf.ones([1, components.count])));
    const perSample = tf.tidy(() => masked.forward(x, tf.ones([6, components.count])));
    expect(maxAbsDiff(shared, expected)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(perSample, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('zero-weights and zero-output masks equal weight-zeroed copies (Sequential)', async () => {
    const model = sequentialModel();
    const x = randomInput([4, 8, 8, 2], 2);
    for (const kind of ['zero-weights', 'zero-output'] as const) {
      const { diff, changed } = await checkAgainstWeightEdit(model, x, [0, 3, 6, 11, 16, 20], kind);
      expect(changed).toBeGreaterThan(1e-3); // the edit matters
      expect(diff).toBeLessThanOrEqual(1e-5);
    }
  });

  it('different masks per sample in one batch equal separate shared-mask runs', () => {
    const model = sequentialModel();
    const components = discoverComponents(model);
    const masked = new MaskedModel(model, components);
    const x = randomInput([1, 8, 8, 2], 3);
    const rng = new Rng(4);
    const keep = Float32Array.from({ length: 5 * components.count }, () => (rng.nextFloat() < 0.3 ? 0 : 1));
    const batch = tf.tidy(() => masked.forward(tf.tile(x, [5, 1, 1, 1]), tf.tensor2d(keep, [5, components.count])));
    for (let r = 0; r < 5; r++) {
      const one = tf.tidy(() => masked.forward(x, tf.tensor2d(keep.subarray(r * components.count, (r + 1) * components.count), [1, components.count])));
      expect(maxAbsDiff(one, batch.slice([r, 0], [1, 4]))).toBeLessThanOrEqual(1e-5);
    }
  });

  it('on the residual demo model: all-ones equals predict, zero-weights equals zeroed kernels', async () => {
    const model = await loadModel(DEMO);
    const components = discoverComponents(model);
    expect(components.count).toBe(272);
    expect(model.layers.some((l) => l.getClassName() === 'Add')).toBe(true);
    const x = randomInput([8, 28, 28, 1], 5);
    const masked = new MaskedModel(model, components);
    const all = tf.tidy(() => masked.forward(x, tf.ones([1, components.count])));
    expect(maxAbsDiff(all, model.predict(x) as tf.Tensor)).toBeLessThanOrEqual(1e-5);
    const { diff, changed } = await checkAgainstWeightEdit(model, x, [1, 17, 20, 40, 60, 100, 150, 207, 210, 250], 'zero-weights');
    expect(changed).toBeGreaterThan(1e-3);
    expect(diff).toBeLessThanOrEqual(1e-4);
  });

  it('mean ablation replaces a channel by its mean activation', () => {
    const model = sequentialModel();
    const components = discoverComponents(model);
    const masked = new MaskedModel(model, components, 'mean');
    const x = randomInput([5, 8, 8, 2], 6);
    masked.setMeanActivationsFrom(x);
    const allKept = tf.tidy(() => masked.forward(x, tf.ones([1, components.count])));
    expect(maxAbsDiff(allKept, model.predict(x) as tf.Tensor)).toBeLessThanOrEqual(1e-5);
    // Ablating every component makes every example's output identical (all activations are means).
    const none = tf.tidy(() => masked.forward(x, tf.zeros([1, components.count])));
    expect(tf.tidy(() => none.sub(none.mean(0, true)).abs().max().dataSync()[0])).toBeLessThanOrEqual(1e-5);
    masked.dispose();
  });

  it('computes margins, true logits and log-probabilities', () => {
    const logits = tf.tensor2d([[1, 3, 2], [5, 0, -1]]);
    const labels = tf.tensor1d([2, 0], 'int32');
    expect(Array.from(outputFromLogits(logits, labels, 'margin').dataSync())).toEqual([-1, 5]);
    expect(Array.from(outputFromLogits(logits, labels, 'logit').dataSync())).toEqual([2, 5]);
    const lp = outputFromLogits(logits, labels, 'logprob').dataSync();
    expect(lp[0]).toBeCloseTo(2 - Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2)), 5);
  });

  it('leaks no tensors across repeated runs', () => {
    const model = sequentialModel();
    const components = discoverComponents(model);
    const masked = new MaskedModel(model, components);
    const x = randomInput([3, 8, 8, 2], 7);
    const run = () => tf.tidy(() => outputFromLogits(masked.forward(x, tf.ones([3, components.count])), tf.tensor1d([0, 1, 2], 'int32'), 'margin')).dispose();
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
  });
});
