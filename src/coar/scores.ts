/**
 * Which numbers the margin is taken on. COAR's margin is a gap between logits (scores before any
 * softmax); most Keras classifiers end in a softmax, whose outputs are probabilities stuck in
 * [0, 1]. The final softmax or sigmoid is therefore bypassed when it can be separated from the
 * graph; when it cannot, the log of the outputs is used (log-softmax differs from the logits by
 * a per-example constant, so their gaps equal the logit gaps).
 */
import type * as tf from '@tensorflow/tfjs';

/** How class scores are read from the model. */
export type ScoreSource =
  /** The model's output as it is (its last layer already gives logits). */
  | 'as-is'
  /** The final softmax/sigmoid is skipped: the layer's pre-activation output (the logits). */
  | 'before-activation'
  /** log of the model's outputs (probabilities): for a softmax, the same gaps as the logits. */
  | 'log';

export const SCORE_SOURCES: readonly ScoreSource[] = ['as-is', 'before-activation', 'log'];

/** What a user may ask for: a source, or 'auto' (chosen from the model's last layers). */
export type ScoreChoice = ScoreSource | 'auto';
export const SCORE_CHOICES: readonly ScoreChoice[] = ['auto', ...SCORE_SOURCES];

export const SCORE_LABELS: Record<ScoreSource, string> = {
  'as-is': "the model's outputs as they are (logits)",
  'before-activation': 'logits: the final activation is bypassed',
  log: "log of the model's output probabilities (same gaps as the logits)",
};

export interface FinalActivation {
  /** The layer whose activation squashes the scores. */
  layer: string;
  activation: 'softmax' | 'sigmoid';
  /** True when it is the model's last step, so it can be skipped (or run as linear). */
  separable: boolean;
}

/** Layers that only move values around: a softmax before them still decides the outputs. */
const SHAPE_ONLY = new Set(['Flatten', 'Reshape', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise', 'Permute']);

function activationOf(layer: tf.layers.Layer): string | undefined {
  if (layer.getClassName() === 'Softmax') return 'softmax';
  const config = layer.getConfig() as { activation?: unknown };
  return typeof config.activation === 'string' ? config.activation : undefined;
}

/** The softmax or sigmoid that turns the model's scores into probabilities, if any. */
export function findFinalActivation(model: tf.LayersModel): FinalActivation | null {
  let layer: tf.layers.Layer | undefined = model.outputs[0]?.sourceLayer as tf.layers.Layer | undefined;
  let separable = true;
  while (layer) {
    const activation = activationOf(layer);
    if (activation === 'softmax' || activation === 'sigmoid') return { layer: layer.name, activation, separable };
    if (!SHAPE_ONLY.has(layer.getClassName()) && !(layer.getClassName() === 'Activation' && activation === 'linear')) return null;
    const inbound = layer.inboundNodes[0]?.inboundLayers;
    if (!inbound || inbound.length !== 1) return null;
    layer = inbound[0] as tf.layers.Layer;
    separable = false;
  }
  return null;
}

/** The source 'auto' stands for on this model. */
export function resolveScores(choice: ScoreChoice, final: FinalActivation | null): ScoreSource {
  if (choice !== 'auto') return choice;
  if (!final) return 'as-is';
  if (final.separable) return 'before-activation';
  // log(sigmoid) gaps are not logit gaps; a buried sigmoid is left as it is (and reported).
  return final.activation === 'softmax' ? 'log' : 'as-is';
}

/** Refuses a source that does not fit the model (e.g. bypassing an activation that is not there). */
export function scoreSourceProblem(source: ScoreSource, final: FinalActivation | null): string | null {
  if (source === 'before-activation' && !final?.separable) {
    return final
      ? `the ${final.activation} of layer "${final.layer}" is followed by other layers, so it cannot be bypassed; use log instead`
      : 'the model has no final softmax or sigmoid to bypass';
  }
  return null;
}

/** One sentence for summaries, the CLI and run listings: what the margins are computed on. */
export function describeScores(source: ScoreSource, final: FinalActivation | null): string {
  switch (source) {
    case 'before-activation':
      return `Margins are logit gaps: the final ${final?.activation ?? 'activation'}${final ? ` of layer "${final.layer}"` : ''} is bypassed.`;
    case 'log':
      return `Margins are gaps between log-probabilities${final ? ` (the ${final.activation} of layer "${final.layer}" cannot be separated)` : ''}; for a softmax they equal the logit gaps.`;
    case 'as-is':
      return final
        ? `Margins are taken on the model's ${final.activation} outputs (probabilities, within [−1, 1]), not on logits.`
        : "Margins are gaps between the model's outputs (its last layer has no softmax or sigmoid: logits).";
  }
}
