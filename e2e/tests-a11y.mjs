// Accessibility: axe-core (served from the site's own origin, so the page's CSP allows it, and
// injected with page.addScriptTag) on each main view, with no serious or critical violations; and
// the guided steps followed with the keyboard alone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { open, SECOND } from './page-helpers.mjs';

const AXE = 'axe-for-tests.js';
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe on the page as it is; returns the serious and critical violations (and logs every finding's count). */
async function axe(page, site, view, log) {
  site.routes.set(`${site.mount}${AXE}`, async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    res.end(await axeSource);
  });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ url: `${site.url}${AXE}` });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  log(`axe, ${view}: ${result.violations.length === 0 ? 'no violations' : result.violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(', ')}`);
  return bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join('\n      ')}`);
}

export async function noSeriousViolations(page, site, view, log) {
  let bad;
  try {
    bad = await axe(page, site, view, log);
  } finally {
    site.routes.delete(`${site.mount}${AXE}`);
  }
  assert.deepEqual(bad, [], `serious or critical accessibility violations on ${view}:\n    ${bad.join('\n    ')}`);
}

export const a11yTests = [
  {
    name: 'accessibility: axe finds no serious or critical violations on each main view',
    async run({ page, site, log }) {
      await page.setViewportSize({ width: 1440, height: 900 });
      try {
        await open(page, site, '?backend=wasm');
        await noSeriousViolations(page, site, 'the first screen', log);
        await page.locator('.intro [data-term="margin"]').hover();
        await page.getByTestId('backend-details').click();
        await noSeriousViolations(page, site, 'a term explained, the backend details open', log);
        await page.getByTestId('cell-14').click();
        await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
        await noSeriousViolations(page, site, 'a switched-off component and its results', log);
        await page.getByTestId('gallery-item-23').click();
        await page.getByTestId('preset-fix').click();
        await page.getByTestId('preset-result').waitFor({ timeout: 120 * SECOND });
        await noSeriousViolations(page, site, 'an edit and its outcome', log);
        await page.getByTestId('eval-masks').fill('3');
        await page.getByTestId('eval-loo').uncheck();
        await page.getByTestId('eval-start').click();
        await page.getByTestId('eval-results').waitFor({ timeout: 180 * SECOND });
        await noSeriousViolations(page, site, 'the evaluation views', log);
        await page.getByTestId('open-own').click();
        await page.getByTestId('open-own-panel').waitFor();
        await noSeriousViolations(page, site, '"Open your own model"', log);
        await page.goto(`${site.url}?preset=backdoor`);
        await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
        await page.getByTestId('guide-close').click();
        await noSeriousViolations(page, site, 'the backdoored model, steps hidden', log);
        await page.setViewportSize({ width: 390, height: 844 });
        await noSeriousViolations(page, site, 'the backdoored model at 390 px', log);
      } finally {
        site.routes.delete(`${site.mount}${AXE}`);
      }
    },
  },
];

/** The focused element's data-testid. */
const focused = (page) => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.tagName);

/** Presses Tab (or Shift+Tab) until the focus is on `testId`; fails after `max` presses. */
async function tabTo(page, testId, { back = false, max = 60 } = {}) {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === testId) return i;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.equal(await focused(page), testId, `${testId} reached with ${back ? 'Shift+' : ''}Tab within ${max} presses`);
  return max;
}

/** The guide step's button (its <li> holds the data-testid). */
const stepButton = (id) => `guide-step-${id}`;
const stepDone = (page, id) => page.getByTestId(stepButton(id)).getAttribute('data-done');

a11yTests.push({
  name: 'accessibility: the guided steps followed with the keyboard alone',
  async run({ page, site, log }) {
    await page.setViewportSize({ width: 1440, height: 900 });
    await open(page, site, '?backend=wasm');
    await page.evaluate(() => document.activeElement?.blur());

    // 1. Pick an example: the step's button takes the focus to the gallery; arrows pick.
    const presses = await tabTo(page, stepButton('pick'));
    log(`step 1 reached with ${presses} Tab presses`);
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'gallery-item-0');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), 'gallery-item-1');
    assert.match(await page.getByTestId('heatmap-title').innerText(), /example #1 /);
    assert.equal(await stepDone(page, 'pick'), 'true');

    // 2. Read its heatmap: the focus lands on a cell, whose value is said.
    await tabTo(page, stepButton('read'), { back: true });
    await page.keyboard.press('Enter');
    assert.match(await focused(page), /^cell-\d+$/);
    await page.getByTestId('heatmap-tooltip').waitFor();
    assert.match(await page.getByTestId('heatmap-tooltip').innerText(), /keeping it (raises|lowers) the margin/);
    assert.equal(await stepDone(page, 'read'), 'true');

    // 3. Switch components off: Enter on the cell; the results come beside the heatmap.
    const cell = await focused(page);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="${cell}"][aria-pressed="true"]`).waitFor();
    await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
    assert.equal(await stepDone(page, 'switch-off'), 'true');
    log(`switched off ${cell}: ${await page.getByTestId('ablation-selected').innerText()}`);

    // 4. Edit the model: the step focuses the first preset; Tab to "Forget this class", Enter.
    await tabTo(page, stepButton('edit'), { back: true, max: 80 });
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'preset-fix');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'preset-forget');
    await page.keyboard.press('Enter');
    await page.getByTestId('preset-result').waitFor({ timeout: 120 * SECOND });
    assert.equal(await stepDone(page, 'edit'), 'true');
    log(`forget by keyboard: ${await page.getByTestId('preset-result').innerText()}`);

    // 5 and 6: the evaluation and the live run are one Enter away.
    await tabTo(page, stepButton('evaluate'), { back: true, max: 120 });
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'eval-start');
    await tabTo(page, stepButton('run'), { back: true, max: 120 });
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'run-start');

    // The steps hide and come back from the keyboard; Escape closes an explanation.
    await tabTo(page, 'guide-close', { back: true, max: 150 });
    await page.keyboard.press('Enter');
    await page.getByTestId('guide').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'guide-open');
    await page.keyboard.press('Enter');
    await page.getByTestId('guide').waitFor();
    await page.locator('.intro [data-term="margin"]').focus();
    await page.getByTestId('term-tip-margin').first().waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('term-tip-margin').first().waitFor({ state: 'hidden' });
  },
});
