// Bring-your-own model and data, resuming a run after a reload, and share links. Same shape as
// the entries of tests.mjs; run.mjs runs them.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { CLASSES, writeImages, writeModel } from './unseen-model.mjs';
import { liveRun, open, SECOND, watchPage } from './page-helpers.mjs';
import { noSeriousViolations } from './tests-a11y.mjs';

/**
 * A folder with a recognised class-names file (Class_Names.TXT, one class too many) and a stray
 * notes.txt: the first is read, the second skipped, and the class-count mismatch blocks loading.
 * Then the plain image folder: what the previous folder's file set is dropped.
 */
async function checkPickedFolders(page, dir, images) {
  const mixed = join(dir, 'mixed');
  await writeImages(mixed);
  const extra = [...CLASSES, 'extra'];
  await writeFile(join(mixed, 'Class_Names.TXT'), extra.join('\n'));
  await writeFile(join(mixed, 'notes.txt'), 'not class names');
  await page.getByTestId('image-folder').setInputFiles(mixed);
  const mismatch = page.getByTestId('image-class-mismatch');
  await mismatch.waitFor({ timeout: 60 * SECOND });
  assert.match(await mismatch.innerText(), /The images have 5 classes but the model outputs 4/);
  assert.equal(await page.getByTestId('class-names').inputValue(), extra.join('\n'), 'Class_Names.TXT gives the class names');
  assert.match(await page.getByTestId('image-skipped').innerText(), /notes\.txt/, 'a stray .txt is skipped, not read as class names');
  assert.ok(await page.getByTestId('load-custom').isDisabled(), 'a class-count mismatch blocks loading');
  assert.match(await page.getByTestId('load-custom-status').innerText(), /do not match/);

  await page.getByTestId('image-folder').setInputFiles(images);
  await page.waitForFunction(() => document.querySelector('[data-testid="image-preview"]')?.getAttribute('data-classes') === '4', null, { timeout: 60 * SECOND });
  assert.equal(await page.getByTestId('class-names').inputValue(), '', 'a new folder drops the class names the previous one brought');
  assert.equal(await page.getByTestId('image-class-mismatch').count(), 0);
}

