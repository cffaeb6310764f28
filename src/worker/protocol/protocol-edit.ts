/**
 * The COAR-Edit and evaluation part of the worker protocol (see protocol.ts for the rules:
 * requests carry an id; progress, then one result or error). Types only, no tfjs.
 */
import type { BaselineName } from '../../coar/baselines';
import type { EditDirection } from '../../coar/edit';
import type { EditGoal, EditOutcome, GoalSearch } from '../../coar/edit-outcome';
import type { MaskCurvePoint } from '../../coar/curves';
import type { RunSlot } from './protocol-views';

/** Which examples an edit changes and which it keeps, by description. */
export interface EditSpec {
  slot: RunSlot;
  /** Target (the behaviour to change): example:J[,J…] | class:C | misclassified[:C] | subset:NAME. */
  target: string;
  /** Reference (the behaviour to keep): rest | sample:S (S random examples of the rest) | class:C | subset:NAME. Target examples are left out. */
  reference: string;
  /** Raise or lower the target's margin (goal searches use the goal's own direction). */
  direction: EditDirection;
}

export type EditRequest =
  /** Ablate the top k components of COAR-Edit's ranking; before/after, actual and COAR-predicted. */
  | { id: number; type: 'edit'; spec: EditSpec; k: number }
  /** The smallest k (≤ maxK) that reaches the goal (searchSmallestK). */
  | { id: number; type: 'edit-goal'; spec: EditSpec; goal: EditGoal; maxK: number }
  /** A copy of the model with these components' weights zeroed, as model.json + weights.bin. */
  | { id: number; type: 'export-edited-model'; slot: RunSlot; components: number[] }
  /** Held-out correlation against alpha (COAR and baselines on the same masks) and against the number of masks. Cancellable. */
  | { id: number; type: 'evaluate'; slot: RunSlot; options: EvaluationOptions };

export interface EditView {
  spec: EditSpec;
  /** Data-set indices of the target examples (in the run) and how many reference examples there are. */
  targetExamples: number[];
  referenceCount: number;
  /** Components that move the target the wanted way, in COAR-Edit order: how many, and the first few with their Welch scores. */
  rankedCount: number;
  ranked: number[];
  scores: number[];
  /** The actual model (and COAR's prediction) with outcome.components ablated. `evaluation`: the data set without the targets; `targetEvaluation`: a subset target's whole subset. */
  outcome: EditOutcome;
  /** Data-set images the wider groups were drawn from (the first `datasetCount`). */
  datasetCount: number;
  seconds: number;
}

export interface GoalView extends EditView {
  goal: EditGoal;
  maxK: number;
  reached: boolean;
  curve: GoalSearch['curve'];
}

export interface EditedModelFiles {
  /** The run's model name, for the download's folder name. */
  modelName: string;
  modelJson: string;
  /** Transferred. */
  weights: ArrayBuffer;
  weightsFileName: string;
  components: number[];
}

export interface EvaluationOptions {
  alphas: number[];
  masksPerAlpha: number;
  baselines: BaselineName[];
}

export interface EvaluationView {
  slot: RunSlot;
  /** The alpha the attributions were fitted at. */
  trainedAlpha: number;
  masksPerAlpha: number;
  exampleCount: number;
  methods: string[];
  /** Mean held-out correlation per method at each alpha (the same fresh masks for every method). */
  alpha: { alpha: number; masks: number; mean: Record<string, number> }[];
  /** Per-example correlation per method at the alpha nearest the fitted one (NaN where undefined). */
  perExample: { alpha: number; values: Record<string, number[]> };
  /** Validation correlation after refitting on the first m computed masks. */
  maskCurve: MaskCurvePoint[];
  /** Why the mask curve is empty, when it is. */
  maskCurveProblem: string | null;
  seconds: number;
}

export interface EditResultOf {
  edit: EditView;
  'edit-goal': GoalView;
  'export-edited-model': EditedModelFiles;
  evaluate: EvaluationView;
}
