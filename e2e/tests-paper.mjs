// The paper-scale preset (2,352 conv filters): its first screen from the shipped run, a toggle
// that changes margins, and "fix this error" on one of its misclassified examples. The heatmap's
// fit at 1440 and 390 px is checked by heatmapScenarios('paper') in tests-heatmap.mjs.
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

export const paperTests = [
  {
    name: 'paper-scale preset: 2,352 cells from the shipped run, a toggle, and fix this error',
    async run({ page, site, artifacts, log }) {
      await open(page, site, '?preset=paper');
      const cells = await page.locator('[data-testid^="cell-"]').count();
      assert.equal(cells, 2352, 'one cell per conv filter');

      // A toggle: switching the strongest component of the first example off changes its margin.
      await page.getByTestId('gallery-item-0').click();
      await page.getByTestId('strongest').locator('button').first().click();
      await page.getByTestId('ablation-results').waitFor({ timeout: 120 * SECOND });
      log(`toggle: ${(await page.getByTestId('ablation-results').innerText()).split('\n').slice(0, 3).join(' | ')}`);

      // Fix the first misclassified example of the run.
      const wrong = page.locator('[data-testid^="gallery-item-"].wrong').first();
      const title = await wrong.getAttribute('title');
      await wrong.click();
      await page.getByTestId('preset-fix').click();
      const result = page.locator('[data-testid="preset-result"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="preset-result"]')?.hasAttribute('data-reached'), null, { timeout: 400 * SECOND });
      const outcome = page.getByTestId('edit-outcome');
      const num = async (name) => Number(await outcome.getAttribute(`data-${name}`));
      log(`${title}: ${await result.innerText()}; data set without the target ${(await num('dataset-accuracy-before')).toFixed(4)} → ${(await num('dataset-accuracy-after')).toFixed(4)}`);
      assert.equal(await result.getAttribute('data-reached'), 'true', 'the error is fixed');
      assert.equal(await num('target-accuracy-after'), 1);
      await page.screenshot({ path: `${artifacts}/paper-first-screen.png` });
    },
  },
  {
    name: 'paper-scale backdoored twin: its first screen from its shipped run',
    async run({ page, site, log }) {
      await open(page, site, '?preset=paper-backdoor');
      assert.equal(await page.locator('[data-testid^="cell-"]').count(), 2352);
      assert.equal(await page.getByTestId('gallery').locator('[data-testid^="gallery-item-"]').count(), 100, '50 clean and the same 50 triggered images');
      log(await page.getByTestId('heatmap-title').innerText());
    },
  },
];
