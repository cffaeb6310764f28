import { APP_CONFIG } from '../../src/app-config';
import { describe, expect, it } from 'vitest';
import type { GroupOutcome } from '../../src/coar/edit-outcome';
import { defaultChoice, defaultMaxK, editKey, editSpecOf, goalResultText, presetChoice, referenceSpec, targetSpec } from '../../src/ui/state/edit-spec';
import { addressWithPreset, readUrlPresets } from '../../src/ui/state/url-state';
import { selectForEdit, selectReference, targetMembership } from '../../src/coar/selection';

const ctx = {
  examples: [0, 1, 2, 3, 500, 501, 502, 503],
  labels: [0, 1, 0, 1, 0, 8, 0, 1],
  baseMargins: [1, -2, 3, 4, -1, 2, -3, 1],
  classNames: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'Bag', 'nine'],
  subsets: { clean: [0, 500] as [number, number], triggered: [500, 1000] as [number, number] },
};

describe('edit choices as selection strings', () => {
  const base = defaultChoice(['clean', 'triggered']);
  it('turns each target kind into the CLI spelling', () => {
    expect(targetSpec(base, 23)).toEqual({ spec: 'example:23' });
    expect(targetSpec({ ...base, targetKind: 'example', targetExamples: '3, 5 3,9' }, 0)).toEqual({ spec: 'example:3,5,9' });
    expect(targetSpec({ ...base, targetKind: 'class', targetClass: 4 }, 0)).toEqual({ spec: 'class:4' });
    expect(targetSpec({ ...base, targetKind: 'misclassified', targetClass: 6 }, 0)).toEqual({ spec: 'misclassified:6' });
    expect(targetSpec({ ...base, targetKind: 'subset' }, 0)).toEqual({ spec: 'subset:triggered' });
  });
  it('explains bad input instead of sending it', () => {
    expect(targetSpec({ ...base, targetKind: 'example', targetExamples: '' }, 0)).toHaveProperty('error');
    expect(targetSpec({ ...base, targetKind: 'example', targetExamples: '3, x' }, 0)).toEqual({ error: expect.stringContaining('"x"') });
    expect(referenceSpec({ ...base, referenceKind: 'sample', referenceSample: '0' })).toHaveProperty('error');
    expect(targetSpec({ ...defaultChoice([]), targetKind: 'subset' }, 0)).toHaveProperty('error');
  });
  it('builds the worker spec and a key that tells results apart', () => {
    const parsed = editSpecOf({ ...base, referenceKind: 'sample', referenceSample: '12' }, 'demo', 7);
    expect(parsed).toEqual({ spec: { slot: 'demo', target: 'example:7', reference: 'sample:12', direction: 'raise' } });
    if (!('spec' in parsed)) throw new Error('no spec');
    expect(editKey(parsed.spec, 2)).not.toBe(editKey(parsed.spec, 3));
    expect(editKey(parsed.spec, 2)).not.toBe(editKey({ ...parsed.spec, direction: 'lower' }, 2));
  });
  it('sets the form to each preset', () => {
    expect(presetChoice('fix', base, 3, [])).toMatchObject({ targetKind: 'selected', referenceKind: 'rest', direction: 'raise' });
    expect(presetChoice('forget', base, 3, [])).toMatchObject({ targetKind: 'class', targetClass: 3, referenceKind: 'rest', direction: 'lower' });
    expect(presetChoice('backdoor', base, 3, ['clean', 'triggered'])).toMatchObject({ targetSubset: 'triggered', referenceSubset: 'clean', direction: 'raise' });
  });
  it('searches further on larger models (the same defaults as the CLI)', () => {
    expect(defaultMaxK('fix', 272)).toBe(20);
    expect(defaultMaxK('forget', 272)).toBe(27);
    expect(defaultMaxK('backdoor', 272)).toBe(14);
    expect(defaultMaxK('backdoor', 2352)).toBe(118);
    expect(defaultMaxK('fix', 2352)).toBe(176);
    // At least a few, never more than there are.
    expect(defaultMaxK('backdoor', 40)).toBe(5);
    expect(defaultMaxK('backdoor', 3)).toBe(3);
  });
  it('words goal results, judged on the damage outside the target', () => {
    const target: GroupOutcome = { count: 1, accuracyBefore: 0, accuracyAfter: 1, meanMarginBefore: -2, meanMarginAfter: 0.1, predictedAccuracyAfter: 0, predictedMeanMarginAfter: -1 };
    const reference: GroupOutcome = { ...target, count: 63, accuracyBefore: 0.9365, accuracyAfter: 0.9206 };
    const outcome = { k: 2, components: [4, 9], target, reference, evaluation: null, targetEvaluation: null };
    const ok = goalResultText({ goal: 'fix', reached: true, maxK: 20, outcome, datasetCount: 1000 }, 0.05);
    expect(ok.verdict).toBe('success');
    expect(ok.text).toBe('Fixed with k = 2 components (target accuracy 0.0% → 100.0%); the 63 reference examples lose 1.6 points (93.7% → 92.1%), within the 5-point budget.');
    // The same edit against a stricter budget: the goal is met, at a cost.
    const strict = goalResultText({ goal: 'fix', reached: true, maxK: 20, outcome, datasetCount: 1000 }, 0.01);
    expect(strict.verdict).toBe('over-budget');
    expect(strict.text).toMatch(/^Fixed with k = 2 components .*, but at a cost: the 63 reference examples lose 1\.6 points .*, over the 1-point budget\.$/);
    // The wider evaluation set counts when it lost more.
    const evaluation: GroupOutcome = { ...target, count: 900, accuracyBefore: 0.927, accuracyAfter: 0.782 };
    const forget = goalResultText({ goal: 'forget', reached: true, maxK: 27, outcome: { ...outcome, k: 9, evaluation }, datasetCount: 1000 }, 0.05);
    expect(forget.verdict).toBe('over-budget');
    expect(forget.damage.group).toBe('evaluation');
    expect(forget.text).toContain('the other 900 of the first 1,000 data-set images lose 14.5 points (92.7% → 78.2%), over the 5-point budget');
    const missed = goalResultText({ goal: 'backdoor', reached: false, maxK: 5, outcome: { ...outcome, k: 5, target: { ...target, accuracyBefore: 0.08, accuracyAfter: 0.12 } }, datasetCount: 1000 }, 0.05);
    expect(missed.verdict).toBe('not-reached');
    expect(missed.text).toMatch(/^Not reached with k ≤ 5: best k = 5 gives target accuracy 8\.0% → 12\.0%; the 63 reference examples lose 1\.6 points/);
  });
});

