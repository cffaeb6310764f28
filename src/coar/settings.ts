/**
 * Every tunable of a COAR run, declared once with its default and meaning.
 * The CLI, the worker and the tests all start from these.
 */
import type { AblationKind } from './ablation-kinds';
import type { SamplingMode } from './masks';
import type { ScoreSource } from './scores';

/** The allowed values of the settings that are choices (the CLI, the URL and run files check against these). */
export { ABLATION_KINDS, type AblationKind } from './ablation-kinds';
export const OUTPUT_KINDS: readonly OutputKind[] = ['margin', 'logit', 'logprob'];
export const SAMPLING_MODES: readonly SamplingMode[] = ['bernoulli', 'exact'];

/** What is recorded per (example, mask). */
export type OutputKind =
  /** Correct-class margin: true logit − the largest other logit (the paper's). */
  | 'margin'
  /** The true class's logit. */
  | 'logit'
  /** log-softmax probability of the true class. */
  | 'logprob';

export interface RunSettings {
  /** Fraction of components ablated per random subset. Paper: 0.1 (CIFAR), 0.05 (ImageNet). */
  alpha: number;
  /** Random subsets used to fit the estimator. */
  trainMasks: number;
  /** Held-out subsets used to choose the ridge penalty and report the fit's correlation. */
  valMasks: number;
  seed: number;
  sampling: SamplingMode;
  ablation: AblationKind;
  output: OutputKind;
  /**
   * What the margin is taken on: logits read before a final softmax/sigmoid, the log of the
   * outputs, or the outputs as they are. Run files from before this field hold 'as-is'.
   */
  scores: ScoreSource;
  /** Names of the layers whose components are included (empty = all eligible layers). */
  layers: string[];
  /** Indices into the data set of the examples studied. */
  examples: number[];
}

/** Defaults; `scores` depends on the model (resolveScores in scores.ts). */
export const DEFAULT_SETTINGS: Omit<RunSettings, 'examples' | 'layers' | 'scores'> = {
  alpha: 0.05,
  trainMasks: 600,
  valMasks: 100,
  seed: 0,
  sampling: 'bernoulli',
  ablation: 'zero-weights',
  output: 'margin',
};

/** Ridge penalties tried on the validation masks, as multiples of the features' mean variance × m. */
export const RIDGE_GRID = [0, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

/** Held-out masks per alpha in evaluation (the paper uses 100). */
export const DEFAULT_EVAL_MASKS = 100;
