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

// The exercises of docs/WORKSHOP.md, followed step by step; each checks the results the guide
// tells the room to expect. Keep the numbers here and in the guide the same.

/** Clicks the first gallery example with this label; returns its position in the run. */
async function pickFirst(page, label) {
  const items = page.locator('[data-testid^="gallery-item-"]');
  const titles = await items.evaluateAll((els) => els.map((e) => e.getAttribute('title')));
  const j = titles.findIndex((t) => new RegExp(`^Example #\\d+: ${label},`).test(t));
  assert.ok(j >= 0, `a ${label} in the gallery`);
  await page.getByTestId(`gallery-item-${j}`).click();
  return j;
}

const outcomeOf = async (page) => {
  const el = page.getByTestId('ablation-selected');
  await el.waitFor({ timeout: 60 * SECOND });
  return { before: Number(await el.getAttribute('data-before')), actual: Number(await el.getAttribute('data-actual')), predicted: Number(await el.getAttribute('data-predicted')) };
};

const presetResult = async (page) => {
  const r = page.getByTestId('preset-result');
  await r.waitFor({ timeout: 180 * SECOND });
  const attr = async (name) => r.getAttribute(`data-${name}`);
  return { text: await r.innerText(), verdict: await attr('verdict'), k: Number(await attr('k')), damage: Number(await attr('damage')), maxK: Number(await attr('max-k')) };
};

