// Hostile input in the page (issue 11): run sizes in the address beyond the limits, a javascript:
// data URL, a same-origin weight URL that redirects to another site, and the Content-Security-
// Policy blocking a request to another origin. Same shape as the entries of tests.mjs; run.mjs
// runs them (and fails a test on any request outside the site: the redirect must not be followed).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { open, SECOND, watchPage } from './page-helpers.mjs';

/** Another site on loopback that counts what reaches it: nothing should. */
async function foreignSite() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'application/octet-stream' }).end(new Uint8Array(8));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, hits, close: () => new Promise((r) => server.close(r)) };
}

export const hostileTests = [
  {
    name: 'hostile input: limits in the address, javascript: and redirected URLs, CSP',
    // The CSP's refusal of the provoked request is logged by the browser as a console error.
    expectedConsoleErrors: [/Content Security Policy|Refused to connect/],
    // Chromium reports a refused redirect's target as a request (redirectedFrom set) though none is sent: the foreign site counts real ones.
    redirectTargets: [/^http:\/\/127\.0\.0\.1:\d+\/w\.bin$/],
    async run({ page, site, log }) {
      const foreign = await foreignSite();
      const FOREIGN = foreign.origin;
      try {
        await scenario(page, site, log, FOREIGN);
      } finally {
        await foreign.close();
      }
      assert.deepEqual(foreign.hits, [], 'nothing reached the other site: not the page\'s fetch, not the redirect');
    },
  },
  {
    name: 'hostile input: a second tab does not resume the run the first tab is computing',
    async run({ page, context, site, log }) {
      await open(page, site, '?preset=demo&backend=wasm');
      await page.getByTestId('run-examples').fill('32');
      await page.getByTestId('run-masks').fill('1200');
      await page.getByTestId('run-val-masks').fill('100');
      await page.getByTestId('run-start').click();
      await page.waitForFunction(() => Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-done') || 0) >= 100, null, { timeout: 240 * SECOND });

      const problems = [];
      const second = await context.newPage();
      watchPage(second, site.origin, problems);
      await open(second, site, '?preset=demo&backend=wasm');
      const row = second.locator('[data-testid="runs-list"] tr[data-elsewhere="true"]');
      await row.waitFor({ timeout: 30 * SECOND });
      assert.match(await row.innerText(), /running in another tab/);
      assert.ok(await row.getByTestId('stored-run-open').isDisabled(), 'the run computed elsewhere cannot be opened here');
      assert.ok(await row.getByTestId('stored-run-delete').isDisabled(), 'nor deleted');
      await second.waitForTimeout(2000);
      assert.equal(await second.getByTestId('resume-offer').count(), 0, 'no resume offer for a run another tab computes');
      log('second tab: the run is marked "running in another tab"; no resume offer');

      // Once the first tab stops, the second may resume it.
      await page.getByTestId('run-cancel').click();
      await page.getByTestId('run-partial').waitFor({ timeout: 60 * SECOND });
      await second.reload();
      await second.getByTestId('resume-offer').waitFor({ timeout: 60 * SECOND });
      assert.equal(await second.locator('[data-testid="runs-list"] tr[data-elsewhere="true"]').count(), 0);
      log(`after the cancel: ${(await second.getByTestId('resume-offer').innerText()).replace(/\s+/g, ' ').slice(0, 120)}`);
      await second.close();
      if (problems.length) throw new Error(problems.join('\n'));
    },
  },
];

/** The checks, in one page: `FOREIGN` is the other site's origin. */
async function scenario(page, site, log, FOREIGN) {
  // ?masks=1e12: a message, the default kept, and the page stays usable.
  await open(page, site, '?masks=1e12&examples=3000000000');
  const banner = page.getByTestId('error-banner');
  await banner.getByText('Ignored masks=1e12 in the address: the number of masks must be a whole number from 1 to 1,000,000 (got 1000000000000).').waitFor({ timeout: 10 * SECOND });
  await banner.getByText(/Ignored examples=3000000000 in the address: the number of examples must be a whole number from 1 to 100,000/).waitFor({ timeout: 10 * SECOND });
  const masks = Number(await page.getByTestId('run-masks').inputValue());
  assert.ok(masks >= 1 && masks <= 1_000_000, `the masks field holds a usable default (${masks})`);
  assert.match(await page.getByTestId('run-estimate').innerText(), /samples/, 'the run form can start a run');
  await page.getByTestId('cell-5').click();
  await page.getByTestId('ablation-results').waitFor({ timeout: 60 * SECOND });
  log(`?masks=1e12 refused; masks field ${masks}; ablation still works`);

  // The page's Content-Security-Policy, and a request to another origin blocked by it.
  const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null);
  assert.ok(policy, 'index.html carries a Content-Security-Policy meta tag');
  for (const d of ["default-src 'self'", "connect-src 'self'", "object-src 'none'", "script-src 'self' 'wasm-unsafe-eval'"]) assert.ok(policy.includes(d), `the policy has ${d}: ${policy}`);
  const blocked = await page.evaluate(async (url) => {
    const violation = new Promise((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true }));
    const outcome = await fetch(url).then(() => 'fetched', (e) => `failed: ${e.message}`);
    return { outcome, directive: await Promise.race([violation, new Promise((r) => setTimeout(() => r(null), 2000))]) };
  }, `${FOREIGN}/collect`);
  assert.match(blocked.outcome, /^failed/, 'a fetch to another origin from the page fails');
  assert.equal(blocked.directive, 'connect-src', 'it is the CSP (connect-src) that refused it');
  log(`fetch to ${FOREIGN}: ${blocked.outcome} (${blocked.directive})`);

  // A javascript: data URL is refused, with its message beside the field.
  await page.getByTestId('open-own').click();
  await page.getByTestId('data-url').fill('javascript:alert(document.cookie)');
  await page.getByTestId('data-url-load').click();
  const dataProblem = page.getByTestId('data-url-problem');
  await dataProblem.waitFor({ timeout: 10 * SECOND });
  assert.match(await dataProblem.innerText(), /Only http\(s\) addresses can be loaded \(got javascript:\): a dataset\.json must come from a web address/);

  // A same-origin weight URL that redirects to another site: refused by the worker, not followed.
  const dir = `${site.mount}hostile/`;
  site.routes.set(`${dir}model.json`, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({
      modelTopology: { class_name: 'Sequential', config: { layers: [] } },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }],
    }));
  });
  site.routes.set(`${dir}w.bin`, (_req, res) => res.writeHead(302, { location: `${FOREIGN}/w.bin`, 'cache-control': 'no-store' }).end());
  try {
    // Typed relative to the site: resolved against the page's address.
    await page.getByTestId('model-url').fill('hostile/model.json');
    await page.getByTestId('model-url-load').click();
    const refusal = banner.locator('.message.error[data-code="redirected"]');
    await refusal.waitFor({ timeout: 30 * SECOND });
    const text = await refusal.innerText();
    assert.match(text, /The model's weight file "w\.bin" was not loaded: http:\/\/127\.0\.0\.1:\d+\/coar-explorer\/demo\/hostile\/w\.bin answered with a redirect/);
    assert.match(text, /Redirects are not followed/);
    log(text.replace(/\s+/g, ' ').slice(0, 200));
  } finally {
    site.routes.delete(`${dir}model.json`);
    site.routes.delete(`${dir}w.bin`);
  }
  // Still usable after all this.
  await page.getByTestId('cell-7').click();
  assert.equal(await page.getByTestId('heatmap').count(), 1);
}
