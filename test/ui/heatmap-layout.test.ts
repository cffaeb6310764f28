import { describe, expect, it } from 'vitest';
import { cellPlace, chooseColumns, fitLabel, layoutHeatmap, moveInLayout, MIN_PITCH, type HeatmapLayout } from '../../src/ui/charts/heatmap-layout';
import { DEMO_LAYERS, syntheticLayers } from './synthetic-layers';

// Widths the heatmap gets in a 390 px and a 1440 px wide window (panel padding and side columns
// taken off), and a few beyond.
const PHONE = 328;
const DESKTOP = 1104;

/** Checks that every component has one cell, inside the width, of at least the minimum size, blocks in order. */
function checkAllPlaced(layout: HeatmapLayout, total: number) {
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) {
    const at = cellPlace(layout, i);
    expect(at, `cell ${i}`).not.toBeNull();
    const key = `${at!.x.toFixed(2)},${at!.y.toFixed(2)}`;
    expect(seen.has(key), `cell ${i} overlaps another`).toBe(false);
    seen.add(key);
    expect(at!.x).toBeGreaterThanOrEqual(0);
    expect(at!.x + layout.cellWidth).toBeLessThanOrEqual(layout.width);
    expect(at!.y + layout.cellHeight).toBeLessThanOrEqual(layout.height);
  }
  expect(layout.gridLeft + layout.columns * layout.pitch).toBeLessThanOrEqual(layout.width + 1e-9);
  expect(layout.cellWidth).toBeGreaterThanOrEqual(MIN_PITCH - 1);
  expect(layout.cellHeight).toBeGreaterThanOrEqual(MIN_PITCH - 1);
  for (let b = 1; b < layout.blocks.length; b++) {
    const prev = layout.blocks[b - 1];
    expect(layout.blocks[b].top).toBeGreaterThanOrEqual(prev.top + prev.height);
  }
}

describe('heatmap layout of a paper-scale run (2,304 components in 20 layers)', () => {
  const layers = syntheticLayers();
  const total = layers.reduce((s, l) => s + l.count, 0);

  it('has 2,304 components', () => expect(total).toBe(2304));

  for (const width of [PHONE, DESKTOP, 240, 2400]) {
    it(`places every cell within ${width} px, each at least ${MIN_PITCH - 1} px`, () => {
      const layout = layoutHeatmap(layers, width);
      checkAllPlaced(layout, total);
      expect(layout.wrapped).toBe(width < 2400);
    });
  }

  it('puts labels above the rows on a phone and beside them on a desktop, shortened to fit', () => {
    const phone = layoutHeatmap(layers, PHONE);
    expect(phone.labels).toBe('above');
    expect(phone.gridLeft).toBe(0);
    const desktop = layoutHeatmap(layers, DESKTOP);
    expect(desktop.labels).toBe('left');
    expect(desktop.labelWidth).toBeLessThanOrEqual(220);
    for (const b of desktop.blocks) expect(b.label.length * 8).toBeLessThanOrEqual(desktop.labelWidth);
  });

  it('wraps the widest layers into evenly filled lines', () => {
    for (const width of [PHONE, DESKTOP, 1200]) {
      const layout = layoutHeatmap(layers, width);
      expect(256 % layout.columns).toBe(0);
      for (const b of layout.blocks) expect(b.lines).toBe(Math.ceil(b.layer.count / layout.columns));
      for (const b of layout.blocks) if (b.layer.count >= layout.columns) expect(b.layer.count % layout.columns).toBe(0);
      expect(layout.pitch).toBeGreaterThanOrEqual(MIN_PITCH);
    }
    expect(layoutHeatmap(layers, DESKTOP).columns).toBe(64);
    expect(layoutHeatmap(layers, PHONE).columns).toBe(32);
    expect(layoutHeatmap(layers, 1200).columns).toBe(128);
  });

  it('moves by arrow keys across wrapped lines and layers', () => {
    const layout = layoutHeatmap(layers, 1200); // 128 columns
    const big = layers[12]; // 256 channels: two lines
    expect(moveInLayout(layout, big.offset + 5, 'ArrowDown')).toBe(big.offset + 133);
    expect(moveInLayout(layout, big.offset + 133, 'ArrowUp')).toBe(big.offset + 5);
    expect(moveInLayout(layout, big.offset + 133, 'ArrowDown')).toBe(layers[13].offset + 5);
    expect(moveInLayout(layout, layers[13].offset + 5, 'ArrowUp')).toBe(big.offset + 133);
    expect(moveInLayout(layout, big.offset + 127, 'ArrowRight')).toBe(big.offset + 128);
    expect(moveInLayout(layout, big.offset + 128, 'ArrowLeft')).toBe(big.offset + 127);
    expect(moveInLayout(layout, big.offset + 255, 'ArrowRight')).toBe(big.offset + 255);
    expect(moveInLayout(layout, layers[11].offset + 120, 'ArrowDown')).toBe(big.offset + 120);
    // A 64-channel line under a 128-wide one: clamped to its last cell.
    expect(moveInLayout(layout, layers[10].offset + 10, 'ArrowUp')).toBe(layers[9].offset + 10 + 0);
    expect(moveInLayout(layout, layers[9].offset + 100, 'ArrowDown')).toBe(layers[10].offset + 63);
    expect(moveInLayout(layout, big.offset + 200, 'Home')).toBe(big.offset);
    expect(moveInLayout(layout, big.offset, 'End')).toBe(big.offset + 255);
    expect(moveInLayout(layout, 3, 'ArrowUp')).toBe(3);
    expect(moveInLayout(layout, total - 1, 'ArrowDown')).toBe(total - 1);
  });

  it('every cell is reachable by arrow keys from the first', () => {
    const layout = layoutHeatmap(layers, PHONE);
    const seen = new Set([0]);
    const queue = [0];
    while (queue.length) {
      const i = queue.pop()!;
      for (const key of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown']) {
        const j = moveInLayout(layout, i, key);
        if (!seen.has(j)) { seen.add(j); queue.push(j); }
      }
    }
    expect(seen.size).toBe(total);
  });

  it('zooms one layer into large square cells', () => {
    const layer = layers[12];
    const phone = layoutHeatmap([layer], PHONE, { minPitch: 18, maxPitch: 56, labels: 'none', lineHeight: 'pitch' });
    expect(phone.labels).toBe('none');
    expect(phone.pitch).toBeGreaterThanOrEqual(18);
    expect(phone.lineHeight).toBeCloseTo(phone.pitch, 6);
    for (let c = 0; c < layer.count; c++) {
      const at = cellPlace(phone, layer.offset + c)!;
      expect(at.x + phone.cellWidth).toBeLessThanOrEqual(PHONE);
    }
    expect(cellPlace(phone, 0)).toBeNull();
  });
});

