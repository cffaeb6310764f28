/**
 * A small Keras-style Vision Transformer for 28×28×1 Fashion-MNIST, built from tfjs layers and
 * the transformer layers of src/coar/layers (the layers a Keras ViT saved by
 * tensorflowjs_converter uses, with the same names and weight layout):
 *
 *   image [28, 28, 1] → patch_embedding Conv2D(D, kernel P, stride P) → Reshape [(28/P)², D]
 *   → position_embedding (Keras Hub PositionEmbedding) + Add
 *   → B pre-norm blocks: x + MHA(LN(x), LN(x)); x + Dense(D)(Dense(M, gelu)(LN(x)))
 *   → LayerNormalization → GlobalAveragePooling1D → Dense(10) logits (no softmax).
 *
 * Layer names: block{i}_attention (MultiHeadAttention, H heads of key_dim D/H),
 * block{i}_mlp_hidden (Dense M, gelu: its units are the "MLP neuron" components), block{i}_mlp_out,
 * block{i}_norm1/_norm2, block{i}_attention_add/_mlp_add. COAR components: B·H heads + B·M MLP neurons
 * (the patch-embedding filters are conv channels too, counted separately by the engine).
 */
import * as tf from '@tensorflow/tfjs';
import { MultiHeadAttention, PositionEmbedding, registerTransformerLayers } from '../../src/coar/layers';

export interface VitShape {
  /** Patch size P (28 must be a multiple). */
  patch: number;
  /** Token width D. */
  dim: number;
  heads: number;
  /** MLP hidden units M per block. */
  mlp: number;
  blocks: number;
}

export const VIT_SHAPE: VitShape = { patch: 7, dim: 64, heads: 4, mlp: 128, blocks: 6 };

export const vitTokens = (s: VitShape) => (28 / s.patch) ** 2;
export const vitHeadCount = (s: VitShape) => s.blocks * s.heads;
export const vitMlpNeurons = (s: VitShape) => s.blocks * s.mlp;

/** Multiply-adds per image (projections, attention, MLP, patch embedding, head). */
export function vitMacs(s: VitShape, numClasses = 10): number {
  const T = vitTokens(s);
  const D = s.dim;
  const block = T * D * 3 * D + 2 * T * T * D + T * D * D + 2 * T * D * s.mlp;
  return T * s.patch * s.patch * D + s.blocks * block + D * numClasses;
}

export function buildVitModel(seed: number, shape: VitShape = VIT_SHAPE, numClasses = 10): tf.LayersModel {
  registerTransformerLayers();
  if (28 % shape.patch !== 0) throw new Error(`patch ${shape.patch} does not divide 28`);
  if (shape.dim % shape.heads !== 0) throw new Error(`dim ${shape.dim} is not a multiple of heads ${shape.heads}`);
  let s = seed;
  const glorot = () => tf.initializers.glorotUniform({ seed: s++ });
  const T = vitTokens(shape);
  const D = shape.dim;
  const sym = (l: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => l.apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: [28, 28, 1], name: 'image' });
  let x = sym(tf.layers.conv2d({ filters: D, kernelSize: shape.patch, strides: shape.patch, padding: 'valid', kernelInitializer: glorot(), name: 'patch_embedding' }), input);
  x = sym(tf.layers.reshape({ targetShape: [T, D], name: 'patches' }), x);
  const pos = sym(new PositionEmbedding({ sequenceLength: T, initializer: tf.initializers.truncatedNormal({ stddev: 0.02, seed: s++ }), name: 'position_embedding' }), x);
  x = sym(tf.layers.add({ name: 'add_positions' }), [x, pos]);
  for (let b = 1; b <= shape.blocks; b++) {
    const name = `block${b}`;
    const n1 = sym(tf.layers.layerNormalization({ epsilon: 1e-6, name: `${name}_norm1` }), x);
    const att = sym(new MultiHeadAttention({ numHeads: shape.heads, keyDim: D / shape.heads, kernelInitializer: glorot(), name: `${name}_attention` }), [n1, n1]);
    x = sym(tf.layers.add({ name: `${name}_attention_add` }), [x, att]);
    const n2 = sym(tf.layers.layerNormalization({ epsilon: 1e-6, name: `${name}_norm2` }), x);
    const hidden = sym(tf.layers.dense({ units: shape.mlp, activation: 'gelu', kernelInitializer: glorot(), name: `${name}_mlp_hidden` }), n2);
    const out = sym(tf.layers.dense({ units: D, kernelInitializer: glorot(), name: `${name}_mlp_out` }), hidden);
    x = sym(tf.layers.add({ name: `${name}_mlp_add` }), [x, out]);
  }
  x = sym(tf.layers.layerNormalization({ epsilon: 1e-6, name: 'final_norm' }), x);
  x = sym(tf.layers.globalAveragePooling1d({ name: 'gap' }), x);
  const logits = sym(tf.layers.dense({ units: numClasses, kernelInitializer: glorot(), name: 'logits' }), x);
  return tf.model({ inputs: input, outputs: logits, name: 'fashion_vit' });
}
