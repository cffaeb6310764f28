// What the e2e scenarios share: opening the app, a small live run, and the rule that page
// errors, console errors and requests outside the site fail a test.
import assert from 'node:assert/strict';

export const SECOND = 1000;

export async function open(page, site, query = '') {
  await page.goto(`${site.url}${query}`);
  await page.getByTestId('heatmap').waitFor({ timeout: 60 * SECOND });
}

/** Starts a live run and waits for its held-out correlation. */
export async function liveRun(page, { examples, masks, valMasks, timeout }) {
  await page.getByTestId('run-examples').fill(String(examples));
  await page.getByTestId('run-masks').fill(String(masks));
  await page.getByTestId('run-val-masks').fill(String(valMasks));
  await page.getByTestId('run-start').click();
  const corr = page.getByTestId('run-correlation');
  await corr.waitFor({ timeout });
  const value = Number(await corr.getAttribute('data-value'));
  assert.ok(Number.isFinite(value) && value >= -1 && value <= 1, `correlation shown: ${await corr.innerText()}`);
  return value;
}

/** Records page errors, console errors and requests outside the site's origin into `problems`. */
export function watchPage(page, origin, problems) {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !/^(data|blob):/.test(r.url())) problems.push(`request outside the site: ${r.url()}`); });
}
