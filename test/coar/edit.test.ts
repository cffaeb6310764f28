import { describe, expect, it } from 'vitest';
import { predictWithAblated, topComponents, welchScores } from '../../src/coar/edit';
import { selectExamples } from '../../src/coar/selection';
import { defaultGoalMaxK, editDamage, goalReached, judgeEdit } from '../../src/coar/edit-outcome';

// 4 examples × 3 components.
const attributions = {
  componentCount: 3,
  weights: Float32Array.from([
    1, 0.5, -2,
    3, 0.5, -1,
    0, 0.4, 1,
    2, 0.6, 2,
  ]),
  bias: Float32Array.from([0, 1, 2, 3]),
};

describe('COAR-Edit scoring', () => {
  it('is the Welch t-statistic with population standard deviations', () => {
    const s = welchScores(attributions, [0, 1], [2, 3]);
    // component 0: target {1,3} mean 2 var 1; reference {0,2} mean 1 var 1 → (2−1)/sqrt(1/2+1/2) = 1
    expect(s[0]).toBeCloseTo(1, 6);
    // component 2: target {−2,−1} mean −1.5 var .25; reference {1,2} mean 1.5 var .25 → −3/sqrt(.25) = −6
    expect(s[2]).toBeCloseTo(-6, 6);
  });

  it('ranks the most negative scores first to raise the target, the most positive to lower it', () => {
    const s = Float64Array.from([1, -0.5, -6, 2]);
    expect(topComponents(s, 2, 'raise')).toEqual([2, 1]);
    expect(topComponents(s, 5, 'raise')).toEqual([2, 1]); // only components that move the target the wanted way
    expect(topComponents(s, 1, 'lower')).toEqual([3]);
    expect(() => topComponents(s, -1)).toThrow(/k must be a whole number/);
  });

  it('predicts an edit by removing the ablated components’ weights', () => {
    const p = predictWithAblated(attributions, [2]);
    expect(Array.from(p)).toEqual([1.5, 4.5, 2.4, 5.6].map((x) => Math.fround(x)));
  });

  it('refuses empty or out-of-range groups', () => {
    expect(() => welchScores(attributions, [], [1])).toThrow('Choose at least one target example');
    expect(() => welchScores(attributions, [0], [9])).toThrow('Example position 9 is outside the run (it has 4 examples).');
  });

  it('judges goals', () => {
    const g = (before: number, after: number) => ({ count: 1, accuracyBefore: before, accuracyAfter: after, meanMarginBefore: 0, meanMarginAfter: 0, predictedAccuracyAfter: null, predictedMeanMarginAfter: null });
    expect(goalReached('fix', g(0, 1))).toBe(true);
    expect(goalReached('fix', g(0, 0.5))).toBe(false);
    expect(goalReached('forget', g(0.9, 0.1))).toBe(true);
    expect(goalReached('backdoor', g(0.4, 0.69))).toBe(false);
    expect(goalReached('backdoor', g(0.4, 0.71))).toBe(true);
  });

  it('judges an edit on the damage outside the target: the larger drop of the reference and the wider set', () => {
    const g = (count: number, before: number, after: number) => ({ count, accuracyBefore: before, accuracyAfter: after, meanMarginBefore: 0, meanMarginAfter: 0, predictedAccuracyAfter: null, predictedMeanMarginAfter: null });
    const forget = { reference: g(55, 0.927, 0.782), evaluation: g(991, 0.923, 0.735) };
    expect(editDamage(forget)).toMatchObject({ group: 'evaluation', count: 991 });
    expect(editDamage(forget).drop).toBeCloseTo(0.188, 6);
    expect(judgeEdit(true, forget, 0.05).verdict).toBe('over-budget');
    expect(judgeEdit(true, forget, 0.2).verdict).toBe('success');
    expect(judgeEdit(false, forget, 0.2).verdict).toBe('not-reached');
    // A drop of exactly the budget is within it; a gain is no damage.
    expect(judgeEdit(true, { reference: g(10, 0.9, 0.85), evaluation: null }, 0.05).verdict).toBe('success');
    expect(judgeEdit(true, { reference: g(10, 0.8, 0.9), evaluation: null }, 0).verdict).toBe('success');
  });

  it('searches further on larger models', () => {
    expect([defaultGoalMaxK('fix', 272), defaultGoalMaxK('forget', 272), defaultGoalMaxK('backdoor', 272)]).toEqual([20, 27, 14]);
    expect(defaultGoalMaxK('backdoor', 2352)).toBe(118);
    expect(defaultGoalMaxK('fix', 14)).toBe(5);
    expect(defaultGoalMaxK('fix', 2)).toBe(2);
  });
});

describe('example selection', () => {
  const ctx = { examples: [10, 11, 12, 13, 14], labels: [0, 1, 1, 2, 1], baseMargins: [1, -1, 2, -0.5, 3], classNames: ['a', 'b', 'c'], subsets: { triggered: [12, 20] as [number, number] } };
  it('understands every form', () => {
    expect(selectExamples('example:11,13', ctx)).toEqual([1, 3]);
    expect(selectExamples('class:b', ctx)).toEqual([1, 2, 4]);
    expect(selectExamples('class:2', ctx)).toEqual([3]);
    expect(selectExamples('misclassified', ctx)).toEqual([1, 3]);
    expect(selectExamples('misclassified:b', ctx)).toEqual([1]);
    expect(selectExamples('subset:triggered', ctx)).toEqual([2, 3, 4]);
    expect(selectExamples('rest', ctx, [1, 3])).toEqual([0, 2, 4]);
  });
  it('explains what it cannot use', () => {
    expect(() => selectExamples('example:99', ctx)).toThrow('Example 99 is not in this run (its examples are data-set indices 10–14).');
    expect(() => selectExamples('class:zebra', ctx)).toThrow('Unknown class "zebra" (classes: 0=a, 1=b, 2=c).');
    expect(() => selectExamples('misclassified:c', { ...ctx, baseMargins: [1, 1, 1, 1, 1] })).toThrow('The selection "misclassified:c" matches no example of this run.');
    expect(() => selectExamples('subset:clean', ctx)).toThrow('The data set has no subset "clean" (it has: triggered).');
    expect(() => selectExamples('everything', ctx)).toThrow(/Cannot read the selection "everything"/);
  });
});