describe('heatmap layout of the demo preset (272 components)', () => {
  it('keeps one line per layer on a desktop, with the column axis', () => {
    const layout = layoutHeatmap(DEMO_LAYERS, DESKTOP);
    checkAllPlaced(layout, 272);
    expect(layout.wrapped).toBe(false);
    expect(layout.columns).toBe(64);
    expect(layout.lineHeight).toBe(40);
    expect(layout.top).toBeGreaterThan(10);
  });
  it('wraps the 64-channel layers on a phone and fits the width', () => {
    const layout = layoutHeatmap(DEMO_LAYERS, PHONE);
    checkAllPlaced(layout, 272);
    expect(layout.columns).toBe(32);
    expect(layout.blocks.map((b) => b.lines)).toEqual([1, 1, 1, 1, 1, 1, 2, 2]);
  });
});

describe('heatmap layout helpers', () => {
  it('chooses columns that split the widest layer evenly', () => {
    expect(chooseColumns(64, 940, 7)).toBe(64);
    expect(chooseColumns(256, 940, 7)).toBe(128);
    expect(chooseColumns(256, 328, 7)).toBe(32);
    expect(chooseColumns(256, 884, 7)).toBe(64);
    // No divisor in the upper half of what fits: the widest layer in equal lines.
    expect(chooseColumns(97, 328, 7)).toBe(33);
    expect(chooseColumns(5, 3, 7)).toBe(1);
  });
  it('shortens long labels from the left', () => {
    const layer = { name: 'stage4/block3/very_long_conv_name', className: 'Conv2D', count: 256, offset: 0 };
    expect(fitLabel(layer, 100)).toBe('stage4/block3/very_long_conv_name (256)');
    const short = fitLabel(layer, 20);
    expect(short.length).toBeLessThanOrEqual(20);
    expect(short).toMatch(/^….*name \(256\)$/);
  });
  it("counts components in their kind's words", () => {
    expect(fitLabel({ name: 'block1_attention', className: 'MultiHeadAttention', kind: 'attention-head', count: 4, offset: 0 }, 100)).toBe('block1_attention (4 heads)');
    expect(fitLabel({ name: 'block1_mlp_hidden', className: 'Dense', kind: 'mlp-neuron', count: 1, offset: 4 }, 100)).toBe('block1_mlp_hidden (1 neuron)');
    expect(fitLabel({ name: 'stem', className: 'Conv2D', kind: 'conv-filter', count: 24, offset: 0 }, 12)).toMatch(/^….* \(24 filters\)$/);
  });
});
