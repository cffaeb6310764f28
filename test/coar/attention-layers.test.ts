import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MultiHeadAttention, PositionEmbedding, registerTransformerLayers } from '../../src/coar/layers';
import { concatBuffers, loadLayersModelFromFiles, modelToFiles } from '../../src/coar/model-io';
import { upgradeKerasTopology } from '../../src/coar/keras3-topology';
import { CoarError } from '../../src/coar/errors';
import { buildVitModel } from '../../scripts/lib/vit-model';
import { registerWasmGradientKernels } from '../../src/coar/wasm-gradients';
import { registerWasmTransformerKernels } from '../../src/coar/layers/wasm-kernels';

registerTransformerLayers();

/** model.json files written by hand in the form Keras 2 (tf.keras 2.15 + keras_nlp) and Keras 3 (+ keras_hub) serialize a tiny ViT. */
const fixtureText = (name: string) => readFileSync(new URL(`../fixtures/vit/${name}`, import.meta.url), 'utf8');

interface MhaWeights { wq: tf.Tensor3D; bq?: tf.Tensor2D; wk: tf.Tensor3D; bk?: tf.Tensor2D; wv: tf.Tensor3D; bv?: tf.Tensor2D; wo: tf.Tensor3D; bo?: tf.Tensor1D }

/**
 * Keras's multi-head attention written independently of the layer: one head at a time, each
 * projection a 2-D matMul with that head's kernel slice, softmax spelled out, the heads' outputs summed.
 */
function referenceAttention(query: tf.Tensor3D, value: tf.Tensor3D, key: tf.Tensor3D, w: MhaWeights): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, Tq] = query.shape;
    const Tk = key.shape[1];
    const [, H, K] = w.wq.shape;
    const dOut = w.wo.shape[2];
    const flat = (x: tf.Tensor3D) => x.reshape([-1, x.shape[2]]) as tf.Tensor2D;
    const head = (kernel: tf.Tensor3D, bias: tf.Tensor2D | undefined, h: number, x: tf.Tensor3D) => {
      const E = kernel.shape[2];
      let y = tf.matMul(flat(x), kernel.slice([0, h, 0], [-1, 1, -1]).reshape([-1, E]) as tf.Tensor2D);
      if (bias) y = y.add(bias.slice([h, 0], [1, -1]));
      return y.reshape([x.shape[0], x.shape[1], E]) as tf.Tensor3D;
    };
    let out: tf.Tensor = tf.zeros([B, Tq, dOut]);
    for (let h = 0; h < H; h++) {
      const q = head(w.wq, w.bq, h, query);
      const k = head(w.wk, w.bk, h, key);
      const v = head(w.wv, w.bv, h, value);
      const logits = tf.matMul(q, k, false, true).div(Math.sqrt(K)); // [B, Tq, Tk]
      const e = tf.exp(logits.sub(logits.max(-1, true)));
      const p = e.div(e.sum(-1, true));
      expect(p.shape).toEqual([B, Tq, Tk]);
      const ctx = tf.matMul(p as tf.Tensor3D, v); // [B, Tq, Vd]
      const Vd = ctx.shape[2] as number;
      const woh = w.wo.slice([h, 0, 0], [1, -1, -1]).reshape([Vd, dOut]) as tf.Tensor2D;
      out = out.add(tf.matMul(ctx.reshape([-1, Vd]) as tf.Tensor2D, woh).reshape([B, Tq, dOut]));
    }
    if (w.bo) out = out.add(w.bo);
    return out as tf.Tensor3D;
  });
}

/** GELU with erf computed in float64 (series / continued fraction), Keras's default exact form. */
function erf64(x: number): number {
  const z = Math.abs(x);
  let r: number;
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= -z * z / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) break;
    }
    r = 2 / Math.sqrt(Math.PI) * sum;
  } else {
    let f = 0; // continued fraction for erfc
    for (let n = 60; n >= 1; n--) f = (n / 2) / (z + f);
    r = 1 - Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
  }
  return x < 0 ? -r : r;
}
const gelu64 = (x: number) => 0.5 * x * (1 + erf64(x / Math.SQRT2));

