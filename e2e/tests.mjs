// The e2e scenarios. Each gets a fresh browser context; `site.url` is the app's sub-path URL.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { liveRun, open, SECOND } from './page-helpers.mjs';

async function backend(page) {
  const badge = page.getByTestId('backend-badge');
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend'), null, { timeout: 60 * SECOND });
  // One line; the adapter and the reason are details on demand.
  await page.getByTestId('backend-details').click();
  return { name: await badge.getAttribute('data-backend'), text: await badge.innerText() };
}

/** Clicks the component with the largest attribution for the selected example; returns how many margins moved. */
async function ablateOneAndCheck(page) {
  const cell = page.locator('[data-testid^="cell-"]').first();
  await cell.click();
  const table = page.getByTestId('ablation-results');
  await table.waitFor({ timeout: 60 * SECOND });
  const rows = await page.locator('[data-testid^="ablation-row-"]').allInnerTexts();
  assert.ok(rows.length > 0, 'ablation results list the examples');
  const moved = rows.filter((r) => !/\(\+0\.00\)|\(−0\.00\)|\(-0\.00\)/.test(r)).length;
  return { rows: rows.length, moved };
}

/**
 * Loads a downloaded model.json + weights.bin with plain tfjs (cpu, in Node) through a minimal
 * IOHandler, and returns the correct-class margin of data-set image `index` of the demo data.
 */
async function marginWithDownloadedModel(modelJsonPath, weightsPath, index) {
  const tf = await import('@tensorflow/tfjs');
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const json = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  assert.deepEqual(json.weightsManifest.map((g) => g.paths), [['weights.bin']], 'model.json points at weights.bin');
  const bytes = await readFile(weightsPath);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = await tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }) });
  const images = await readFile('public/data/fashion-mnist-test/images.u8');
  const labels = await readFile('public/data/fashion-mnist-test/labels.u8');
  const pixels = Float32Array.from(images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
  const logits = Array.from(await model.predict(tf.tensor4d(pixels, [1, 28, 28, 1])).data());
  const label = labels[index];
  return logits[label] - Math.max(...logits.filter((_, c) => c !== label));
}

export const tests = [
  {
    name: 'first screen shows the precomputed heatmap and explains it',
    async run({ page, site }) {
      await open(page, site);
      const cells = await page.locator('[data-testid^="cell-"]').count();
      assert.equal(cells, 272, 'one heatmap cell per component');
      assert.match(await page.getByTestId('intro').innerText(), /component/i);
      assert.ok(await page.locator('[data-testid^="gallery-item-"]').count() >= 16, 'the example gallery is filled');
    },
  },
  {
    name: 'automatic backend choice picks wasm here and says why',
    async run({ page, site, log }) {
      await open(page, site);
      const b = await backend(page);
      log(b.text.replace(/\s+/g, ' '));
      assert.equal(b.name, 'wasm');
      assert.match(b.text, /software|SwiftShader|fallback|faster/i);
    },
  },
  {
    name: 'live run on wasm ends with a held-out correlation; clicking a component changes margins',
    async run({ page, site, artifacts, log }) {
      await open(page, site, '?backend=wasm');
      const corr = await liveRun(page, { examples: 16, masks: 24, valMasks: 10, timeout: 180 * SECOND });
      log(`wasm live run correlation ${corr.toFixed(3)}; ${await page.getByTestId('run-panel').innerText().then((t) => (t.match(/[\d,]+ pairs\/s/) ?? [''])[0])}`);
      const { rows, moved } = await ablateOneAndCheck(page);
      log(`ablation: ${moved}/${rows} shown margins moved`);
      assert.ok(moved > 0, 'ablating a component changes margins');
      await page.getByTestId('accuracy-after').waitFor();
      await page.screenshot({ path: `${artifacts}/main-view.png`, fullPage: false });
    },
  },
  {
    name: 'live run forced onto WebGPU (SwiftShader) ends with a held-out correlation',
    async run({ page, site, log }) {
      await open(page, site, '?backend=webgpu');
      const b = await backend(page);
      assert.equal(b.name, 'webgpu', b.text);
      log(b.text.replace(/\s+/g, ' '));
      const corr = await liveRun(page, { examples: 16, masks: 24, valMasks: 10, timeout: 400 * SECOND });
      log(`webgpu live run correlation ${corr.toFixed(3)}; ${await page.getByTestId('run-panel').innerText().then((t) => (t.match(/[\d,]+ pairs\/s/) ?? [''])[0])}`);
    },
  },
  {
    name: 'fix this error: the preset fixes misclassified example 23; the exported model agrees',
    async run({ page, site, artifacts, log }) {
      await open(page, site);
      const item = page.getByTestId('gallery-item-23');
      const [, label, predicted] = /^Example #23: (.+), predicted (.+), margin/.exec(await item.getAttribute('title')) ?? [];
      assert.ok(label && predicted && label !== predicted, `run position 23 is data-set image 23 and misclassified (${label} predicted ${predicted})`);
      await item.click();
      await page.getByTestId('preset-fix').click();
      const result = page.locator('[data-testid="preset-result"][data-reached="true"]');
      await result.waitFor({ timeout: 60 * SECOND });
      const k = Number(await result.getAttribute('data-k'));
      log(`${await result.innerText()}`);
      assert.ok(k >= 1 && k <= 20, `k = ${k}`);
      assert.match(await result.innerText(), new RegExp(`Fixed with k = ${k} component`));
      const outcome = page.getByTestId('edit-outcome');
      const num = async (name) => Number(await outcome.getAttribute(`data-${name}`));
      assert.equal(await num('k'), k);
      assert.equal(await num('target-accuracy-before'), 0);
      assert.equal(await num('target-accuracy-after'), 1);
      assert.ok(await num('target-margin-after') > 0 && await num('target-margin-before') < 0, 'the target margin turns positive');
      assert.match(await page.getByTestId('edit-row-target').innerText(), /0\.0%\s*→\s*100\.0%/);
      const dataset = await page.getByTestId('edit-row-dataset').innerText();
      assert.match(dataset, /999/, 'accuracy on the data set without the target');
      log(`reference ${await num('reference-accuracy-before')} → ${await num('reference-accuracy-after')}; data set without the target ${await num('dataset-accuracy-before')} → ${await num('dataset-accuracy-after')}`);
      await page.getByTestId('edit-panel').screenshot({ path: `${artifacts}/edit-fix.png` });

      // The exported edited model loads in plain tfjs and gives the edited margin.
      const downloads = [];
      page.on('download', (d) => downloads.push(d));
      await page.getByTestId('export-edited-model').click();
      for (let t = 0; downloads.length < 2 && t < 100; t++) await page.waitForTimeout(100);
      assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), ['model.json', 'weights.bin']);
      const paths = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await d.path()])));
      const margin = await marginWithDownloadedModel(paths['model.json'], paths['weights.bin'], 23);
      log(`exported model: margin of #23 = ${margin.toFixed(3)} (page: ${(await num('target-margin-after')).toFixed(3)})`);
      assert.ok(Math.abs(margin - await num('target-margin-after')) < 1e-3, 'the exported model reproduces the edited margin');
    },
  },
];
