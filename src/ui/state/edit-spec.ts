/**
 * The Edit panel's choices as the selection strings the worker reads (the CLI's --target and
 * --reference), the goal presets' defaults, and the words for their results. Pure; tested in Node.
 */
import { APP_CONFIG } from '../../app-config';
import type { EditDirection } from '../../coar/edit';
import { defaultGoalMaxK, judgeEdit, type EditDamage, type EditGoal, type EditVerdict } from '../../coar/edit-judge';
import type { EditSpec, GoalView, RunSlot } from '../../worker/protocol/protocol';
import { percent } from '../format/format';

export type TargetKind = 'selected' | 'example' | 'class' | 'misclassified' | 'subset';
export type ReferenceKind = 'rest' | 'sample' | 'class' | 'subset';

export interface EditChoice {
  targetKind: TargetKind;
  /** Data-set indices, comma-separated (targetKind 'example'). */
  targetExamples: string;
  targetClass: number;
  targetSubset: string;
  referenceKind: ReferenceKind;
  referenceSample: string;
  referenceClass: number;
  referenceSubset: string;
  direction: EditDirection;
}

export function defaultChoice(subsets: string[]): EditChoice {
  return {
    targetKind: 'selected', targetExamples: '', targetClass: 0, targetSubset: subsets[subsets.length - 1] ?? '',
    referenceKind: 'rest', referenceSample: String(APP_CONFIG.edit.referenceSample), referenceClass: 0, referenceSubset: subsets[0] ?? '',
    direction: 'raise',
  };
}

/** The target description, or an error message for the form. `selected` is the data-set index of the gallery's selection. */
export function targetSpec(c: EditChoice, selected: number): { spec: string } | { error: string } {
  switch (c.targetKind) {
    case 'selected': return { spec: `example:${selected}` };
    case 'example': {
      const parts = c.targetExamples.split(/[\s,]+/).filter(Boolean);
      if (parts.length === 0) return { error: 'Type the data-set index of one example or more (e.g. 3, 5, 9).' };
      const bad = parts.find((p) => !/^\d+$/.test(p));
      if (bad !== undefined) return { error: `"${bad}" is not a data-set index (a whole number ≥ 0).` };
      return { spec: `example:${[...new Set(parts.map(Number))].join(',')}` };
    }
    case 'class': return { spec: `class:${c.targetClass}` };
    case 'misclassified': return { spec: `misclassified:${c.targetClass}` };
    case 'subset': return c.targetSubset ? { spec: `subset:${c.targetSubset}` } : { error: 'This data set has no named subsets.' };
  }
}

export function referenceSpec(c: EditChoice): { spec: string } | { error: string } {
  switch (c.referenceKind) {
    case 'rest': return { spec: 'rest' };
    case 'sample': {
      const s = Number(c.referenceSample);
      return Number.isInteger(s) && s >= 1 ? { spec: `sample:${s}` } : { error: 'The sample size must be a whole number ≥ 1.' };
    }
    case 'class': return { spec: `class:${c.referenceClass}` };
    case 'subset': return c.referenceSubset ? { spec: `subset:${c.referenceSubset}` } : { error: 'This data set has no named subsets.' };
  }
}

/** The spec for the worker, or the first problem with the choice. */
export function editSpecOf(c: EditChoice, slot: RunSlot, selected: number): { spec: EditSpec } | { error: string } {
  const t = targetSpec(c, selected);
  if ('error' in t) return t;
  const r = referenceSpec(c);
  if ('error' in r) return r;
  return { spec: { slot, target: t.spec, reference: r.spec, direction: c.direction } };
}

/** Identifies one edit (spec and k), to tell whether a shown result is the current one. */
export const editKey = (spec: EditSpec, k: number) => `${spec.slot}|${spec.target}|${spec.reference}|${spec.direction}|${k}`;

/** The largest k a goal search tries by default (as `coar edit --goal` does): it follows N. */
export const defaultMaxK = (goal: EditGoal, componentCount: number) => defaultGoalMaxK(goal, componentCount);

const DONE: Record<EditGoal, string> = { fix: 'Fixed', forget: 'Forgotten', backdoor: 'Backdoor removed' };

const plural = (k: number) => `${k} component${k === 1 ? '' : 's'}`;
const points = (x: number) => `${(100 * Math.abs(x)).toFixed(1)} point${Math.abs(100 * x).toFixed(1) === '1.0' ? '' : 's'}`;

/** Where the damage was measured, in words. */
export function damageWhere(d: EditDamage, datasetCount: number): string {
  return d.group === 'reference' ? `the ${d.count.toLocaleString('en-US')} reference examples` : `the other ${d.count.toLocaleString('en-US')} of the first ${datasetCount.toLocaleString('en-US')} data-set images`;
}

/** "lose 0.3 points (93.4% → 93.1%)" or "gain 1.0 point (…)". */
export function damageText(d: EditDamage): string {
  return `${d.drop > 0 ? 'lose' : d.drop < 0 ? 'gain' : 'lose'} ${points(d.drop)} (${percent(d.accuracyBefore)} → ${percent(d.accuracyAfter)})`;
}

/** The budget in words: "the 5-point budget". */
export const budgetText = (budget: number) => `the ${Number((100 * budget).toFixed(2))}-point budget`;

/**
 * The verdict on a goal search, in words: "Fixed with k = 2 components (…); the reference examples
 * lose 0.3 points (…), within the 5-point budget." — or the cost when over budget, or "Not reached …".
 */
export function goalResultText(v: Pick<GoalView, 'goal' | 'reached' | 'maxK' | 'outcome' | 'datasetCount'>, budget: number): { verdict: EditVerdict; text: string; damage: EditDamage } {
  const t = v.outcome.target;
  const change = `target accuracy ${percent(t.accuracyBefore)} → ${percent(t.accuracyAfter)}`;
  const { verdict, damage } = judgeEdit(v.reached, v.outcome, budget);
  const elsewhere = `${damageWhere(damage, v.datasetCount)} ${damageText(damage)}`;
  switch (verdict) {
    case 'success': return { verdict, damage, text: `${DONE[v.goal]} with k = ${plural(v.outcome.k)} (${change}); ${elsewhere}, within ${budgetText(budget)}.` };
    case 'over-budget': return { verdict, damage, text: `${DONE[v.goal]} with k = ${plural(v.outcome.k)} (${change}), but at a cost: ${elsewhere}, over ${budgetText(budget)}.` };
    case 'not-reached': return { verdict, damage, text: `Not reached with k ≤ ${v.maxK}: best k = ${v.outcome.k} gives ${change}; ${elsewhere}.` };
  }
}

/** Which choice shows a preset's target and reference in the form. */
export function presetChoice(goal: EditGoal, base: EditChoice, selectedLabel: number, subsets: string[]): EditChoice {
  switch (goal) {
    case 'fix': return { ...base, targetKind: 'selected', referenceKind: 'rest', direction: 'raise' };
    case 'forget': return { ...base, targetKind: 'class', targetClass: selectedLabel, referenceKind: 'rest', direction: 'lower' };
    case 'backdoor': return {
      ...base, targetKind: 'subset', targetSubset: subsets.includes('triggered') ? 'triggered' : base.targetSubset,
      referenceKind: 'subset', referenceSubset: subsets.includes('clean') ? 'clean' : base.referenceSubset, direction: 'raise',
    };
  }
}