function mhaWeights(layer: MultiHeadAttention): MhaWeights {
  const get = (suffix: string) => layer.weights.find((w) => w.originalName === `${layer.name}/${suffix}`)?.read();
  return {
    wq: get('query/kernel') as tf.Tensor3D, bq: get('query/bias') as tf.Tensor2D | undefined,
    wk: get('key/kernel') as tf.Tensor3D, bk: get('key/bias') as tf.Tensor2D | undefined,
    wv: get('value/kernel') as tf.Tensor3D, bv: get('value/bias') as tf.Tensor2D | undefined,
    wo: get('attention_output/kernel') as tf.Tensor3D, bo: get('attention_output/bias') as tf.Tensor1D | undefined,
  };
}

function randomizeLayer(layer: tf.layers.Layer, seed: number): void {
  layer.setWeights(layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + i)));
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.abs(tf.sub(a, b)).max().dataSync()[0]);

describe('MultiHeadAttention', () => {
  const cases: [string, ConstructorParameters<typeof MultiHeadAttention>[0], number, number, number, boolean][] = [
    // label, args, Tq, Tk, value feature size, cross
    ['self-attention', { numHeads: 4, keyDim: 8 }, 6, 6, 16, false],
    ['cross-attention, value_dim ≠ key_dim', { numHeads: 3, keyDim: 5, valueDim: 7 }, 4, 9, 11, true],
    ['output_shape set', { numHeads: 2, keyDim: 4, outputShape: 10 }, 5, 5, 12, false],
    ['no biases', { numHeads: 2, keyDim: 3, valueDim: 6, useBias: false, outputShape: [9] }, 3, 7, 5, true],
  ];
  for (const [label, args, Tq, Tk, Dv, cross] of cases) {
    it(`matches a per-head reference: ${label}`, () => {
      const layer = new MultiHeadAttention({ ...args, name: 'mha' });
      const D = cross ? 13 : Dv;
      const query = tf.randomNormal([2, Tq, D], 0, 1, 'float32', 1) as tf.Tensor3D;
      const value = (cross ? tf.randomNormal([2, Tk, Dv], 0, 1, 'float32', 2) : query) as tf.Tensor3D;
      const key = cross ? tf.randomNormal([2, Tk, 6], 0, 1, 'float32', 3) as tf.Tensor3D : undefined;
      layer.apply(key ? [query, value, key] : [query, value]);
      randomizeLayer(layer, 10);
      expect(layer.weights.map((w) => [w.originalName, w.shape])).toEqual([
        ['mha/query/kernel', [D, args.numHeads, args.keyDim]], ...(args.useBias === false ? [] : [['mha/query/bias', [args.numHeads, args.keyDim]]]),
        ['mha/key/kernel', [key ? 6 : Dv, args.numHeads, args.keyDim]], ...(args.useBias === false ? [] : [['mha/key/bias', [args.numHeads, args.keyDim]]]),
        ['mha/value/kernel', [Dv, args.numHeads, args.valueDim ?? args.keyDim]], ...(args.useBias === false ? [] : [['mha/value/bias', [args.numHeads, args.valueDim ?? args.keyDim]]]),
        ['mha/attention_output/kernel', [args.numHeads, args.valueDim ?? args.keyDim, layer.outputDim ?? D]],
        ...(args.useBias === false ? [] : [['mha/attention_output/bias', [layer.outputDim ?? D]]]),
      ]);
      const got = layer.apply(key ? [query, value, key] : [query, value]) as tf.Tensor;
      const want = referenceAttention(query, value, key ?? value, mhaWeights(layer));
      expect(got.shape).toEqual([2, Tq, layer.outputDim ?? D]);
      expect(layer.computeOutputShape(key ? [query.shape, value.shape, key.shape] : [query.shape, value.shape])).toEqual([2, Tq, layer.outputDim ?? D]);
      expect(maxDiff(got, want)).toBeLessThan(1e-5);

      // The masking API: heads before the projection, the projection, the attention weights.
      const heads = layer.headOutputs(query, value, key);
      expect(heads.shape).toEqual([2, Tq, args.numHeads, args.valueDim ?? args.keyDim]);
      expect(maxDiff(layer.project(heads), got)).toBeLessThan(1e-6);
      const scores = layer.attentionScores(query, value, key);
      expect(scores.shape).toEqual([2, args.numHeads, Tq, Tk]);
      expect(maxDiff(scores.sum(-1), tf.onesLike(scores.sum(-1)))).toBeLessThan(1e-5);
      // Zeroing head 0's context removes exactly head 0's term of the reference.
      const mask = tf.tensor([0, ...Array(args.numHeads - 1).fill(1)]).reshape([1, 1, args.numHeads, 1]);
      const w = mhaWeights(layer);
      const woWithoutHead0 = w.wo.mul(tf.tensor([0, ...Array(args.numHeads - 1).fill(1)]).reshape([args.numHeads, 1, 1])) as tf.Tensor3D;
      expect(maxDiff(layer.project(heads.mul(mask)), referenceAttention(query, value, key ?? value, { ...w, wo: woWithoutHead0 }))).toBeLessThan(1e-5);
      expect(layer.outputKernel.shape).toEqual([args.numHeads, args.valueDim ?? args.keyDim, layer.outputDim ?? D]);
      expect([layer.numHeads, layer.keyDim, layer.valueDim]).toEqual([args.numHeads, args.keyDim, args.valueDim ?? args.keyDim]);
    });
  }

  it('getConfig round-trips through fromConfig and through a saved model', async () => {
    const layer = new MultiHeadAttention({
      numHeads: 2, keyDim: 4, valueDim: 3, dropout: 0.1, outputShape: 6, attentionAxes: [1], useBias: false, name: 'att',
      kernelInitializer: 'heNormal', kernelRegularizer: 'l2', biasConstraint: tf.constraints.maxNorm({ maxValue: 2 }),
    });
    const config = layer.getConfig();
    const copy = MultiHeadAttention.fromConfig(MultiHeadAttention, config) as MultiHeadAttention;
    expect(copy.getConfig()).toEqual(config);
    expect(config).toMatchObject({ numHeads: 2, keyDim: 4, valueDim: 3, dropout: 0.1, outputShape: 6, attentionAxes: [1], useBias: false });

    const input = tf.input({ shape: [5, 7] });
    const out = layer.apply([input, input]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    randomizeLayer(layer, 3);
    const files = await modelToFiles(model);
    const loaded = await loadLayersModelFromFiles(files.modelJson, async () => files.weights);
    const x = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 4);
    expect(maxDiff(loaded.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor)).toBe(0);
    const reloaded = loaded.getLayer('att') as MultiHeadAttention;
    expect(reloaded).toBeInstanceOf(MultiHeadAttention);
    const plain = (c: unknown) => JSON.parse(JSON.stringify(c)); // an unset seed: undefined before saving, null after
    expect(plain(reloaded.getConfig())).toEqual(plain(config));
    expect(reloaded.isSelfAttention).toBe(true);
  });

  it('refuses unsupported options by layer and option name', () => {
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4, attentionAxes: [1, 2], name: 'att2d' })).toThrow(/MultiHeadAttention "att2d": attention_axes \[1,2\]/);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4, outputShape: [3, 4], name: 'o' })).toThrow(/"o": output_shape/);
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'att' });
    const x = tf.randomNormal([1, 3, 4]);
    expect(() => layer.apply([x, x], { useCausalMask: true })).toThrow(/"att": the call option use_causal_mask=True/);
    expect(() => layer.apply([x, x], { attentionMask: tf.ones([1, 3, 3]) } as unknown as tf.serialization.ConfigDict)).toThrow(/"att": the call option attention_mask=a tensor/);
    expect(() => layer.apply([x, x], { returnAttentionScores: true })).toThrow(/return_attention_scores/);
    expect(() => layer.apply(x)).toThrow(/"att": expects the inputs \[query, value\]/);
    const image = tf.randomNormal([1, 2, 3, 4]);
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'r4' }).apply([image, image])).toThrow(/"r4": input query has rank 4/);
  });

  it('trains: a small ViT (with attention dropout) takes optimizer steps on wasm', async () => {
    expect(tf.getBackend()).toBe('wasm');
    registerWasmGradientKernels(); // the patch embedding's conv gradients
    const model = buildVitModel(3, { patch: 7, dim: 8, heads: 2, mlp: 8, blocks: 1 });
    const input = tf.input({ shape: [4, 8] });
    const dropped = new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5, name: 'dropped' }).apply([input, input]) as tf.SymbolicTensor;
    const second = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(dropped)) as tf.SymbolicTensor });
    for (const m of [model, second]) {
      m.compile({ optimizer: tf.train.adam(0.01), loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
      const x = tf.randomUniform(m === model ? [8, 28, 28, 1] : [8, 4, 8], 0, 1, 'float32', 5);
      const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), m === model ? 10 : 2);
      const before = m.getWeights().map((w) => w.dataSync().slice());
      const loss = () => tf.tidy(() => tf.losses.softmaxCrossEntropy(y, m.predict(x) as tf.Tensor).dataSync()[0]);
      const start = loss();
      for (let i = 0; i < 5; i++) expect(Number.isFinite(await m.trainOnBatch(x, y) as number)).toBe(true);
      expect(loss()).toBeLessThan(start);
      const after = m.getWeights().map((w) => w.dataSync());
      // Every weight moved: the gradient reaches all projections and the position embedding.
      after.forEach((w, i) => expect(w.some((v, j) => v !== before[i][j])).toBe(true));
    }
  });
});

