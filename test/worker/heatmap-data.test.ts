import { describe, expect, it } from 'vitest';
import { cellOf, heatmapValues, maxAbs, modeMembers, strongest } from '../../src/ui/charts/heatmap-data';
import { readUrlPresets } from '../../src/ui/state/url-state';
import { APP_CONFIG } from '../../src/app-config';

// Three examples × four components; labels 0, 1, 0.
const weights = Float32Array.from([1, 2, 3, 4, 10, 20, 30, 40, 3, 2, 1, 0]);
const labels = [0, 1, 0];
const layers = [
  { name: 'a', className: 'Conv2D', count: 3, offset: 0 },
  { name: 'b', className: 'Dense', count: 1, offset: 3 },
  { name: 'c', className: 'Dense', count: 2, offset: 4 },
];

describe('heatmap values', () => {
  it('shows one example, its class mean, or the overall mean', () => {
    expect(Array.from(heatmapValues(weights, 3, 4, 'example', 1, labels))).toEqual([10, 20, 30, 40]);
    expect(Array.from(heatmapValues(weights, 3, 4, 'class', 0, labels))).toEqual([2, 2, 2, 2]);
    expect(Array.from(heatmapValues(weights, 3, 4, 'all', 0, labels))).toEqual([14 / 3, 8, 34 / 3, 44 / 3].map(Math.fround));
    expect(modeMembers(3, 'class', 2, labels)).toBe(2);
    expect(modeMembers(3, 'all', 2, labels)).toBe(3);
  });

  it('scales colours by the largest magnitude, never by 0', () => {
    expect(maxAbs([-3, 2, NaN])).toBe(3);
    expect(maxAbs([0, 0])).toBe(1);
    expect(strongest([0.1, -5, 2], 2)).toEqual([1, 2]);
  });
});

describe('heatmap keyboard navigation', () => {
  it('locates cells by row and column', () => {
    expect(cellOf(layers, 3)).toEqual({ row: 1, col: 0 });
    expect(cellOf(layers, 5)).toEqual({ row: 2, col: 1 });
  });
});

describe('settings from the address', () => {
  it('uses the defaults when nothing is given', () => {
    const { settings, problems } = readUrlPresets('');
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ alpha: APP_CONFIG.liveRun.alpha, trainMasks: APP_CONFIG.liveRun.trainMasks, layers: null });
  });
  it('reads valid values and reports invalid ones', () => {
    const { settings, problems } = readUrlPresets('?alpha=0.1&masks=200&val=0&examples=16&seed=3&ablation=zero-output&layers=a,b');
    expect(settings).toEqual({ alpha: 0.1, trainMasks: 200, valMasks: 0, exampleCount: 16, seed: 3, ablation: 'zero-output', layers: ['a', 'b'] });
    expect(problems).toEqual([]);
    const bad = readUrlPresets('?alpha=2&masks=1.5&ablation=melt');
    expect(bad.settings.alpha).toBe(APP_CONFIG.liveRun.alpha);
    expect(bad.problems).toHaveLength(3);
    for (const p of ['alpha=2', 'masks=1.5', 'ablation=melt']) expect(bad.problems.join(' ')).toContain(p);
  });
});