export const byoTests = [
  {
    name: 'own model and images via the file picker',
    async run({ page, site, artifacts, log }) {
      const dir = await mkdtemp(join(tmpdir(), 'coar-byo-'));
      const trained = await writeModel(dir);
      log(`trained: loss ${trained.loss.toFixed(3)}, training accuracy ${(100 * trained.accuracy).toFixed(0)}%`);
      const images = join(dir, 'images');
      await writeImages(images);

      await open(page, site);
      await page.getByTestId('open-own').click();
      assert.ok(await page.getByTestId('load-custom').isDisabled(), 'nothing to explore before a model is picked');
      assert.match(await page.getByTestId('load-custom-status').innerText(), /pick a model first/i);
      // The folder that holds model.json and weights.bin (and the images, which the model picker leaves out).
      await page.getByTestId('model-folder').setInputFiles(dir);
      const summary = page.getByTestId('model-summary');
      await summary.waitFor({ timeout: 60 * SECOND });
      assert.equal(await summary.getAttribute('data-components'), '14', 'conv_a (6) + conv_b (8) filters; the logits are not components');
      assert.match(await page.getByTestId('model-component-count').innerText(), /^14$/);
      assert.match(await page.getByTestId('model-input-shape').innerText(), /12×12×3/);
      assert.equal(await summary.getAttribute('data-fits'), 'true');

      await checkPickedFolders(page, dir, images);
      // Class names in the model's output order (sorted folder names would be another order).
      await page.getByTestId('class-names').fill(CLASSES.join('\n'));
      await page.waitForFunction(() => document.querySelector('[data-testid="image-class-counts"] li')?.textContent?.startsWith('hstripes'), null, { timeout: 60 * SECOND });
      const preview = page.getByTestId('image-preview');
      assert.equal(await preview.getAttribute('data-count'), '24');
      assert.equal(await preview.getAttribute('data-classes'), '4');
      const text = await preview.innerText();
      assert.match(text, /24 images resized from 16×16 to 12×12 \(×0\.75\)/, text);
      log(text.split('\n').slice(0, 2).join(' | '));
      await page.getByTestId('open-own-panel').screenshot({ path: `${artifacts}/own-model-panel.png` });

      await page.getByTestId('load-custom').click();
      await page.getByTestId('run-layer-conv_a').waitFor({ timeout: 60 * SECOND });
      assert.equal(await page.getByTestId('open-own-panel').count(), 0, 'the panel closes once the model is loaded');
      assert.match(await page.getByTestId('preset-switcher').inputValue(), /^$/, 'the model switcher shows your model');
      // Named after its folder, not "your model".
      const folder = basename(dir);
      assert.match(await page.locator('.subtitle').innerText(), new RegExp(`^${folder} · `));
      assert.match(await page.getByTestId('preset-switcher').locator('option').first().innerText(), new RegExp(`Your model: ${folder}`));
      // Right after loading, before any run: accuracy, and a gallery with file names, labels, predictions and margins.
      const check = page.getByTestId('data-check');
      assert.equal(await check.getAttribute('open'), '', 'the check is open while there is no run');
      assert.match(await page.getByTestId('data-check-accuracy').innerText(), /accuracy \d+\.\d% \(\d+ of 24\)/);
      const items = page.locator('[data-testid^="data-check-item-"]');
      assert.equal(await items.count(), 24);
      const files = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-file')));
      assert.ok(files.every((f) => /^(hstripes|vstripes|checker|square)\/.+\.png$/.test(f)), `file paths: ${files.slice(0, 3).join(', ')}`);
      const first = await items.first().innerText();
      assert.ok(first.includes(files[0].split('/').pop()), `the first image shows its file name (${first.replace(/\s+/g, ' ')})`);
      assert.match(first, /(hstripes|vstripes|checker|square)[\s\S]*(✓|✗)[\s\S]*margin -?\d/);
      log(`data check: ${await page.getByTestId('data-check-accuracy').innerText()}; first image ${first.replace(/\s+/g, ' ')}`);
      await check.screenshot({ path: `${artifacts}/own-model-data-check.png` });
      await noSeriousViolations(page, site, 'your model on your images, before any run', log);
      const corr = await liveRun(page, { examples: 12, masks: 60, valMasks: 12, timeout: 180 * SECOND });
      const cells = await page.locator('[data-testid^="cell-"]').count();
      assert.equal(cells, 14, 'one heatmap cell per component of the new model');
      // The app's pixels (16×16 PNGs resized to 12×12, scaled to 0–1) must be what the model was trained on.
      const accuracy = Number(await page.getByTestId('run-accuracy').getAttribute('data-value'));
      assert.ok(accuracy >= 0.75, `the model recognises its classes in the app (accuracy ${accuracy})`);
      log(`own model: ${cells} components, held-out correlation ${corr.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(0)}%`);
      await page.screenshot({ path: `${artifacts}/own-model-heatmap.png`, fullPage: true });
    },
  },
  {
    name: 'reload mid-run resumes without recomputing saved masks',
    async run({ page, site, log }) {
      await open(page, site, '?backend=wasm');
      await page.getByTestId('run-examples').fill('32');
      await page.getByTestId('run-masks').fill('1200');
      await page.getByTestId('run-val-masks').fill('100');
      await page.getByTestId('run-start').click();
      // Some chunks done and saved, far from the end.
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-done') || 0) >= 300, null, { timeout: 240 * SECOND });
      await page.waitForTimeout(1500);
      const before = Number(await page.getByTestId('run-progress').getAttribute('data-done'));
      await page.reload();

      const offer = page.getByTestId('resume-offer');
      await offer.waitFor({ timeout: 60 * SECOND });
      const saved = Number(await offer.getAttribute('data-done'));
      const total = Number(await offer.getAttribute('data-total'));
      log(`reloaded at ${before} rows done; ${saved} of ${total} saved: ${(await offer.innerText()).replace(/\s+/g, ' ')}`);
      assert.equal(total, 1300);
      assert.ok(saved > 0 && saved < total, `some rows were saved (${saved})`);
      await page.getByTestId('resume-offer-accept').click();

      const computed = page.getByTestId('run-rows-computed');
      await computed.waitFor({ timeout: 400 * SECOND });
      const now = Number(await computed.getAttribute('data-value'));
      const corr = Number(await page.getByTestId('run-correlation').getAttribute('data-value'));
      log(`resumed: ${now} rows computed after the reload; correlation ${corr.toFixed(3)}`);
      assert.ok(Number.isFinite(corr), 'the resumed run ends with a held-out correlation');
      assert.ok(now > 0 && now < total, `the resumed run computed only part of the rows (${now} of ${total})`);
      assert.equal(now, total - saved, 'exactly the rows not saved before the reload were computed');
      const row = page.locator('[data-testid="runs-list"] tr[data-status="complete"]');
      await row.first().waitFor({ timeout: 30 * SECOND });
    },
  },
  {
    name: 'share URL reopens the view in a fresh context',
    async run({ page, context, site, log }) {
      await open(page, site, '?preset=demo');
      await page.getByTestId('gallery-item-3').click();
      await page.getByTestId('cell-5').click();
      await page.getByTestId('cell-40').click();
      await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
      await page.getByTestId('share-link').click();
      const url = await page.getByTestId('share-url').inputValue();
      log(url.slice(site.url.length - 1));
      assert.ok(url.startsWith(site.url), 'the link stays on the site');
      const params = new URL(url).searchParams;
      assert.equal(params.get('preset'), 'demo');
      assert.equal(params.get('example'), '3');
      assert.equal(params.get('ablate')?.split(',').length, 2);

      const fresh = await context.browser().newContext({ viewport: { width: 1600, height: 1000 } });
      const problems = [];
      try {
        const other = await fresh.newPage();
        watchPage(other, site.origin, problems);
        await open(other, { url: '' }, url);
        await other.locator('[data-testid="gallery-item-3"][aria-selected="true"]').waitFor({ timeout: 30 * SECOND });
        await other.locator('[data-testid="cell-5"][aria-pressed="true"]').waitFor({ timeout: 30 * SECOND });
        assert.equal(await other.locator('[data-testid="cell-40"]').getAttribute('aria-pressed'), 'true');
        assert.equal(await other.getByTestId('ablated-list').getAttribute('data-count'), '2');
        await other.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
        assert.ok(await other.getByTestId('run-panel').count() === 1 && await other.getByTestId('open-own').count() === 1, 'nothing hidden without hide=');

        await open(other, { url: '' }, `${url}&hide=run,upload`);
        await other.locator('[data-testid="cell-5"][aria-pressed="true"]').waitFor({ timeout: 30 * SECOND });
        assert.equal(await other.getByTestId('run-panel').count(), 0, 'hide=run hides the run panel');
        assert.equal(await other.getByTestId('open-own').count(), 0, 'hide=upload hides "open your own model"');
        await other.getByTestId('share-link').click();
        assert.equal(new URL(await other.getByTestId('share-url').inputValue()).searchParams.get('hide'), 'run,upload', 'a link made there keeps what was hidden');

        const invalid = new URL(url);
        invalid.searchParams.set('example', '999');
        invalid.searchParams.set('hide', 'nothing');
        await open(other, { url: '' }, invalid.href);
        const banner = other.getByTestId('error-banner');
        await banner.getByText(/hide=nothing/).waitFor({ timeout: 10 * SECOND });
        await banner.getByText(/example=999/).waitFor({ timeout: 30 * SECOND });
      } finally {
        await fresh.close();
      }
      if (problems.length) throw new Error(problems.join('\n'));
    },
  },
];