describe('PositionEmbedding', () => {
  it('returns the first T rows broadcast to the input, which an Add layer adds', () => {
    const layer = new PositionEmbedding({ sequenceLength: 5, name: 'pos' });
    const input = tf.input({ shape: [3, 4] });
    const pos = layer.apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.add().apply([input, pos]) as tf.SymbolicTensor });
    randomizeLayer(layer, 7);
    expect(layer.weights.map((w) => [w.originalName, w.shape])).toEqual([['pos/embeddings', [5, 4]]]);
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 8);
    const table = layer.embeddings.read();
    const rows = table.slice([0, 0], [3, 4]);
    expect(maxDiff(layer.apply(x) as tf.Tensor, tf.stack([rows, rows]))).toBe(0);
    expect(maxDiff(model.predict(x) as tf.Tensor, x.add(rows))).toBe(0);
    expect(() => layer.apply(tf.zeros([1, 6, 4]))).toThrow(/"pos": sequence of 6 positions is longer than sequence_length 5/);
    const config = layer.getConfig();
    expect(config).toMatchObject({ sequenceLength: 5, initializer: { className: 'VarianceScaling' } }); // tfjs's GlorotUniform
    expect((PositionEmbedding.fromConfig(PositionEmbedding, config) as PositionEmbedding).getConfig()).toEqual(config);
  });
});

