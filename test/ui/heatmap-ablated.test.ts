import { describe, expect, it } from 'vitest';
import { ablatedByLayer } from '../../src/ui/charts/heatmap-data';
import { DEMO_LAYERS } from './synthetic-layers';

describe('ablated components grouped by layer', () => {
  it('gives each layer its ablated channels, sorted, and leaves the others out', () => {
    const keys = ablatedByLayer(DEMO_LAYERS, [150, 5, 144, 3, 271]);
    expect(keys).toEqual(new Map([[6, '0,6'], [0, '3,5'], [7, '63']]));
    expect(ablatedByLayer(DEMO_LAYERS, []).size).toBe(0);
  });
});
