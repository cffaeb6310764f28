// Renders the heatmap of a paper-scale run (2,304 components) to markup, as the page would on a
// phone and a desktop, and checks every cell is there, within the width, with its toggle state.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import * as d3 from 'd3';
import { describe, expect, it } from 'vitest';
import { Heatmap } from '../../src/ui/charts/Heatmap';
import { StrongestComponents } from '../../src/ui/charts/StrongestComponents';
import { maxAbs } from '../../src/ui/charts/heatmap-data';
import { syntheticLayers, syntheticValues } from './synthetic-layers';

const layers = syntheticLayers();
const values = syntheticValues(2304);
const limit = maxAbs(values);
const color = d3.scaleDiverging<string>(d3.interpolateRdBu).domain([-limit, 0, limit]);

function render(width: number, ablated: number[]) {
  const started = performance.now();
  const html = renderToString(createElement(Heatmap, { layers, values, ablated, onToggle: () => {}, caption: 'test', color, limit, width }));
  return { html, ms: performance.now() - started };
}

function rects(html: string) {
  return [...html.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*data-testid="cell-(\d+)"[^>]*aria-pressed="(true|false)"/g)]
    .map((m) => ({ x: +m[1], y: +m[2], w: +m[3], h: +m[4], i: +m[5], pressed: m[6] === 'true' }));
}

describe('heatmap of 2,304 components', () => {
  for (const width of [328, 1104]) {
    it(`renders every cell within ${width} px, at least 6 px each`, () => {
      render(width, []); // warm-up
      const { html, ms } = render(width, [5, 300, 2303]);
      const cells = rects(html);
      expect(cells).toHaveLength(2304);
      expect(new Set(cells.map((c) => c.i)).size).toBe(2304);
      for (const c of cells) {
        expect(c.x + c.w).toBeLessThanOrEqual(width);
        expect(c.w).toBeGreaterThanOrEqual(6);
        expect(c.h).toBeGreaterThanOrEqual(6);
      }
      expect(cells.filter((c) => c.pressed).map((c) => c.i).sort((a, b) => a - b)).toEqual([5, 300, 2303]);
      expect((html.match(/tabindex="0"/g) ?? []).filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(html.match(/data-testid="layer-zoom-\d+"/g)).toHaveLength(20);
      expect(ms).toBeLessThan(1000);
      console.log(`heatmap of 2,304 cells at ${width} px: markup in ${ms.toFixed(0)} ms`);
    });
  }

  it('lists the ten strongest components as toggles', () => {
    const html = renderToString(createElement(StrongestComponents, { layers, values, ablated: [], onToggle: () => {}, color }));
    const shown = [...html.matchAll(/data-testid="strongest-(\d+)"/g)].map((m) => +m[1]);
    expect(shown).toHaveLength(10);
    const sorted = Array.from(values, Math.abs).sort((a, b) => b - a);
    for (const i of shown) expect(Math.abs(values[i])).toBeGreaterThanOrEqual(sorted[9]);
    expect(html).toMatch(/aria-pressed="false"/);
  });
});
