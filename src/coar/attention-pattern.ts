/**
 * Attention patterns: an attention layer's softmax weights for one input, every head, under a
 * keep-mask (what the model attends to with the current ablations), and where its tokens sit
 * on the image when they are patches.
 */
import * as tf from '@tensorflow/tfjs';
import type { ComponentIndex } from './components';
import { CoarError } from './errors';
import type { MaskedModel } from './execute';

interface ScoringAttention {
  numHeads: number;
  attentionScores(query: tf.Tensor, value: tf.Tensor, key?: tf.Tensor): tf.Tensor;
}

export interface AttentionPattern {
  layer: string;
  heads: number;
  /** Query and key positions. */
  queries: number;
  keys: number;
  /** [heads × queries × keys], each query's row sums to 1. */
  weights: Float32Array;
  /**
   * The key positions as a patch grid over the image, row-major, after `leading` tokens that are
   * not patches (a class token); null when the positions do not form a square grid.
   */
  grid: { rows: number; cols: number; leading: number } | null;
}

/** Square patch grids: T = s² patches, or a class token then s² patches. */
export function patchGrid(tokens: number): AttentionPattern['grid'] {
  for (const leading of [0, 1]) {
    const side = Math.round(Math.sqrt(tokens - leading));
    if (side >= 2 && side * side === tokens - leading) return { rows: side, cols: side, leading };
  }
  return null;
}

/** Attention weights of `layerName` for one input x [1, …], with components kept per `keep` [N]. */
export async function attentionPattern(masked: MaskedModel, components: ComponentIndex, layerName: string, x: tf.Tensor, keep: Float32Array): Promise<AttentionPattern> {
  const layer = masked.model.layers.find((l) => l.name === layerName);
  if (!layer || layer.getClassName() !== 'MultiHeadAttention') throw new CoarError(`"${layerName}" is not an attention layer of this model.`, 'unknown-layer');
  if (keep.length !== components.count) throw new CoarError(`Keep-mask has ${keep.length} entries for ${components.count} components.`, 'shape-mismatch');
  if (x.shape[0] !== 1) throw new CoarError('An attention pattern is shown for one input at a time.', 'internal');
  const scores = tf.tidy(() => {
    const [query, value, key] = masked.layerInputs(x, tf.tensor2d(keep, [1, keep.length]), layerName);
    return (layer as unknown as ScoringAttention).attentionScores(query, value ?? query, key);
  });
  const [, heads, queries, keys] = scores.shape;
  const weights = (await scores.data()) as Float32Array;
  scores.dispose();
  return { layer: layerName, heads, queries, keys, weights, grid: patchGrid(keys) };
}