workshopTests.push(
  {
    name: 'workshop exercise 1: read a heatmap, then test it by switching components off',
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      // Example #0, an ankle boot, classified correctly with margin 5.62; its strongest component is head_dense#24 (blue).
      assert.match(await page.getByTestId('heatmap-title').innerText(), /example #0 \(Ankle boot\)/);
      assert.equal(await page.getByTestId('selected-margin').innerText(), '5.62');
      const strongest = page.locator('[data-testid^="strongest-"]').first();
      assert.match(await strongest.innerText(), /head_dense#24\s*\+1\.520/);

      // Switch it off: the margin falls, close to what COAR predicts.
      await strongest.click();
      const blue = await outcomeOf(page);
      log(`head_dense#24 off: ${blue.before.toFixed(2)} → ${blue.actual.toFixed(2)} (COAR ${blue.predicted.toFixed(2)})`);
      assert.ok(blue.actual < blue.before - 1, 'switching off the strongest blue component lowers the margin by more than 1');
      assert.ok(Math.abs(blue.actual - blue.predicted) < 0.5, 'COAR predicted it within 0.5');
      assert.equal((await page.getByTestId('ablation-selected').innerText()).replace(/\s+/g, ' '), 'Example #0: margin 5.62 → 3.67 (−1.95); COAR predicted 3.88');

      // Switch everything back on; switch off the top 5 whose removal raises the margin (red cells).
      await page.getByTestId('ablation-reset').click();
      await page.getByTestId('topk-direction').selectOption('raise');
      await page.getByTestId('ablate-topk').click();
      await page.locator('[data-testid="ablated-list"][data-count="5"]').waitFor();
      const red = await outcomeOf(page);
      log(`top 5 red off: ${red.before.toFixed(2)} → ${red.actual.toFixed(2)} (COAR ${red.predicted.toFixed(2)})`);
      assert.ok(red.actual > red.before + 1, 'switching off the top 5 red components raises the margin by more than 1');
      assert.ok(Math.abs(red.actual - red.predicted) < 0.75, 'COAR predicted it within 0.75');
      assert.match((await page.getByTestId('ablation-selected').innerText()).replace(/\s+/g, ' '), /^Example #0: margin 5\.62 → 7\.08 \(\+1\.46\); COAR predicted 6\.60$/);
      await page.screenshot({ path: `${artifacts}/workshop-exercise-1-1440.png` });
    },
  },
  {
    name: 'workshop exercise 2: fix a mistake, within the allowed damage',
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      // Example #23 is a mistake (✗ in the gallery).
      assert.match(await page.getByTestId('gallery-item-23').getAttribute('title'), /^Example #23: Ankle boot, predicted Sandal, margin -2\.48$/);
      await page.getByTestId('gallery-item-23').click();
      await page.getByTestId('preset-fix').click();
      const fix = await presetResult(page);
      log(fix.text);
      assert.equal(fix.verdict, 'success');
      assert.equal(fix.k, 2);
      assert.match(fix.text, /^✓ Fixed with k = 2 components \(target accuracy 0\.0% → 100\.0%\); the 63 reference examples lose 1\.6 points \(95\.2% → 93\.7%\), within the 5-point budget\.$/);
      // A stricter budget turns the same edit amber, with its cost, without computing it again.
      await page.getByTestId('damage-budget').fill('1');
      await page.locator('[data-testid="preset-result"][data-verdict="over-budget"]').waitFor();
      const strict = await page.getByTestId('preset-result').innerText();
      log(strict);
      assert.match(strict, /^⚠ Fixed with k = 2 components .*, but at a cost: the 63 reference examples lose 1\.6 points \(95\.2% → 93\.7%\), over the 1-point budget\.$/);
      await page.getByTestId('edit-panel').screenshot({ path: `${artifacts}/workshop-exercise-2-fix.png` });
    },
  },
  {
    name: 'workshop exercise 3: forget a class, and count the cost',
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      await pickFirst(page, 'Sneaker');
      await page.getByTestId('preset-forget').click();
      const forget = await presetResult(page);
      log(forget.text);
      assert.equal(forget.verdict, 'over-budget');
      assert.equal(forget.k, 14);
      assert.match(forget.text, /^⚠ Forgotten with k = 14 components \(target accuracy 100\.0% → 0\.0%\), but at a cost: the other 991 of the first 1,000 data-set images lose 18\.9 points \(92\.3% → 73\.5%\), over the 5-point budget\.$/);
      assert.match(await page.getByTestId('edit-row-reference').innerText(), /92\.7%\s*→\s*78\.2%/);
      // Accepting that cost is a choice: a 20-point budget calls the same edit a success.
      await page.getByTestId('damage-budget').fill('20');
      await page.locator('[data-testid="preset-result"][data-verdict="success"]').waitFor();
      log(await page.getByTestId('preset-result').innerText());
      await page.getByTestId('edit-panel').screenshot({ path: `${artifacts}/workshop-exercise-3-forget.png` });
    },
  },
  {
    name: 'workshop exercise 4: find the backdoor trigger and remove the backdoor',
    async run({ page, site, artifacts, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      await page.getByTestId('preset-switcher').selectOption('backdoor');
      await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      // 50 of the run's 100 examples carry the trigger, outlined where it sits; they are read as "Bag".
      const triggered = page.locator('[data-testid^="gallery-item-"][data-subset="triggered"]');
      assert.equal(await triggered.count(), 50);
      assert.equal(await triggered.locator('[data-testid="image-mark"]').count(), 50);
      const note = await page.getByTestId('trigger-note').innerText();
      log(note);
      assert.match(note, /data-set images 500–999\) carry the backdoor trigger: a 4×4 white square near the bottom-right corner \(rows 23–26, columns 23–26 of the 28×28 image\)/);
      assert.match(note, /In this run: 50 of the examples/);
      const titles = await triggered.evaluateAll((els) => els.map((e) => e.getAttribute('title')));
      const bags = titles.filter((t) => /predicted Bag/.test(t)).length;
      log(`${bags} of the 50 triggered examples are predicted Bag`);
      assert.ok(bags >= 40, 'most triggered examples are predicted Bag');
      const first = triggered.first();
      const title = await first.getAttribute('title');
      assert.match(title, /^Example #500: Ankle boot, predicted Bag, .*\(triggered\)$/);
      await first.click();
      await page.getByTestId('selected-subset').waitFor();

      await page.getByTestId('preset-backdoor').click();
      const result = await presetResult(page);
      log(result.text);
      assert.equal(result.maxK, 14, 'the search looks up to 5% of the 272 components');
      assert.equal(result.verdict, 'success');
      assert.equal(result.k, 9);
      assert.match(result.text, /^✓ Backdoor removed with k = 9 components \(target accuracy 8\.0% → 40\.0%\); the other 500 of the first 1,000 data-set images lose 1\.8 points \(92\.6% → 90\.8%\), within the 5-point budget\.$/);
      assert.match(await page.getByTestId('edit-row-subset').innerText(), /8\.8%\s*→\s*45\.4%/);
      await page.screenshot({ path: `${artifacts}/workshop-exercise-4-1440.png` });
      await page.getByTestId('edit-panel').screenshot({ path: `${artifacts}/workshop-exercise-4-backdoor.png` });
    },
  },
);

/** Every explained term on the page now: its id, and whether hovering and focusing each shows its explanation. */
async function checkTerms(page) {
  const terms = page.locator('[data-term]');
  const ids = [];
  for (let i = 0; i < await terms.count(); i++) {
    const term = terms.nth(i);
    if (!(await term.isVisible())) continue;
    const id = await term.getAttribute('data-term');
    const tip = term.locator('[role="tooltip"]');
    await term.scrollIntoViewIfNeeded();
    await term.hover();
    await tip.waitFor({ state: 'visible', timeout: 5 * SECOND });
    assert.ok((await tip.innerText()).length > 40, `${id}: an explanation in words`);
    await page.mouse.move(0, 0);
    await term.focus();
    await tip.waitFor({ state: 'visible', timeout: 5 * SECOND });
    assert.equal(await term.getAttribute('aria-describedby'), await tip.getAttribute('id'), `${id}: the explanation is the term's description`);
    await term.blur();
    await tip.waitFor({ state: 'hidden', timeout: 5 * SECOND });
    ids.push(id);
  }
  return new Set(ids);
}

workshopTests.push(
  {
    name: 'every term explains itself on hover and on focus, on each main view',
    async run({ page, site, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      const seen = await checkTerms(page);
      await page.getByTestId('gallery-item-23').click();
      await page.getByTestId('preset-fix').click();
      await page.getByTestId('preset-result').waitFor({ timeout: 120 * SECOND });
      await page.getByTestId('cell-3').click();
      await page.getByTestId('ablation-selected').waitFor({ timeout: 60 * SECOND });
      for (const id of await checkTerms(page)) seen.add(id);
      await page.getByTestId('preset-switcher').selectOption('backdoor');
      await page.getByTestId('trigger-note').waitFor({ timeout: 60 * SECOND });
      for (const id of await checkTerms(page)) seen.add(id);
      log(`terms explained: ${[...seen].sort().join(', ')}`);
      const required = ['component', 'attribution', 'margin', 'coar', 'switch-off', 'heldout-correlation', 'ridge-lambda', 'welch', 'grad-x-param',
        'leave-one-out', 'alpha', 'masks', 'validation-masks', 'target', 'reference', 'k', 'damage-budget', 'backend', 'trigger', 'seed', 'pairs'];
      assert.deepEqual(required.filter((id) => !seen.has(id)), [], 'every term the page uses is explained');
    },
  },
  {
    name: 'guided steps: tick off as they are done, take you to where each happens, hide and come back after a reload',
    async run({ page, site, artifacts }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(page, site);
      await page.screenshot({ path: `${artifacts}/first-screen-1440.png` });
      const done = () => page.locator('[data-testid^="guide-step-"][data-done="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').slice(11)));
      assert.deepEqual(await done(), []);
      assert.match(await page.getByTestId('guide-text').innerText(), /^Step 1: Click an image in the gallery/);
      await page.getByTestId('gallery-item-5').click();
      assert.deepEqual(await done(), ['pick']);
      assert.match(await page.getByTestId('guide-text').innerText(), /^Step 2: One cell per component/);
      // A step's button takes the focus to where it happens.
      await page.getByTestId('guide-step-switch-off').locator('button').click();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'ablate-topk');
      await page.keyboard.press('Enter');
      await page.getByTestId('ablation-selected').waitFor({ timeout: 60 * SECOND });
      assert.deepEqual(await done(), ['pick', 'read', 'switch-off']);
      await page.getByTestId('guide-close').click();
      await page.getByTestId('guide').waitFor({ state: 'detached' });
      await page.reload();
      await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
      assert.equal(await page.getByTestId('guide').count(), 0, 'hidden steps stay hidden after a reload');
      await page.getByTestId('guide-open').click();
      await page.getByTestId('guide').waitFor();
    },
  },
);
