/**
 * What an ablation kind says about itself: how a switched-off component's signal is replaced
 * during masked execution, and whether (and how) the edit can be written into the weights.
 * A new kind is one file implementing this plus one line in ./index.ts. Kind files import
 * tfjs for types only (the page reads their labels without loading tfjs).
 */
import type * as tf from '@tensorflow/tfjs';

export interface AblatedSignal {
  /** The component layer's per-component signal without bias ([B, …, count] or the kind's shape). */
  signal: tf.Tensor;
  bias: tf.Tensor | null;
  /** 1 = kept, 0 = switched off, shaped to broadcast over `signal`. */
  keep: tf.Tensor;
  /** The signal + bias averaged over the run's examples (only for kinds with needsMean). */
  mean?: tf.Tensor;
}

export interface AblationKindSpec<Id extends string = string> {
  readonly id: Id;
  /** A few words for menus ("zero the weights, keep the bias"). */
  readonly help: string;
  /** Needs each layer's mean signal over the studied examples before masking. */
  readonly needsMean: boolean;
  /** How an edit is stored in the weights; null: it cannot be (no weight copy reproduces it). */
  readonly inWeights: { maskBias: boolean } | null;
  /** The layer's pre-activation output with the masked components replaced. */
  apply(s: AblatedSignal): tf.Tensor;
}
