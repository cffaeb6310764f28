import { describe, expect, it } from 'vitest';
import type { EvaluationView } from '../../src/worker/protocol/protocol';
import { alphaSeries, chartFileStem, maskSeries, perExampleSeries, perExampleSummary, quantile, spacedTicks } from '../../src/ui/charts/eval-data';

const view: EvaluationView = {
  slot: 'demo', trainedAlpha: 0.05, masksPerAlpha: 50, exampleCount: 4, methods: ['coar', 'loo'],
  alpha: [
    { alpha: 0.1, masks: 50, mean: { coar: 0.8, loo: 0.7 } },
    { alpha: 0.05, masks: 50, mean: { coar: 0.9, loo: NaN } },
  ],
  perExample: { alpha: 0.05, values: { coar: [0.5, 0.9, NaN, 0.7], loo: [0.1, 0.2, 0.3, 0.4] } },
  maskCurve: [{ masks: 50, validationCorrelation: 0.3, lambda: 1 }, { masks: 100, validationCorrelation: null, lambda: 1 }],
  maskCurveProblem: null, seconds: 1,
};

describe('evaluation chart data', () => {
  it('makes one line per method against alpha, ascending, without undefined points', () => {
    const s = alphaSeries(view);
    expect(s.map((x) => x.label)).toEqual(['COAR', 'Leave-one-out']);
    expect(s[0].points).toEqual([{ x: 0.05, y: 0.9 }, { x: 0.1, y: 0.8 }]);
    expect(s[1].points).toEqual([{ x: 0.1, y: 0.7 }]);
  });
  it('plots the mask curve where a correlation exists', () => {
    expect(maskSeries(view)[0].points).toEqual([{ x: 50, y: 0.3 }]);
    expect(maskSeries({ ...view, maskCurve: [] })).toEqual([]);
  });
  it('sorts per-example correlations best first and summarises them', () => {
    expect(perExampleSeries(view)[0].points).toEqual([{ x: 1, y: 0.9 }, { x: 2, y: 0.7 }, { x: 3, y: 0.5 }]);
    const [coar, loo] = perExampleSummary(view);
    expect(coar).toMatchObject({ defined: 3, total: 4, median: 0.7 });
    expect(coar.mean).toBeCloseTo(0.7);
    expect(loo.p10).toBeCloseTo(0.13);
    expect(quantile([], 0.5)).toBeNaN();
  });
  it('keeps tick labels apart, always keeping the last', () => {
    const px = (x: number) => x;
    expect(spacedTicks([0, 10, 50, 100, 105], px, 20)).toEqual([0, 50, 105]);
    expect(spacedTicks([0, 30, 60], px, 20)).toEqual([0, 30, 60]);
    expect(spacedTicks([], px, 20)).toEqual([]);
  });
  it('names chart files safely', () => {
    expect(chartFileStem('fashion-resnet', 'Correlation vs alpha')).toBe('fashion-resnet-correlation-vs-alpha');
  });
});
