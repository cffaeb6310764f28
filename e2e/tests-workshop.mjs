// What a workshop room meets on the first screen: one vocabulary (keeping vs switching off), a
// toggle's results beside the heatmap without scrolling, the guided steps (mouse and keyboard),
// and an explanation for every term on hover and focus.
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

/** The attribution a cell shows, read from its accessible name ("layer#3: +0.123"). */
async function cellValue(page, i) {
  const label = await page.getByTestId(`cell-${i}`).getAttribute('aria-label');
  return Number(label.split(': ')[1].split(',')[0].replace('−', '-'));
}

/** Box of an element relative to the window. */
const box = (page, testId) => page.getByTestId(testId).evaluate((e) => {
  const r = e.getBoundingClientRect();
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
});

export const workshopTests = [
  {
    name: 'vocabulary: red cells switched off raise the margin, blue ones lower it; results beside the heatmap at 1440×900',
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      const legend = await page.getByTestId('heatmap-legend').innerText();
      assert.match(legend, /red: keeping it lowers the margin \(switching it off raises it\)/);
      assert.match(legend, /blue: keeping it raises the margin \(switching it off lowers it\)/);
      assert.deepEqual(await page.getByTestId('topk-direction').locator('option').allInnerTexts(), ['raises (red cells)', 'lowers (blue cells)']);

      // "Switch off the 5 whose removal most raises the margin" picks red cells, and the margin goes up.
      await page.getByTestId('topk-direction').selectOption('raise');
      await page.getByTestId('ablate-topk').click();
      const selected = page.getByTestId('ablation-selected');
      await selected.waitFor({ timeout: 60 * SECOND });
      const off = await page.locator('[data-testid^="cell-"][aria-pressed="true"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid').slice(5))));
      assert.equal(off.length, 5);
      for (const i of off) assert.ok(await cellValue(page, i) < 0, `cell ${i} switched off for "raises" is red`);
      const up = { before: Number(await selected.getAttribute('data-before')), after: Number(await selected.getAttribute('data-actual')) };
      assert.ok(up.after > up.before, `switching off red cells raises the margin (${up.before} → ${up.after})`);
      log(`top 5 "raises (red cells)": margin ${up.before.toFixed(2)} → ${up.after.toFixed(2)}`);

      // The same words the other way: blue cells off lower it.
      await page.getByTestId('ablation-reset').click();
      await page.getByTestId('topk-direction').selectOption('lower');
      await page.getByTestId('ablate-topk').click();
      await page.locator('[data-testid="ablated-list"][data-count="5"]').waitFor();
      await page.waitForFunction(() => {
        const e = document.querySelector('[data-testid="ablation-selected"]');
        return e && Number(e.getAttribute('data-actual')) < Number(e.getAttribute('data-before'));
      }, null, { timeout: 60 * SECOND });
      await page.getByTestId('ablation-reset').click();

      // One click on a cell: the results sit beside the heatmap, inside the window, without scrolling.
      await page.evaluate(() => scrollTo(0, 0));
      await page.getByTestId('cell-14').click();
      await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
      await page.locator('[data-testid="ablation-selected"]').waitFor();
      assert.equal(await page.evaluate(() => scrollY), 0, 'the page did not scroll');
      const heatmap = await box(page, 'heatmap');
      for (const id of ['ablation-selected', 'accuracy-after']) {
        const b = await box(page, id);
        assert.ok(b.top >= 0 && b.bottom <= 900, `${id} is inside the 900 px window (${b.top.toFixed(0)}–${b.bottom.toFixed(0)})`);
        assert.ok(b.left >= heatmap.right, `${id} is beside the heatmap (${b.left.toFixed(0)} ≥ ${heatmap.right.toFixed(0)})`);
      }
      const row = await page.locator('[data-testid^="ablation-row-"]').first().evaluate((e) => e.getBoundingClientRect().bottom);
      assert.ok(row <= 900, `the first row of the results table is visible (ends at ${row.toFixed(0)} px)`);
      await page.screenshot({ path: `${artifacts}/workshop-toggle-1440.png` });
    },
  },
];
