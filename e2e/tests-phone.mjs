// A phone (390×844, touch, mobile viewport): the page never scrolls sideways — first screen, a
// tapped cell's results, an edit preset's table, the backend details, "open your own model", the
// evaluation view — the gallery swipes as one row, and taps toggle cells, pick examples and modes.
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

const WIDTH = 390;

/** The page's width against the phone's, and what sticks out (outside scrolling boxes), for a readable failure. */
async function fits(page, when) {
  const o = await page.evaluate((width) => ({
    scrollWidth: document.documentElement.scrollWidth,
    offenders: [...document.querySelectorAll('body *')].filter((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.right > width + 0.5 && !e.closest('.table-scroll, .gallery, .layer-table-box, .table-box');
    }).slice(0, 6).map((e) => `${e.tagName.toLowerCase()}${e.getAttribute('data-testid') ? `[${e.getAttribute('data-testid')}]` : ''}.${String(e.className?.baseVal ?? e.className).replace(/\s+/g, '.')}`),
  }), WIDTH);
  assert.ok(o.scrollWidth <= WIDTH, `${when}: the page is ${o.scrollWidth} px wide on a ${WIDTH} px phone; sticking out: ${o.offenders.join(', ')}`);
}

export const phoneTests = [
  {
    name: 'phone 390×844 with touch: no sideways scroll anywhere, taps toggle cells, pick examples and edit',
    contextOptions: { viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true },
    async run({ page, site, artifacts, log }) {
      await open(page, site);
      await fits(page, 'first screen');
      await page.screenshot({ path: `${artifacts}/phone-390-first-screen.png` });

      // The gallery is one row that scrolls inside itself.
      const gallery = await page.getByTestId('gallery').evaluate((g) => ({ scroll: g.scrollWidth, client: g.clientWidth, rows: new Set([...g.children].map((c) => Math.round(c.getBoundingClientRect().top))).size }));
      assert.equal(gallery.rows, 1, 'the gallery is one row on a phone');
      assert.ok(gallery.scroll > gallery.client, 'the gallery scrolls sideways within itself');

      // Tap a cell: it is switched off and the results come.
      await page.getByTestId('cell-14').tap();
      await page.locator('[data-testid="cell-14"][aria-pressed="true"]').waitFor({ timeout: 10 * SECOND });
      await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
      await fits(page, 'after a tapped cell');
      // The outcome stays in view at the bottom of the window, next to the tapped cell.
      const summary = page.getByTestId('toggle-summary');
      await page.waitForFunction(() => /margin [-\d.]+ → [-\d.]+ \([+−]\d/.test(document.querySelector('[data-testid="toggle-summary"]')?.textContent ?? ''), null, { timeout: 30 * SECOND });
      const cellBox = await page.getByTestId('cell-14').boundingBox();
      const box = await summary.boundingBox();
      assert.ok(cellBox.y >= 0 && cellBox.y + cellBox.height <= 844 && box.y >= 0 && box.y + box.height <= 844.5, `the tapped cell (${Math.round(cellBox.y)}) and the outcome (${Math.round(box.y)}) are both in the window`);
      log(`phone summary: ${(await summary.innerText()).replace(/\s+/g, ' ')}`);
      await page.screenshot({ path: `${artifacts}/phone-390-tapped-cell.png` });
      await page.getByTestId('toggle-summary-results').tap();
      await page.waitForFunction(() => { const r = document.querySelector('[data-testid="ablation-panel"]').getBoundingClientRect(); return r.top >= -1 && r.top < 200; }, null, { timeout: 10 * SECOND });
      await page.getByTestId('ablation-panel').screenshot({ path: `${artifacts}/phone-390-toggle.png` });

      // Tap a mode and an example; the example's heatmap follows.
      await page.getByTestId('mode-class').tap();
      assert.match(await page.getByTestId('heatmap-title').innerText(), /Mean attributions over the \d+ run examples labelled/);
      await page.getByTestId('mode-example').tap();
      await page.getByTestId('gallery-item-23').tap();
      assert.match(await page.getByTestId('heatmap-title').innerText(), /example #23/);

      // An edit preset and its table.
      await page.getByTestId('preset-fix').tap();
      await page.getByTestId('preset-result').waitFor({ timeout: 120 * SECOND });
      await fits(page, 'after "Fix this error"');
      log(`phone: ${await page.getByTestId('preset-result').innerText()}`);

      // The backend's details, the term explanations, the own-model panel.
      await page.getByTestId('backend-details').tap();
      await page.getByTestId('backend-reason').waitFor();
      await fits(page, 'backend details open');
      // A tap elsewhere closes them.
      await page.getByTestId('heatmap-title').tap();
      await page.getByTestId('backend-reason').waitFor({ state: 'hidden' });
      await page.locator('.intro [data-term="margin"]').tap();
      await page.getByTestId('term-tip-margin').first().waitFor();
      await fits(page, 'a term explained');
      await page.getByTestId('open-own').tap();
      await page.getByTestId('open-own-panel').waitFor();
      await fits(page, '"Open your own model" open');
      await page.screenshot({ path: `${artifacts}/phone-390-full.png`, fullPage: true });
    },
  },
];