describe('GELU', () => {
  it("tfjs's gelu activation is the exact erf form (Keras's default, approximate=False)", () => {
    const xs = Array.from({ length: 2001 }, (_, i) => -10 + i / 100);
    const got = tf.layers.activation({ activation: 'gelu' }).apply(tf.tensor1d(xs)) as tf.Tensor;
    const want = tf.tensor1d(xs.map(gelu64));
    // float32 rounding plus tfjs's erf approximation (|error| ≤ 1.5e-7); the tanh form is off by up to ~5e-4.
    expect(maxDiff(got, want)).toBeLessThan(2e-6);
    const tanhForm = tf.layers.activation({ activation: 'gelu_new' }).apply(tf.tensor1d(xs)) as tf.Tensor;
    expect(maxDiff(tanhForm, want)).toBeGreaterThan(1e-4);
  });
});

/** The fixture model computed with plain ops from the weights by name. */
function referenceVit(image: tf.Tensor4D, w: Record<string, tf.Tensor>, cross = false): tf.Tensor {
  return tf.tidy(() => {
    const ln = (x: tf.Tensor, name: string) => {
      const mean = x.mean(-1, true);
      const variance = x.sub(mean).square().mean(-1, true);
      return x.sub(mean).div(variance.add(1e-6).sqrt()).mul(w[`${name}/gamma`]).add(w[`${name}/beta`]);
    };
    const dense = (x: tf.Tensor, name: string) => {
      const [B, T, D] = (x.shape.length === 3 ? x.shape : [x.shape[0], 1, x.shape[1]]) as number[];
      const y = tf.matMul(x.reshape([B * T, D]), w[`${name}/kernel`]).add(w[`${name}/bias`]);
      return x.shape.length === 3 ? y.reshape([B, T, -1]) : y;
    };
    const patches = tf.conv2d(image, w['patch_embedding/kernel'] as tf.Tensor4D, 4, 'valid').add(w['patch_embedding/bias']).reshape([image.shape[0], 4, 8]);
    const x0 = patches.add(w['position_embedding/embeddings']);
    const n1 = ln(x0, 'block1_norm1') as tf.Tensor3D;
    const att = referenceAttention(n1, cross ? x0 as tf.Tensor3D : n1, cross ? x0 as tf.Tensor3D : n1, {
      wq: w['block1_attention/query/kernel'] as tf.Tensor3D, bq: w['block1_attention/query/bias'] as tf.Tensor2D,
      wk: w['block1_attention/key/kernel'] as tf.Tensor3D, bk: w['block1_attention/key/bias'] as tf.Tensor2D,
      wv: w['block1_attention/value/kernel'] as tf.Tensor3D, bv: w['block1_attention/value/bias'] as tf.Tensor2D,
      wo: w['block1_attention/attention_output/kernel'] as tf.Tensor3D, bo: w['block1_attention/attention_output/bias'] as tf.Tensor1D,
    });
    const x1 = x0.add(att);
    const pre = dense(ln(x1, 'block1_norm2'), 'block1_mlp_hidden');
    const hidden = tf.tensor(Array.from(pre.dataSync(), gelu64), pre.shape);
    const x2 = x1.add(dense(hidden, 'block1_mlp_out'));
    return dense(ln(x2, 'final_norm').mean(1), 'logits');
  });
}

