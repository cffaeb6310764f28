// Numbers to trust on a model the app was not made for: a softmax output (the summary says it is
// bypassed), image folders whose names sort in another order than the model's classes (the page
// warns, offers the likely order, and accepting it restores the true accuracy), and the
// conversions made to the images, said once.
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLASSES, writeImages, writeModel } from './unseen-model.mjs';
import { open, SECOND } from './page-helpers.mjs';

export const trustTests = [
  {
    name: 'softmax model and sorted folder labels: logits, accuracy before any run, the class order offered',
    async run({ page, site, artifacts, log }) {
      const dir = await mkdtemp(join(tmpdir(), 'coar-trust-'));
      const trained = await writeModel(dir, { softmax: true });
      log(`trained: training accuracy ${(100 * trained.accuracy).toFixed(0)}%`);
      const images = join(dir, 'images');
      await writeImages(images);

      await open(page, site);
      await page.getByTestId('open-own').click();
      await page.getByTestId('model-files').setInputFiles([join(dir, 'model.json'), join(dir, 'weights.bin')]);
      const scores = page.getByTestId('model-scores');
      await scores.waitFor({ timeout: 60 * SECOND });
      assert.equal(await scores.getAttribute('data-scores'), 'before-activation');
      assert.match(await scores.innerText(), /logit gaps: the final softmax of layer "logits" is bypassed/);

      // No class names: the sorted folder names (checker, hstripes, square, vstripes) are not the model's order.
      await page.getByTestId('image-folder').setInputFiles(images);
      await page.waitForFunction(() => document.querySelector('[data-testid="image-preview"]')?.getAttribute('data-classes') === '4', null, { timeout: 60 * SECOND });
      await page.getByTestId('load-custom').click();

      const warning = page.getByTestId('label-order-warning');
      await warning.waitFor({ timeout: 90 * SECOND });
      const before = Number(await page.getByTestId('data-check-accuracy').getAttribute('data-accuracy'));
      const suggested = (await page.getByTestId('label-order-suggestion').locator('li').allInnerTexts()).map((s) => s.trim());
      log(`sorted labels: accuracy ${(100 * before).toFixed(0)}%; suggested order ${suggested.join(', ')}`);
      assert.deepEqual(suggested, CLASSES, 'the offered order is the model\'s');
      assert.ok(before < 0.5, `the sorted order scores low (${before})`);
      assert.match(await page.getByTestId('data-check-scores').innerText(), /softmax of layer "logits" is bypassed/);
      const conversions = await page.getByTestId('data-check-conversions').innerText();
      assert.match(conversions, /24 images resized from 16×16 to 12×12 \(×0\.75\)/);
      assert.equal(conversions.match(/resized/g).length, 1, 'each conversion said once');
      const margins = await page.getByTestId('data-check-margins').innerText();
      log(`margins with the sorted order: ${margins}`);
      await page.getByTestId('data-check').screenshot({ path: `${artifacts}/label-order-warning.png` });

      await page.getByTestId('label-order-accept').click();
      await page.waitForFunction(() => {
        const el = document.querySelector('[data-testid="data-check-accuracy"]');
        return el && Number(el.getAttribute('data-accuracy')) >= 0.75 && !document.querySelector('[data-testid="label-order-warning"]');
      }, null, { timeout: 90 * SECOND });
      const after = Number(await page.getByTestId('data-check-accuracy').getAttribute('data-accuracy'));
      log(`after accepting: accuracy ${(100 * after).toFixed(0)}%`);
      assert.ok(Math.abs(after - trained.accuracy) <= 0.25, `close to the training accuracy (${after} vs ${trained.accuracy})`);
      // Logit margins: a trained softmax classifier's logit gaps go well past 1.
      const max = Number((await page.getByTestId('data-check-margins').innerText()).match(/to (-?[\d.]+)/)[1]);
      assert.ok(max > 1, `margins are logit gaps, not probability gaps (largest ${max})`);
    },
  },
];
