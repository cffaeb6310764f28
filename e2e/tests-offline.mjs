// Offline scenario: after one online visit, the service worker (dist/sw.js) serves the whole demo
// from its precache. Same shape as the entries of tests.mjs; run.mjs runs them.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { SECOND } from './page-helpers.mjs';

async function showsHeatmap(page) {
  await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
  await page.waitForFunction(() => document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-backend'), null, { timeout: 60 * SECOND });
  return {
    cells: await page.locator('[data-testid^="cell-"]').count(),
    backend: await page.getByTestId('backend-badge').getAttribute('data-backend'),
  };
}

/** Large assets opened on demand (APP_CONFIG.onDemandAssets): a first visit must not download them. */
const ON_DEMAND = ['models/fashion-resnet-paper/', 'runs/fashion-resnet-paper.coar', 'models/fashion-resnet-paper-backdoor/', 'runs/fashion-resnet-paper-backdoor.coar', 'models/fashion-vit/', 'runs/fashion-vit.coar'];

/** Files the build wrote, but for the service worker itself and the on-demand assets: what it must precache. */
async function builtFiles(dir = resolve('dist')) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const pathOf = (e) => join(e.parentPath ?? e.path, e.name); // `path` before Node 20.12
  const onDemand = (p) => ON_DEMAND.some((a) => relative(dir, p).split(sep).join('/').startsWith(a));
  return entries.filter((e) => e.isFile()).map(pathOf).filter((p) => p !== join(dir, 'sw.js') && !onDemand(p));
}

/** Resolves once the service worker is active, with how many responses its precache holds. */
function precachedCount(page) {
  return page.evaluate(async (timeout) => {
    const registration = await Promise.race([
      navigator.serviceWorker.ready,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no active service worker (dist/sw.js) after 60 s')), timeout)),
    ]);
    const names = (await caches.keys()).filter((n) => n.startsWith(`coar-explorer:${registration.scope}:precache-`));
    if (names.length !== 1) throw new Error(`expected one precache, found ${JSON.stringify(names)}`);
    return (await (await caches.open(names[0])).keys()).length;
  }, 60 * SECOND);
}

export const offlineTests = [
  {
    name: 'works offline after the first visit',
    async run({ page, context, site, log }) {
      await page.goto(`${site.url}`);
      const online = await showsHeatmap(page);
      assert.ok(online.cells > 0, 'the heatmap has cells online');

      const expected = (await builtFiles()).length;
      const cached = await precachedCount(page);
      assert.equal(cached, expected, 'every built file is precached once the service worker is ready');
      log(`precached ${cached} files; ${online.cells} cells on ${online.backend}`);

      const offlineProblems = [];
      page.on('pageerror', (e) => offlineProblems.push(`page error: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') offlineProblems.push(`console error: ${m.text()}`); });
      page.on('requestfailed', (r) => offlineProblems.push(`request failed offline: ${r.url()} (${r.failure()?.errorText})`));
      await context.setOffline(true);
      await page.reload();
      const offline = await showsHeatmap(page);
      assert.equal(offline.cells, online.cells, 'the heatmap renders every cell offline');
      assert.ok(offline.backend, 'the backend badge names a backend offline');
      assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the offline page is served by the service worker');

      // A query on the address (another preset) still finds the cached page and its files.
      await page.goto(`${site.url}?preset=backdoor`);
      const backdoor = await showsHeatmap(page);
      assert.ok(backdoor.cells > 0, 'the backdoor preset renders offline');
      log(`offline: ${offline.cells} cells on ${offline.backend}; ?preset=backdoor: ${backdoor.cells} cells`);
      assert.deepEqual(offlineProblems, [], 'going offline produced no errors');
      await context.setOffline(false);
    },
  },
];
