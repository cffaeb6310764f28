// A link that names a model and data set by URL: the page asks first, then loads them as the
// user's own model (no precomputed run), and a copied link names the same URLs.
import assert from 'node:assert/strict';
import { SECOND } from './page-helpers.mjs';

export const linkTests = [
  {
    name: 'a link with model= and data= URLs asks first, then loads them',
    async run({ page, site, log }) {
      const model = new URL('models/fashion-resnet/model.json', site.url).href;
      const data = new URL('data/fashion-mnist-test/dataset.json', site.url).href;
      await page.goto(`${site.url}?model=${encodeURIComponent(model)}&data=${encodeURIComponent(data)}&backend=wasm`);
      const confirm = page.getByTestId('url-model-confirm');
      await confirm.waitFor({ timeout: 60 * SECOND });
      assert.match(await confirm.innerText(), new RegExp(`load a model from ${new URL(site.url).host}`));
      await page.getByTestId('url-model-accept').click();
      // The linked model has no precomputed run: its layers appear in the run panel, ready for a live run.
      await page.getByTestId('run-layer-stem_conv').waitFor({ timeout: 60 * SECOND });
      await page.getByTestId('run-examples').fill('8');
      await page.getByTestId('run-masks').fill('40');
      await page.getByTestId('run-val-masks').fill('10');
      await page.getByTestId('run-start').click();
      await page.getByTestId('run-correlation').waitFor({ timeout: 120 * SECOND });
      const cells = await page.locator('[data-testid^="cell-"]').count();
      assert.equal(cells, 272);
      await page.getByTestId('share-link').click();
      const link = new URL(await page.getByTestId('share-url').inputValue());
      assert.equal(link.searchParams.get('model'), model);
      assert.equal(link.searchParams.get('data'), data);
      log(`loaded by URL: ${cells} components; the copied link names the same model and data`);
    },
  },
];

/** Whether the element lies inside the box of its scrolling container and inside the window. */
async function inView(page, testId, container) {
  return page.evaluate(([id, box]) => {
    const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
    const b = document.querySelector(`[data-testid="${box}"]`).getBoundingClientRect();
    return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.top >= 0 && r.bottom <= innerHeight;
  }, [testId, container]);
}

linkTests.push(
  {
    name: 'a copied link keeps the view: example (scrolled into view), switched-off components, heatmap mode, zoomed layer, allowed damage',
    async run({ page, context, site, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${site.url}?backend=wasm`);
      await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      await page.getByTestId('gallery-item-40').scrollIntoViewIfNeeded();
      await page.getByTestId('gallery-item-40').click();
      await page.getByTestId('mode-class').check();
      await page.getByRole('button', { name: /Zoom into layer stage3_conv/ }).click();
      await page.getByTestId('zoom-bar').waitFor();
      await page.getByTestId('cell-150').click();
      await page.getByTestId('damage-budget').fill('12');
      await page.getByTestId('share-link').click();
      const link = new URL(await page.getByTestId('share-url').inputValue());
      const q = link.searchParams;
      assert.deepEqual([q.get('example'), q.get('view'), q.get('zoom'), q.get('budget'), q.get('ablate')], ['40', 'class', 'stage3_conv', '12', 'stage3_conv#6']);
      log(`link: ${link.search}`);

      const other = await context.newPage();
      await other.setViewportSize({ width: 1440, height: 900 });
      await other.goto(link.href);
      await other.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      await other.locator('[data-testid="gallery-item-40"][aria-selected="true"]').waitFor({ timeout: 10 * SECOND });
      assert.ok(await other.getByTestId('mode-class').isChecked(), 'the heatmap shows the class mean');
      assert.match(await other.getByTestId('zoom-title').innerText(), /stage3_conv/);
      assert.equal(await other.getByTestId('damage-budget').inputValue(), '12');
      await other.locator('[data-testid="ablated-list"][data-count="1"]').waitFor();
      assert.ok(await inView(other, 'gallery-item-40', 'gallery'), 'the linked example is scrolled into view in the gallery');
      await other.close();
    },
  },
  {
    name: 'hide= adapts the words: no "re-run live" or "edit" in the intro and steps when those controls are hidden',
    async run({ page, site }) {
      await page.goto(`${site.url}?hide=run,edit`);
      await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      const intro = await page.getByTestId('intro').innerText();
      assert.doesNotMatch(intro, /re-run|live below|edit the model/i, intro);
      const steps = await page.locator('[data-testid^="guide-step-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
      assert.deepEqual(steps, ['guide-step-pick', 'guide-step-read', 'guide-step-switch-off', 'guide-step-evaluate']);
      assert.equal(await page.getByTestId('run-panel').count(), 0);
      assert.equal(await page.getByTestId('edit-panel').count(), 0);
      // Without hide=, the same words are there.
      await page.goto(site.url);
      await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      assert.match(await page.getByTestId('intro').innerText(), /edit the model, or re-run the analysis live below/);
    },
  },
);
