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