interface Manifest { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] }

/** Random weights for every manifest entry, in manifest order, as one weights.bin; also by name (model-name prefix dropped). */
function weightsFor(json: Manifest, seed: number): { buffer: ArrayBuffer; byName: Record<string, tf.Tensor> } {
  const byName: Record<string, tf.Tensor> = {};
  const buffers = json.weightsManifest[0].weights.map((spec, i) => {
    const t = spec.name.endsWith('gamma')
      ? tf.randomUniform(spec.shape, 0.5, 1.5, 'float32', seed + i)
      : tf.randomNormal(spec.shape, 0, 0.5, 'float32', seed + i);
    byName[spec.name.replace(/^vit\//, '')] = t;
    return (t.dataSync() as Float32Array).slice().buffer;
  });
  return { buffer: concatBuffers(buffers), byName };
}

describe('Keras ViT model.json files', () => {
  const image = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 42) as tf.Tensor4D;
  for (const file of ['keras2-vit.json', 'keras3-vit.json']) {
    it(`${file} loads through loadLayersModelFromFiles and matches the plain-ops reference`, async () => {
      const text = fixtureText(file);
      const { buffer, byName } = weightsFor(JSON.parse(text) as Manifest, 100);
      const changes: string[] = [];
      const model = await loadLayersModelFromFiles(text, async (path) => {
        expect(path).toBe('weights.bin');
        return buffer;
      }, file, (c) => changes.push(...c));
      const got = model.predict(image) as tf.Tensor;
      expect(got.shape).toEqual([3, 3]);
      expect(maxDiff(got, referenceVit(image, byName))).toBeLessThan(1e-5);
      const att = model.getLayer('block1_attention') as MultiHeadAttention;
      expect(att).toBeInstanceOf(MultiHeadAttention);
      expect([att.numHeads, att.keyDim, att.valueDim, att.isSelfAttention]).toEqual([2, 3, 5, true]);
      expect(model.getLayer('position_embedding')).toBeInstanceOf(PositionEmbedding);
      expect(changes.join('\n')).toMatch(file.startsWith('keras2')
        ? /keras_nlp>PositionEmbedding as PositionEmbedding[\s\S]*moved MultiHeadAttention's value\/key tensors .*"block1_attention"/
        : /converted Keras 3 inbound_nodes/);
    });
  }

  it('the Keras 2 node with the value tensor in its kwargs becomes the input list [query, value]', () => {
    const json = JSON.parse(fixtureText('keras2-vit.json'));
    const { topology } = upgradeKerasTopology(json.modelTopology);
    const layers = (topology as { model_config: { config: { layers: { name: string; inbound_nodes: unknown }[] } } }).model_config.config.layers;
    expect(layers.find((l) => l.name === 'block1_attention')!.inbound_nodes).toEqual([[['block1_norm1', 0, 0, {}], ['block1_norm1', 0, 0, {}]]]);
  });

  it('cross-attention (query and value from different layers) loads and is not self-attention', async () => {
    const json = JSON.parse(fixtureText('keras3-vit.json'));
    const mha = json.modelTopology.model_config.config.layers.find((l: { name: string }) => l.name === 'block1_attention');
    mha.inbound_nodes[0].args[1].config.keras_history = ['add_positions', 0, 0];
    const { buffer, byName } = weightsFor(json, 200);
    const model = await loadLayersModelFromFiles(JSON.stringify(json), async () => buffer);
    expect((model.getLayer('block1_attention') as MultiHeadAttention).isSelfAttention).toBe(false);
    expect(maxDiff(model.predict(image) as tf.Tensor, referenceVit(image, byName, true))).toBeLessThan(1e-5);
  });

  const refused: [string, string, (layers: { name: string; config: Record<string, unknown>; inbound_nodes: { args: unknown[]; kwargs: Record<string, unknown> }[] }[]) => void, RegExp][] = [
    ['attention_axes (1, 2)', 'keras3-vit.json', (layers) => { layers.find((l) => l.name === 'block1_attention')!.config.attention_axes = [1, 2]; },
      /MultiHeadAttention "block1_attention": attention_axes \[1,2\] is not supported/],
    ['use_causal_mask=True', 'keras3-vit.json', (layers) => { layers.find((l) => l.name === 'block1_attention')!.inbound_nodes[0].kwargs.use_causal_mask = true; },
      /layer "block1_attention" is a MultiHeadAttention called with use_causal_mask=True/],
    ['an attention_mask tensor', 'keras3-vit.json', (layers) => {
      const node = layers.find((l) => l.name === 'block1_attention')!.inbound_nodes[0];
      node.kwargs.attention_mask = { class_name: '__keras_tensor__', config: { shape: [null, 4, 4], dtype: 'float32', keras_history: ['mask', 0, 0] } };
    }, /layer "block1_attention" is a MultiHeadAttention called with attention_mask=a tensor/],
    ['return_attention_scores=True', 'keras3-vit.json', (layers) => { layers.find((l) => l.name === 'block1_attention')!.inbound_nodes[0].kwargs.return_attention_scores = true; },
      /return_attention_scores=True/],
    ['a Keras 2 attention_mask', 'keras2-vit.json', (layers) => {
      const node = layers.find((l) => l.name === 'block1_attention')!.inbound_nodes as unknown as [string, number, number, Record<string, unknown>][][];
      node[0][0][3].attention_mask = ['block1_norm1', 0, 0];
    }, /layer "block1_attention" is a MultiHeadAttention called with attention_mask=a tensor/],
    ['LayerNormalization rms_scaling=True', 'keras3-vit.json', (layers) => { layers.find((l) => l.name === 'final_norm')!.config.rms_scaling = true; },
      /layer "final_norm" is a LayerNormalization with rms_scaling=True/],
  ];
  for (const [label, file, edit, message] of refused) {
    it(`refuses ${label}, naming the layer`, async () => {
      const json = JSON.parse(fixtureText(file));
      edit(json.modelTopology.model_config.config.layers);
      const { buffer } = weightsFor(json, 300);
      const load = loadLayersModelFromFiles(JSON.stringify(json), async () => buffer, file);
      await expect(load).rejects.toThrow(CoarError);
      await expect(load).rejects.toThrow(message);
    });
  }
});

// Last: it replaces two wasm kernels for the rest of this file.
describe('registerWasmTransformerKernels', () => {
  it('gives the same Tile and transposed MatMul results and gradients as the backend\'s own kernels', () => {
    const x = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 1);
    const a = tf.randomNormal([4, 7, 5], 0, 1, 'float32', 2);
    const b = tf.randomNormal([4, 9, 5], 0, 1, 'float32', 3);
    const c = tf.randomNormal([4, 5, 7], 0, 1, 'float32', 4);
    const d = tf.randomNormal([4, 7, 3], 0, 1, 'float32', 5);
    const run = () => tf.tidy(() => {
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, false, true).square().sum())([a, b]);
      return [tf.tile(x, [2, 1, 3]), tf.tile(x, [1, 4, 1]), tf.matMul(a, b, false, true), tf.matMul(c, b, true, true), tf.matMul(a, d, true, false), ...grads]
        .map((t) => Array.from(t.dataSync()));
    });
    const before = run();
    registerWasmTransformerKernels();
    const tensors = tf.memory().numTensors;
    const after = run();
    expect(tf.memory().numTensors).toBe(tensors);
    after.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - before[i][j])).toBeLessThan(1e-5 * (1 + Math.abs(v)))));
    expect(after.slice(0, 2)).toEqual(before.slice(0, 2)); // Tile: the same numbers exactly
  });
});
