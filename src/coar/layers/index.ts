/**
 * The transformer layers tfjs-layers lacks, registered with tfjs's serialization so that
 * tf.loadLayersModel builds them from a Keras model.json: MultiHeadAttention (Keras) and
 * PositionEmbedding (Keras Hub / KerasNLP). GELU needs nothing: tfjs's 'gelu' activation is the
 * exact erf form, Keras's default (approximate=False).
 */
import * as tf from '@tensorflow/tfjs';
import { MultiHeadAttention } from './multi-head-attention';
import { PositionEmbedding } from './position-embedding';
import { registerFastTileGradient } from './tile-gradient';

export { MultiHeadAttention, type MultiHeadAttentionArgs } from './multi-head-attention';
export { PositionEmbedding, type PositionEmbeddingArgs } from './position-embedding';
export { registerFastTileGradient } from './tile-gradient';

/** Class names of the layers registered here. */
export const TRANSFORMER_LAYER_CLASSES = [MultiHeadAttention.className, PositionEmbedding.className] as const;

let registered = false;

/**
 * Registers the layers with tfjs (idempotent; call before loading a model that uses them), and a
 * faster exact gradient for Tile (tile-gradient.ts), which LayerNormalization's training needs.
 */
export function registerTransformerLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(MultiHeadAttention);
  tf.serialization.registerClass(PositionEmbedding);
  registerFastTileGradient();
  registered = true;
}
