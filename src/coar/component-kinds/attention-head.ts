/**
 * Heads of a MultiHeadAttention layer (src/coar/layers/multi-head-attention.ts). Switching a head
 * off zeroes its slice of the attention output before the output projection, the paper's
 * definition for ViT and GPT-2; in the weights that is the head's rows of the output kernel.
 * The projection's bias belongs to no head and stays.
 */
import type * as tf from '@tensorflow/tfjs';
import { CoarError } from '../errors';
import type { ComponentKind } from './kind';

/** What this kind needs from the attention layer. */
interface HeadedAttention {
  numHeads: number;
  headOutputs(query: tf.Tensor, value: tf.Tensor, key?: tf.Tensor): tf.Tensor;
  project(heads: tf.Tensor): tf.Tensor;
}

function attentionInputs(layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[]): [tf.Tensor, tf.Tensor, tf.Tensor | undefined] {
  const list = Array.isArray(input) ? input : [input, input];
  if (list.length < 2 || list.length > 3) throw new CoarError(`Layer "${layer.name}" got ${list.length} inputs; attention takes query, value and an optional key.`, 'unsupported-layer');
  return [list[0], list[1], list[2]];
}

export const attentionHead: ComponentKind = {
  id: 'attention-head',
  unit: 'head',
  units: 'heads',
  description: 'an attention head: switching it off zeroes its output before the output projection',
  layerClasses: ['MultiHeadAttention'],
  matches: (layer) => layer.getClassName() === 'MultiHeadAttention',
  count: (layer) => (layer as unknown as HeadedAttention).numHeads,
  runMasked(layer, input, mask) {
    const attention = layer as unknown as HeadedAttention;
    const [query, value, key] = attentionInputs(layer, input);
    const heads = attention.headOutputs(query, value, key); // [B, T, H, valueDim]
    const H = attention.numHeads;
    return attention.project(mask(heads, null, (rows) => [rows, 1, H, 1]));
  },
  ablateWeights(weights, heads) {
    return weights.map((w) => {
      if (!/(^|\/)attention_output\/kernel$/.test(w.name)) return w;
      // kernel [H, valueDim, out]: head h owns one contiguous block.
      const block = w.values.length / w.shape[0];
      const values = w.values.slice();
      for (const h of heads) values.fill(0, h * block, (h + 1) * block);
      return { ...w, values };
    });
  },
};
