/**
 * Judging an edit on the whole picture, without tfjs (the page imports it): the goals, how far a
 * goal search looks by default (it follows the number of components N), and the verdict — success
 * only when the goal is met and the accuracy lost outside the target stays within a budget.
 */

/** Before and after an edit, for one group of examples (the page shows these; edit-outcome.ts computes them). */
export interface GroupOutcome {
  count: number;
  accuracyBefore: number;
  accuracyAfter: number;
  meanMarginBefore: number;
  meanMarginAfter: number;
  /** COAR's prediction of the same, from the attributions alone (null for the evaluation set). */
  predictedAccuracyAfter: number | null;
  predictedMeanMarginAfter: number | null;
}

export interface EditOutcome {
  k: number;
  components: number[];
  target: GroupOutcome;
  reference: GroupOutcome;
  /** The evaluation set (e.g. the whole data set minus the targets); actual numbers only. */
  evaluation: GroupOutcome | null;
  /** The target's wider population (e.g. every triggered image of the data set); actual numbers only. */
  targetEvaluation: GroupOutcome | null;
}

export type EditGoal =
  /** Every target example becomes correctly classified. */
  | 'fix'
  /** Target accuracy falls to 10% or less. */
  | 'forget'
  /** Target accuracy rises by at least 30 points (triggered inputs classified correctly again). */
  | 'backdoor';

/**
 * How far a goal search looks by default: a share of the run's N components (so a model ten times
 * larger is searched ten times further), at least `minK` (never more than N). Measured on the
 * bundled runs: fixing example 23 of the demo (N = 272) takes k = 2; removing the demo backdoor
 * k = 9 (N = 272) and the paper-scale one k = 21 (N = 2,352).
 */
export const GOAL_SEARCH = {
  share: { fix: 0.075, forget: 0.1, backdoor: 0.05 } as Record<EditGoal, number>,
  minK: 5,
};

/** The largest k a goal search tries by default, for N components. */
export function defaultGoalMaxK(goal: EditGoal, componentCount: number): number {
  const N = Math.max(1, componentCount);
  return Math.min(N, Math.max(GOAL_SEARCH.minK, Math.round(GOAL_SEARCH.share[goal] * N)));
}

/** Accuracy points (as a fraction: 0.05 = 5 points) the examples outside the target may lose before an edit stops counting as a success. */
export const DEFAULT_DAMAGE_BUDGET = 0.05;

/** The damage an edit does outside its target: the larger accuracy drop of the reference and of the wider evaluation set. */
export interface EditDamage {
  group: 'reference' | 'evaluation';
  count: number;
  accuracyBefore: number;
  accuracyAfter: number;
  /** Accuracy lost, as a fraction (0.145 = 14.5 points); negative when accuracy rose. */
  drop: number;
}

export function editDamage(o: Pick<EditOutcome, 'reference' | 'evaluation'>): EditDamage {
  const of = (group: EditDamage['group'], g: GroupOutcome): EditDamage => ({
    group, count: g.count, accuracyBefore: g.accuracyBefore, accuracyAfter: g.accuracyAfter, drop: g.accuracyBefore - g.accuracyAfter,
  });
  const candidates = [o.reference.count > 0 ? of('reference', o.reference) : null, o.evaluation && o.evaluation.count > 0 ? of('evaluation', o.evaluation) : null]
    .filter((d): d is EditDamage => d !== null);
  if (candidates.length === 0) return { group: 'reference', count: 0, accuracyBefore: 0, accuracyAfter: 0, drop: 0 };
  return candidates.reduce((worst, d) => (d.drop > worst.drop ? d : worst));
}

/** success: the goal is met and the damage is within budget; over-budget: met, at too high a cost; not-reached. */
export type EditVerdict = 'success' | 'over-budget' | 'not-reached';

export function judgeEdit(reached: boolean, o: Pick<EditOutcome, 'reference' | 'evaluation'>, budget: number): { verdict: EditVerdict; damage: EditDamage } {
  const damage = editDamage(o);
  // A hair of rounding slack: a drop of exactly the budget is within it.
  const verdict: EditVerdict = !reached ? 'not-reached' : damage.drop <= budget + 1e-9 ? 'success' : 'over-budget';
  return { verdict, damage };
}

