/**
 * Margins on logits for models that end in a softmax or sigmoid: the activation is bypassed
 * where it can be separated, else the log of the probabilities is used; both equal the logit gap.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { discoverComponents } from '../../src/coar/components';
import { MaskedModel, outputFromLogits } from '../../src/coar/execute';
import { summarizeModel } from '../../src/coar/model-summary';
import { findFinalActivation, resolveScores } from '../../src/coar/scores';

const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.6, seed });

function convBody(input: tf.SymbolicTensor): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ name: 'conv', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  const flat = tf.layers.flatten().apply(conv) as tf.SymbolicTensor;
  return tf.layers.dense({ name: 'hidden', units: 6, activation: 'relu', kernelInitializer: init(2) }).apply(flat) as tf.SymbolicTensor;
}

/** The same weights four ways: logits, Dense(softmax), Dense + Softmax layer, softmax then Reshape. */
function variants() {
  const input = tf.input({ shape: [5, 5, 1] });
  const hidden = convBody(input);
  const logitsLayer = tf.layers.dense({ units: 4, kernelInitializer: init(3), name: 'logits' });
  const logits = logitsLayer.apply(hidden) as tf.SymbolicTensor;
  const plain = tf.model({ inputs: input, outputs: logits });
  const withSoftmax = (head: (x: tf.SymbolicTensor) => tf.SymbolicTensor) => tf.model({ inputs: input, outputs: head(logits) });
  const denseSoftmaxLayer = tf.layers.dense({ units: 4, activation: 'softmax', name: 'probs' });
  const denseSoftmax = tf.model({ inputs: input, outputs: denseSoftmaxLayer.apply(hidden) as tf.SymbolicTensor });
  denseSoftmaxLayer.setWeights(logitsLayer.getWeights());
  return {
    plain,
    denseSoftmax,
    softmaxLayer: withSoftmax((x) => tf.layers.softmax().apply(x) as tf.SymbolicTensor),
    activationThenReshape: withSoftmax((x) => tf.layers.reshape({ targetShape: [4] }).apply(tf.layers.activation({ activation: 'softmax' }).apply(x)) as tf.SymbolicTensor),
  };
}

const x = tf.randomUniform([12, 5, 5, 1], 0, 1, 'float32', 7);
const labels = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], 'int32');

function margins(model: tf.LayersModel, scores: 'as-is' | 'before-activation' | 'log', keep?: number[]): Float32Array {
  // The same components in every variant (the logits layer is one only when it is not the output).
  const components = discoverComponents(model, { layers: ['conv', 'hidden'] });
  const masked = new MaskedModel(model, components, 'zero-weights', scores);
  const k = tf.tensor2d(keep ?? new Array(components.count).fill(1), [1, components.count]);
  const out = tf.tidy(() => outputFromLogits(masked.forward(x, k), labels, 'margin'));
  const values = out.dataSync() as Float32Array;
  tf.dispose([out, k]);
  return values;
}

describe('scores: margins on logits whatever the model ends with', () => {
  const v = variants();
  const reference = margins(v.plain, 'as-is');
  const ablated = [1, 0, 1, 1, 0, 1, 1, 1, 1, 0];
  const referenceAblated = margins(v.plain, 'as-is', ablated);

  it('the test logits have gaps larger than 1 (so probabilities would differ)', () => {
    expect(Math.max(...reference.map(Math.abs))).toBeGreaterThan(1);
  });

  it('a Dense layer with softmax: bypassed, equal to the logits model (also with components ablated)', () => {
    expect(findFinalActivation(v.denseSoftmax)).toEqual({ layer: 'probs', activation: 'softmax', separable: true });
    expect(resolveScores('auto', findFinalActivation(v.denseSoftmax))).toBe('before-activation');
    expect(Array.from(margins(v.denseSoftmax, 'before-activation'))).toEqual(Array.from(reference));
    expect(Array.from(margins(v.denseSoftmax, 'before-activation', ablated))).toEqual(Array.from(referenceAblated));
  });

  it('a separate Softmax layer: skipped', () => {
    expect(resolveScores('auto', findFinalActivation(v.softmaxLayer))).toBe('before-activation');
    expect(Array.from(margins(v.softmaxLayer, 'before-activation'))).toEqual(Array.from(reference));
  });

  it('a softmax followed by a Reshape cannot be skipped: log-probabilities give the same gaps', () => {
    const final = findFinalActivation(v.activationThenReshape);
    expect(final?.separable).toBe(false);
    expect(resolveScores('auto', final)).toBe('log');
    const got = margins(v.activationThenReshape, 'log', ablated);
    got.forEach((m, i) => expect(m).toBeCloseTo(referenceAblated[i], 3));
    expect(() => margins(v.activationThenReshape, 'before-activation')).toThrow(/cannot be bypassed; use log instead/);
  });

  it('as-is on a softmax model gives probability gaps within [−1, 1], and the summary says so', () => {
    const probs = margins(v.denseSoftmax, 'as-is');
    expect(Math.max(...probs.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(summarizeModel(v.denseSoftmax, 'm').scoresNote).toMatch(/final softmax of layer "probs" is bypassed/);
    expect(summarizeModel(v.plain, 'm').scores).toBe('as-is');
  });

  it('a logits model cannot have an activation bypassed', () => {
    expect(() => margins(v.plain, 'before-activation')).toThrow(/no final softmax or sigmoid to bypass/);
  });
});
