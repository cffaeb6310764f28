/**
 * The Edit panel's choices as the selection strings the worker reads (the CLI's --target and
 * --reference), the goal presets' defaults, and the words for their results. Pure; tested in Node.
 */
import { APP_CONFIG } from '../app-config';
import type { EditDirection } from '../coar/edit';
import type { EditGoal } from '../coar/edit-outcome';
import type { EditSpec, GoalView, RunSlot } from '../worker/protocol';
import { percent } from './format';

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

/** The largest k a goal search tries by default (as `coar edit --goal` does). */
export function defaultMaxK(goal: EditGoal, componentCount: number): number {
  const { fix, forgetShare, backdoorShare } = APP_CONFIG.edit.maxK;
  switch (goal) {
    case 'fix': return Math.min(fix, componentCount);
    case 'forget': return Math.max(1, Math.round(forgetShare * componentCount));
    case 'backdoor': return Math.max(1, Math.round(backdoorShare * componentCount));
  }
}

const DONE: Record<EditGoal, string> = { fix: 'Fixed', forget: 'Forgotten', backdoor: 'Backdoor removed' };

const plural = (k: number) => `${k} component${k === 1 ? '' : 's'}`;

/** "Fixed with k = 2 components", or "Not reached with k ≤ 5: best k = 5 …". */
export function goalResultText(v: Pick<GoalView, 'goal' | 'reached' | 'maxK' | 'outcome'>): string {
  const t = v.outcome.target;
  const change = `target accuracy ${percent(t.accuracyBefore)} → ${percent(t.accuracyAfter)}`;
  if (v.reached) return `${DONE[v.goal]} with k = ${plural(v.outcome.k)} (${change}).`;
  return `Not reached with k ≤ ${v.maxK}: best k = ${v.outcome.k} gives ${change}.`;
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
