// The e2e scenarios. Each gets a fresh browser context; `site.url` is the app's sub-path URL.
import assert from 'node:assert/strict';

const SECOND = 1000;

async function open(page, site, query = '') {
  await page.goto(`${site.url}${query}`);
  await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
}

async function backend(page) {
  const badge = page.getByTestId('backend-badge');
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend'), null, { timeout: 60 * SECOND });
  return { name: await badge.getAttribute('data-backend'), text: await badge.innerText() };
}

/** Starts a small live run and waits for its held-out correlation. */
async function liveRun(page, { examples, masks, valMasks, timeout }) {
  await page.getByTestId('run-examples').fill(String(examples));
  await page.getByTestId('run-masks').fill(String(masks));
  await page.getByTestId('run-val-masks').fill(String(valMasks));
  await page.getByTestId('run-start').click();
  const corr = page.getByTestId('run-correlation');
  await corr.waitFor({ timeout });
  const value = Number(await corr.getAttribute('data-value'));
  assert.ok(Number.isFinite(value) && value > -1 && value <= 1, `correlation shown: ${await corr.innerText()}`);
  return value;
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
      const corr = await liveRun(page, { examples: 16, masks: 24, valMasks: 8, timeout: 180 * SECOND });
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
      const corr = await liveRun(page, { examples: 16, masks: 24, valMasks: 8, timeout: 400 * SECOND });
      log(`webgpu live run correlation ${corr.toFixed(3)}; ${await page.getByTestId('run-panel').innerText().then((t) => (t.match(/[\d,]+ pairs\/s/) ?? [''])[0])}`);
    },
  },
];