describe('target and reference examples in the worker', () => {
  it('selects like the CLI, and samples the reference reproducibly from the rest', () => {
    expect(selectForEdit('example:1', 'rest', ctx, 0)).toEqual({ target: [1], reference: [0, 2, 3, 4, 5, 6, 7] });
    expect(selectForEdit('subset:triggered', 'subset:clean', ctx, 0)).toEqual({ target: [4, 5, 6, 7], reference: [0, 1, 2, 3] });
    const a = selectReference('sample:3', ctx, [1], 5);
    expect(a).toHaveLength(3);
    expect(a).not.toContain(1);
    expect(selectReference('sample:3', ctx, [1], 5)).toEqual(a);
    expect(selectReference('sample:50', ctx, [1], 5)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(() => selectReference('sample:0', ctx, [1], 5)).toThrow(/whole number/);
    expect(() => selectForEdit('rest', 'rest', ctx, 0)).toThrow(/cannot be a target/);
  });
  it('counts a subset target\'s whole range as its side of the data set, else just its examples', () => {
    const sub = targetMembership('subset:triggered', selectForEdit('subset:triggered', 'rest', ctx, 0).target, ctx);
    expect(sub.subset).toBe('triggered');
    expect([499, 500, 999, 1000].map(sub.inTarget)).toEqual([false, true, true, false]);
    const one = targetMembership('example:2', selectForEdit('example:2', 'rest', ctx, 0).target, ctx);
    expect(one.subset).toBeNull();
    expect([1, 2, 3].map(one.inTarget)).toEqual([false, true, false]);
  });
});

describe('preset from the address', () => {
  it('reads ?preset= and reports unknown ones', () => {
    expect(readUrlPresets('').preset).toBe(APP_CONFIG.defaultPreset);
    expect(readUrlPresets('?preset=backdoor').preset).toBe('backdoor');
    const bad = readUrlPresets('?preset=cifar');
    expect(bad.preset).toBe(APP_CONFIG.defaultPreset);
    expect(bad.problems.join(' ')).toContain('preset=cifar');
  });
  it('rewrites the address keeping the other parameters', () => {
    expect(addressWithPreset('http://x/app/?backend=wasm', 'backdoor')).toBe('http://x/app/?backend=wasm&preset=backdoor');
    expect(addressWithPreset('http://x/app/?preset=backdoor', 'demo')).toBe('http://x/app/?preset=demo');
  });
});
