// The bundled ViT (?preset=vit): heads and MLP neurons in the heatmap, a head's attention pattern
// over the image's patches, a toggle that changes margins, and "fix this error".
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

export const vitTests = [
  {
    name: 'ViT preset: heads and MLP neurons, a head\'s attention pattern, a toggle, and fix this error',
    async run({ page, site, artifacts, log }) {
      await open(page, site, '?preset=vit');
      assert.equal(await page.locator('[data-testid^="cell-"]').count(), 792, '6 × (4 heads + 128 MLP neurons)');
      const rowLabels = await page.locator('[data-testid^="layer-zoom-"] text').allTextContents();
      log(`rows: ${rowLabels.slice(0, 4).join(' | ')} …`);
      assert.equal(rowLabels.length, 12, 'a heads row and an MLP row per block');
      assert.match(rowLabels[0], /block1_attention.*\(4 heads\)/);
      assert.match(rowLabels[1], /mlp_hidden \(128 neurons\)$/, 'the label may be shortened from the left');

      // Clicking a head switches it off and shows its attention pattern for the selected image.
      await page.getByTestId('gallery-item-0').click();
      await page.getByTestId('cell-0').click();
      const panel = page.getByTestId('attention-panel');
      await panel.getByTestId('attention-matrix').waitFor({ timeout: 60 * SECOND });
      assert.equal(await panel.getByTestId('attention-matrix').locator('rect').count(), 16 * 16, '16 patches attend to 16 patches');
      assert.equal(await panel.getByTestId('attention-overlay').locator('rect').count(), 16, 'a 4 × 4 grid of 7 × 7 patches');
      const opacities = await panel.getByTestId('attention-overlay').locator('rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('fill-opacity'))));
      assert.ok(Math.max(...opacities) > 0 && Math.min(...opacities) < Math.max(...opacities), 'patches get different attention');
      await panel.getByTestId('attention-head-2').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="attention-head-2"]')?.getAttribute('aria-pressed') === 'true');
      await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
      log(`toggle: ${(await page.getByTestId('ablation-results').innerText()).split('\n').slice(0, 3).join(' | ')}`);
      await page.screenshot({ path: `${artifacts}/vit-attention.png` });

      // Fix the first misclassified example of the run.
      await page.getByTestId('ablation-reset').click();
      const wrong = page.locator('[data-testid^="gallery-item-"].wrong').first();
      await wrong.click();
      await page.getByTestId('preset-fix').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="preset-result"]')?.hasAttribute('data-reached'), null, { timeout: 300 * SECOND });
      log(`fix: ${await page.getByTestId('preset-result').innerText()}`);
      assert.equal(await page.getByTestId('preset-result').getAttribute('data-reached'), 'true', 'the error is fixed');
    },
  },
];
