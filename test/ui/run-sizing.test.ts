/** Settings that follow the model's size, and the evaluation's reading of when COAR is needed. */
import { describe, expect, it } from 'vitest';
import { componentsOffPerMask, suggestedAlpha, suggestedMasks, tooFewMasksWarning } from '../../src/coar/run-defaults';
import { whenCoarMatters } from '../../src/ui/charts/eval-data';
import type { EvaluationView } from '../../src/worker/protocol/protocol';

describe('run settings from N', () => {
  it('alpha and masks follow the paper: 0.05 for small models, 0.10 at CIFAR ResNet size; at least 4×N masks', () => {
    expect([272, 2304, 22720].map(suggestedAlpha)).toEqual([0.05, 0.1, 0.05]);
    expect(suggestedMasks(272)).toBe(1100);
    expect(suggestedMasks(2304)).toBe(9300);
    expect(suggestedMasks(50)).toBe(600);
    expect(suggestedMasks(2304)).toBeGreaterThanOrEqual(4 * 2304);
  });
  it('components off per mask is binomial', () => {
    const off = componentsOffPerMask(2304, 0.1);
    expect(off.mean).toBeCloseTo(230.4, 6);
    expect(off.sd).toBeCloseTo(Math.sqrt(2304 * 0.1 * 0.9), 6);
  });
  it('warns when there are fewer masks than components', () => {
    expect(tooFewMasksWarning(2304, 600)).toMatch(/^600 masks for 2,304 components: .* use at least 2,304, ideally 9,300\.$/);
    expect(tooFewMasksWarning(272, 600)).toBeNull();
  });
});

const view = (rows: [number, number, number][]): EvaluationView => ({
  slot: 'demo', trainedAlpha: 0.05, masksPerAlpha: 50, exampleCount: 4, methods: ['coar', 'loo'],
  alpha: rows.map(([alpha, coar, loo]) => ({ alpha, masks: 50, mean: { coar, loo } })),
  perExample: { alpha: 0.05, values: {} }, maskCurve: [], maskCurveProblem: null, seconds: 1,
});

describe('when one-at-a-time estimates suffice', () => {
  it('names the alpha from which COAR is clearly better (the demo curve of the engineering notes)', () => {
    const lesson = whenCoarMatters(view([[0.1, 0.845, 0.785], [0.025, 0.921, 0.939], [0.05, 0.912, 0.887], [0.2, 0.64, 0.553]]), 272)!;
    expect(lesson.needed).toBe(true);
    expect(lesson.text).toMatch(/^From alpha 0\.1 \(about 27 components off per mask\) COAR predicts clearly better than leave-one-out \(0\.84 against 0\.79 at alpha 0\.1\)/);
    expect(lesson.text).toMatch(/Below that \(0\.92 against 0\.94 at alpha 0\.025; 0\.91 against 0\.89 at alpha 0\.05\), one-at-a-time estimates are nearly as good\.$/);
  });
  it('says one-at-a-time suffices when leave-one-out stays within 0.05', () => {
    const lesson = whenCoarMatters(view([[0.05, 0.967, 0.967], [0.1, 0.9, 0.88]]), 144)!;
    expect(lesson.needed).toBe(false);
    expect(lesson.text).toMatch(/one-at-a-time estimates suffice/);
  });
  it('has nothing to say without leave-one-out', () => {
    expect(whenCoarMatters(view([[0.05, 0.9, NaN]]), 10)).toBeNull();
  });
});
