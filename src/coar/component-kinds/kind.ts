/**
 * What a component kind says about itself. The engine (discovery, masked execution, weight
 * edits) and every name or label the CLI, worker and page show come from these entries; a new
 * kind is one file implementing this plus one line in ./index.ts.
 *
 * Kind files import tfjs for types only: the tensors they work on come from the caller, so the
 * page can read their names and labels without loading tfjs.
 */
import type * as tf from '@tensorflow/tfjs';

/** One weight of a layer as plain numbers, in the layer's getWeights() order. */
export interface FlatWeight {
  /** The weight's name inside its layer, e.g. "kernel" or "attention_output/kernel". */
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Ablates a layer's per-component signal. `signal` is the part each component writes (without
 * any bias, which comes separately); `keepShape(rows)` is how a [rows, count] keep slice must be
 * reshaped to broadcast over it. Supplied by the masked model, which knows the ablation kind.
 */
export type SignalMask = (signal: tf.Tensor, bias: tf.Tensor | null, keepShape: (rows: number) => number[]) => tf.Tensor;

export interface ComponentKind {
  /** Stable id, written into run files. */
  readonly id: string;
  /** What one component is called, singular and plural ("filter", "filters"). */
  readonly unit: string;
  readonly units: string;
  /** One sentence for tooltips and help: what switching one off means. */
  readonly description: string;
  /** The tfjs layer classes this kind can own (a kind may still decline a layer in `matches`). */
  readonly layerClasses: readonly string[];
  /** Whether this kind owns the layer's components (the first matching kind in the list wins). */
  matches(layer: tf.layers.Layer): boolean;
  /** How many components the layer has; throws a CoarError naming the layer when it cannot be masked. */
  count(layer: tf.layers.Layer): number;
  /**
   * Runs the layer with its components masked through `mask`. `linearActivation`: run the
   * layer's own activation as linear (the final softmax bypassed for margins on logits).
   */
  runMasked(layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[], mask: SignalMask, linearActivation: boolean): tf.Tensor;
  /**
   * Optional fast path for one keep row shared by the batch: fold `keep` ([count]) into the
   * weights for one call. `maskBias`: the bias is switched off with its component.
   */
  runWithWeightKeep?(layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[], keep: tf.Tensor1D, maskBias: boolean, linearActivation: boolean): tf.Tensor;
  /** The layer's weights with `components` (indices within the layer) switched off, as an exported edit stores them. */
  ablateWeights(weights: FlatWeight[], components: readonly number[], maskBias: boolean): FlatWeight[];
}
