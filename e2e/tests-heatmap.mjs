// The heatmap at a desktop and a phone width: every cell shown without horizontal scrolling,
// zooming into a layer and back, the strongest-components list as toggles, search by name, and
// arrow keys across wrapped lines.
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

const SIZES = [[1440, 900], [390, 844]];

/** Elements sticking out past the window's right edge (for a readable failure). */
async function overflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth,
    offenders: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
      .slice(0, 6).map((e) => `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[${e.getAttribute('data-testid')}]` : ''}.${String(e.className?.baseVal ?? e.className).replace(/\s+/g, '.')}`),
  }));
}

/** Every cell's box, the heatmap's right edge and the window width. */
async function cellBoxes(page) {
  return page.evaluate(() => {
    const heatmap = document.querySelector('[data-testid="heatmap"]').getBoundingClientRect();
    const cells = [...document.querySelectorAll('[data-testid^="cell-"]')].map((c) => {
      const r = c.getBoundingClientRect();
      return { id: c.getAttribute('data-testid'), right: r.right, width: r.width, height: r.height };
    });
    return { cells, right: heatmap.right, innerWidth };
  });
}

async function activeTestId(page) {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

async function search(page, text) {
  await page.getByTestId('component-search').fill(text);
  await page.getByTestId('component-search').press('Enter');
  return page.getByTestId('search-message').innerText();
}

/** The layers as the page lists them (each layer label is a zoom button named with its size). */
async function layersShown(page) {
  const labels = await page.locator('[data-testid^="layer-zoom-"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  let offset = 0;
  return labels.map((label) => {
    const [, name, count] = /^Zoom into layer (.+) \((\d+) components\)$/.exec(label);
    const layer = { name, count: Number(count), offset };
    offset += layer.count;
    return layer;
  });
}

/**
 * The scenarios for one preset (null: the default demo, 272 components) at a desktop and a phone
 * size. Set HEATMAP_PRESET=name to run them on another preset too.
 */
export function heatmapScenarios(preset = null) {
  const tag = preset ? `${preset} ` : '';
  return SIZES.map(([width, height]) => ({
    name: `heatmap ${tag}at ${width}×${height}: all cells without horizontal scroll, zoom, strongest list, search`,
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width, height });
      await open(page, site, preset ? `?preset=${preset}` : '');
      const layers = await layersShown(page);
      const N = layers.reduce((s, l) => s + l.count, 0);
      if (!preset) assert.equal(N, 272, 'the demo has 272 components');
      await page.locator(`[data-testid="cell-${N - 1}"]`).waitFor({ timeout: 30 * SECOND });

      // Every cell, at least 6 px, inside the heatmap and the window.
      const grid = await cellBoxes(page);
      assert.equal(grid.cells.length, N, 'one cell per component');
      for (const c of grid.cells) {
        assert.ok(c.right <= grid.right + 0.5 && c.right <= grid.innerWidth, `${c.id} ends at ${c.right.toFixed(1)} px, past the heatmap (${grid.right.toFixed(1)}) or the window`);
        assert.ok(c.width >= 6 && c.height >= 6, `${c.id} is ${c.width.toFixed(1)}×${c.height.toFixed(1)} px`);
      }
      const columns = Number(await page.getByTestId('heatmap').getAttribute('data-columns'));
      log(`${width} px: ${N} cells in ${layers.length} layers, ${columns} per line, smallest ${Math.min(...grid.cells.map((c) => c.width)).toFixed(1)}×${Math.min(...grid.cells.map((c) => c.height)).toFixed(1)} px`);

      // Switching what the heatmap shows re-colours every cell: time it (to the next frame).
      const ms = await page.evaluate(async () => {
        const t = performance.now();
        document.querySelector('[data-testid="mode-all"]').click();
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return performance.now() - t;
      });
      log(`mode switch (${N} cells re-coloured) took ${ms.toFixed(1)} ms to the next frame`);
      await page.getByTestId('mode-example').check();

      // Zoom into the largest layer and back (Escape), then into the last one and back (button).
      const big = layers.reduce((b, l, r) => (l.count > layers[b].count ? r : b), 0);
      const { name, count, offset } = layers[big];
      await page.getByTestId(`layer-zoom-${big}`).click();
      await page.getByTestId('zoom-bar').waitFor();
      assert.match(await page.getByTestId('zoom-title').innerText(), new RegExp(name));
      const zoomed = await cellBoxes(page);
      assert.deepEqual(zoomed.cells.map((c) => c.id), Array.from({ length: count }, (_, c) => `cell-${offset + c}`), 'the zoomed layer alone');
      for (const c of zoomed.cells) assert.ok(c.width >= 17 && c.right <= zoomed.innerWidth, `${c.id} is ${c.width.toFixed(1)} px wide, ends at ${c.right.toFixed(1)}`);
      assert.equal(await activeTestId(page), `cell-${offset}`, 'the keyboard focus follows into the layer');
      await page.keyboard.press('Escape');
      await page.getByTestId('zoom-bar').waitFor({ state: 'detached' });
      const last = layers[layers.length - 1];
      await page.getByTestId(`layer-zoom-${layers.length - 1}`).click();
      assert.match(await page.getByTestId('zoom-title').innerText(), new RegExp(last.name));
      await page.getByTestId('zoom-out').click();
      assert.equal(await page.locator('[data-testid^="cell-"]').count(), N, 'back to all layers');

      // The strongest components: each toggles its component like its cell.
      const first = page.locator('[data-testid^="strongest-"]').first();
      assert.equal(await page.locator('[data-testid^="strongest-"]').count(), Math.min(10, N));
      const i = Number((await first.getAttribute('data-testid')).slice('strongest-'.length));
      log(`strongest: ${(await page.locator('[data-testid^="strongest-"]').allInnerTexts()).slice(0, 3).map((t) => t.replace(/\s+/g, ' ')).join(' · ')}`);
      await first.click();
      await page.locator(`[data-testid="cell-${i}"][aria-pressed="true"]`).waitFor({ timeout: 10 * SECOND });
      assert.equal(await first.getAttribute('aria-pressed'), 'true');
      await first.click();
      await page.locator(`[data-testid="cell-${i}"][aria-pressed="false"]`).waitFor({ timeout: 10 * SECOND });

      // Search: part of a layer name, a full component name, nothing, a channel too far.
      const conv = layers.find((l) => l.name.toLowerCase().startsWith('conv')) ?? layers.find((l) => l.name.toLowerCase().includes('conv'));
      if (conv) {
        assert.match(await search(page, 'conv'), new RegExp(`focused ${conv.name}#0`));
        assert.equal(await activeTestId(page), `cell-${conv.offset}`);
        if (!preset) assert.match(await page.getByTestId('search-message').innerText(), /7 layers/);
      }
      assert.match(await search(page, `${name}#5`), new RegExp(`Found ${name}#5`));
      assert.equal(await activeTestId(page), `cell-${offset + 5}`);
      // Arrow down goes to the next line: the layer's own when it wraps, else the next layer's first.
      const next = layers[big + 1];
      const below = count > columns ? offset + 5 + columns : next ? next.offset + Math.min(5, Math.min(columns, next.count) - 1) : offset + 5;
      await page.keyboard.press('ArrowDown');
      assert.equal(await activeTestId(page), `cell-${below}`);
      await page.keyboard.press('ArrowUp');
      assert.equal(await activeTestId(page), `cell-${offset + 5}`);
      assert.match(await search(page, 'no-such-layer'), /No component or layer matches “no-such-layer”/);
      assert.match(await search(page, `${layers[0].name}#${layers[0].count + 3}`), /channels 0–/);
      await search(page, `${last.name}#${last.count - 1}`);
      assert.equal(await activeTestId(page), `cell-${N - 1}`);
      await page.locator('.heatmap-panel').screenshot({ path: `${artifacts}/heatmap-${preset ? `${preset}-` : ''}${width}.png` });

      // No horizontal scroll anywhere on the page.
      const o = await overflow(page);
      assert.ok(o.scrollWidth <= o.innerWidth, `the page scrolls sideways at ${width} px (${o.scrollWidth} > ${o.innerWidth}); sticking out: ${o.offenders.join(', ')}`);
    },
  }));
}

export const heatmapTests = [...heatmapScenarios(), ...(process.env.HEATMAP_PRESET ? heatmapScenarios(process.env.HEATMAP_PRESET) : [])];
