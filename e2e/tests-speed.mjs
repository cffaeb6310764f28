// Speed you can see: the first screen cold (fresh profiles) beside a bare page load in the same run
// (something painted within 200 ms, the heatmap within 2 s), a time estimate before every run (live
// run, evaluation, edit searches), an estimated time left before a run measures its own, and a busy
// indicator on every action that takes longer than 300 ms (the .coar export, an edit search).
import assert from 'node:assert/strict';
import { open, SECOND } from './page-helpers.mjs';

const BARE = 'bare-page.html';
const COLD_LOADS = 3;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One cold load in a fresh context: first contentful paint and the heatmap's first appearance, in ms from navigation start. */
async function coldLoad(browser, url, waitForHeatmap) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="heatmap"] [data-testid^="cell-"]')) {
        window.heatmapAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  if (waitForHeatmap) await page.waitForFunction(() => window.heatmapAt, null, { timeout: 60 * SECOND });
  else await page.waitForLoadState('load');
  const t = await page.evaluate(async () => {
    // The paint entries land a frame after the paint.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return { fcp: paint ? paint.startTime : NaN, heatmap: window.heatmapAt ?? NaN, load: performance.getEntriesByType('navigation')[0].loadEventEnd };
  });
  await context.close();
  return t;
}

/** Records, in the page, when the busy indicator first shows each request type (ms after `window.busyT0`). */
async function watchBusy(page) {
  await page.evaluate(() => {
    window.busySeen = {};
    const el = document.querySelector('[data-testid="busy-indicator"]');
    new MutationObserver(() => {
      const type = el.getAttribute('data-busy');
      if (type && !(type in window.busySeen)) window.busySeen[type] = performance.now() - window.busyT0;
    }).observe(el, { attributes: true, attributeFilter: ['data-busy'] });
  });
}

export const speedTests = [
  {
    name: 'speed: first paint within 200 ms and the heatmap within 2 s cold, beside a bare page load in the same run',
    async run({ page, site, log }) {
      site.routes.set(`${site.mount}${BARE}`, (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end('<!doctype html><html lang="en"><title>bare</title><p>A bare page: what this machine takes to show anything.</p></html>');
      });
      const browser = page.context().browser();
      const bare = [];
      const app = [];
      try {
        for (let i = 0; i < COLD_LOADS; i++) {
          bare.push(await coldLoad(browser, `${site.url}${BARE}`, false));
          app.push(await coldLoad(browser, site.url, true));
        }
      } finally {
        site.routes.delete(`${site.mount}${BARE}`);
      }
      const ms = (x) => `${Math.round(x)} ms`;
      log(`bare page: first paint ${bare.map((b) => ms(b.fcp)).join(', ')}; load ${bare.map((b) => ms(b.load)).join(', ')}`);
      log(`app, cold: first paint ${app.map((a) => ms(a.fcp)).join(', ')}; heatmap ${app.map((a) => ms(a.heatmap)).join(', ')}`);
      log(`medians: bare first paint ${ms(median(bare.map((b) => b.fcp)))}, app first paint ${ms(median(app.map((a) => a.fcp)))}, first heatmap ${ms(median(app.map((a) => a.heatmap)))}`);
      assert.ok(median(app.map((a) => a.fcp)) <= 200, 'something is painted within 200 ms (median of the cold loads)');
      assert.ok(median(app.map((a) => a.heatmap)) <= 2000, 'the first heatmap within 2 s cold (median)');
    },
  },
  {
    name: 'speed: a time estimate before every run, time left from the start, a busy indicator on the .coar export and an edit search',
    async run({ page, site, log }) {
      await open(page, site, '?backend=wasm');
      // Before any run: the live run, the evaluation, the edit searches, each with its time.
      await page.getByTestId('run-estimate-time').waitFor({ timeout: 30 * SECOND });
      const estimates = {
        run: await page.getByTestId('run-estimate').innerText(),
        evaluation: await page.getByTestId('eval-estimate').innerText(),
        edit: await page.getByTestId('edit-search-estimate').innerText(),
      };
      for (const [what, text] of Object.entries(estimates)) log(`${what}: ${text}`);
      assert.match(estimates.run, /pairs to run, about \d+ (s|min) at [\d,]+ pairs\/s/);
      assert.match(estimates.evaluation, /about \d+ (s|min) at [\d,]+ pairs\/s/);
      assert.match(estimates.edit, /at most about (<1 s|\d+ s) \(fix\), (<1 s|\d+ s) \(forget\)/);

      // A live run says how long it has left from its first moment, before its first chunk is measured.
      await page.getByTestId('run-masks').fill('600');
      await page.getByTestId('run-start').click();
      await page.waitForFunction(() => /\(estimated before the start\)|ETA/.test(document.querySelector('[data-testid="run-progress-detail"]')?.textContent ?? ''), null, { timeout: 3 * SECOND });
      log(`run started: ${await page.getByTestId('run-progress-detail').innerText()}`);
      await page.getByTestId('run-cancel').click();
      await page.getByTestId('run-partial').waitFor({ timeout: 60 * SECOND });

      // The .coar export: its button says so at once; the indicator shows it when it takes over 300 ms.
      await watchBusy(page);
      const download = page.waitForEvent('download', { timeout: 60 * SECOND });
      // Clicked in the page, so the clock starts with the click itself.
      await page.evaluate(() => { window.busyT0 = performance.now(); document.querySelector('[data-testid="run-export"]').click(); });
      const saving = await page.getByTestId('run-export').innerText();
      const file = await download;
      const took = await page.evaluate(() => performance.now() - window.busyT0);
      const seen = await page.evaluate(() => window.busySeen);
      log(`.coar export (${file.suggestedFilename()}): ${Math.round(took)} ms; button "${saving}"; indicator at ${seen['export-run'] === undefined ? 'never' : `${Math.round(seen['export-run'])} ms`}`);
      assert.ok(/Saving…/.test(saving) || took < 300, 'the export button says it is saving');
      if (took > 450) assert.ok(seen['export-run'] !== undefined && seen['export-run'] <= 450, 'the busy indicator shows the export within 300 ms (+ a frame)');

      // An edit search (several seconds here): the indicator names it, with the time so far.
      await page.getByTestId('gallery-item-23').click();
      await page.evaluate(() => { window.busyT0 = performance.now(); document.querySelector('[data-testid="preset-fix"]').click(); });
      await page.waitForFunction(() => document.querySelector('[data-testid="busy-indicator"]')?.getAttribute('data-busy') === 'edit-goal'
        || document.querySelector('[data-testid="preset-result"]'), null, { timeout: 60 * SECOND });
      const indicator = await page.getByTestId('busy-indicator').innerText();
      await page.getByTestId('preset-result').waitFor({ timeout: 120 * SECOND });
      const search = await page.evaluate(() => ({ took: performance.now() - window.busyT0, seen: window.busySeen['edit-goal'] }));
      log(`fix search: ${Math.round(search.took)} ms; indicator "${indicator}" at ${search.seen === undefined ? 'never' : `${Math.round(search.seen)} ms`}`);
      if (search.took > 450) assert.ok(search.seen !== undefined && search.seen <= 450, 'the busy indicator shows the search within 300 ms (+ a frame)');
      await page.waitForFunction(() => document.querySelector('[data-testid="busy-indicator"]')?.getAttribute('data-busy') === '', null, { timeout: 10 * SECOND });
    },
  },
];
