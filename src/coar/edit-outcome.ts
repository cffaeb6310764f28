/**
 * What an edit does: ablate components and compare, before and after, the target examples'
 * margin and accuracy and the reference accuracy — the actual model beside COAR's prediction —
 * plus the accuracy on a wider evaluation set (the data set, targets left out). The goal
 * presets search the smallest k that reaches their goal.
 */
import { runMaskRows, type AblationSession } from './ablate';
import { predictWithAblated, rankForEdit, type AttributionMatrix, type EditDirection } from './edit';
import { check } from './errors';
import { maskFromAblated } from './masks';
import type { EditGoal, EditOutcome, GroupOutcome } from './edit-judge';

export { DEFAULT_DAMAGE_BUDGET, defaultGoalMaxK, editDamage, GOAL_SEARCH, judgeEdit, type EditDamage, type EditGoal, type EditOutcome, type EditVerdict, type GroupOutcome } from './edit-judge';

export interface EditProblem {
  /** The run's examples: margins with nothing ablated, and their attributions. */
  session: AblationSession;
  baseMargins: Float32Array;
  attributions: AttributionMatrix;
  /** Positions (rows of the run) of the target and reference examples. */
  target: number[];
  reference: number[];
  direction: EditDirection;
  /** Optional wider evaluation sets (the reference side, and the target side), with unablated margins. */
  evaluation?: EvaluationSet;
  targetEvaluation?: EvaluationSet;
}

export interface EvaluationSet {
  session: AblationSession;
  baseMargins: Float32Array;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pick = (values: ArrayLike<number>, positions: number[]) => positions.map((j) => values[j]);
const accuracy = (margins: number[]) => margins.filter((m) => m > 0).length / margins.length;

/** Accuracy and mean margin before/after for one group of examples (margin > 0 = correct). */
export function groupOutcome(before: number[], after: number[], predicted: number[] | null): GroupOutcome {
  return {
    count: before.length,
    accuracyBefore: accuracy(before),
    accuracyAfter: accuracy(after),
    meanMarginBefore: mean(before),
    meanMarginAfter: mean(after),
    predictedAccuracyAfter: predicted ? accuracy(predicted) : null,
    predictedMeanMarginAfter: predicted ? mean(predicted) : null,
  };
}

/** Margins of every example in the session with these components ablated. */
export async function marginsWithAblated(session: AblationSession, componentCount: number, ablated: number[]): Promise<Float32Array> {
  check(session.output === 'margin', 'Edits are judged by the correct-class margin: make the run with output "margin".', 'bad-edit');
  return runMaskRows(session, maskFromAblated(componentCount, ablated), 0, 1, 'shared');
}

/** Every component that moves the target the wanted way relative to the reference, best first. */
export function rankComponents(p: EditProblem): number[] {
  return rankForEdit(p.attributions, p.target, p.reference, p.direction).ranked;
}

export async function evaluateEdit(p: EditProblem, components: number[]): Promise<EditOutcome> {
  const N = p.attributions.componentCount;
  const after = await marginsWithAblated(p.session, N, components);
  const predicted = predictWithAblated(p.attributions, components);
  const wider = async (set?: EvaluationSet) => set
    ? groupOutcome(Array.from(set.baseMargins), Array.from(await marginsWithAblated(set.session, N, components)), null)
    : null;
  return {
    k: components.length,
    components,
    target: groupOutcome(pick(p.baseMargins, p.target), pick(after, p.target), pick(predicted, p.target)),
    reference: groupOutcome(pick(p.baseMargins, p.reference), pick(after, p.reference), pick(predicted, p.reference)),
    evaluation: await wider(p.evaluation),
    targetEvaluation: await wider(p.targetEvaluation),
  };
}

export function goalReached(goal: EditGoal, target: GroupOutcome): boolean {
  switch (goal) {
    case 'fix': return target.accuracyAfter === 1;
    case 'forget': return target.accuracyAfter <= 0.1;
    case 'backdoor': return target.accuracyAfter - target.accuracyBefore >= 0.3;
  }
}

export const GOAL_DIRECTION: Record<EditGoal, EditDirection> = { fix: 'raise', forget: 'lower', backdoor: 'raise' };

export interface GoalSearch {
  goal: EditGoal;
  reached: boolean;
  /** The smallest k that reaches the goal, else the k (≤ maxK) with the best target result. */
  outcome: EditOutcome;
  /** Target accuracy and mean margin for each k tried, 1..maxK (actual model). */
  curve: { k: number; accuracy: number; meanMargin: number }[];
}

/** Tries k = 1, 2, … maxK top-ranked components on the targets; full outcome at the chosen k. `onStep` hears each k tried. */
export async function searchSmallestK(p: EditProblem, goal: EditGoal, maxK: number, onStep?: (k: number, last: number) => void | Promise<void>): Promise<GoalSearch> {
  const ranked = rankComponents(p);
  const N = p.attributions.componentCount;
  const curve: GoalSearch['curve'] = [];
  let chosen = -1;
  let best = { k: 0, score: -Infinity };
  const sign = p.direction === 'raise' ? 1 : -1;
  const last = Math.min(maxK, ranked.length);
  for (let k = 1; k <= last; k++) {
    await onStep?.(k, last);
    const after = pick(await marginsWithAblated(p.session, N, ranked.slice(0, k)), p.target);
    const target = groupOutcome(pick(p.baseMargins, p.target), after, null);
    curve.push({ k, accuracy: target.accuracyAfter, meanMargin: target.meanMarginAfter });
    const score = sign * (target.accuracyAfter + 1e-3 * target.meanMarginAfter);
    if (score > best.score) best = { k, score };
    if (goalReached(goal, target)) { chosen = k; break; }
  }
  const k = chosen > 0 ? chosen : best.k;
  return { goal, reached: chosen > 0, outcome: await evaluateEdit(p, ranked.slice(0, k)), curve };
}
