// Exports checked outside the browser (NumPy reads the .npy the page saved) and a real full
// storage quota (Chromium's quota for the site lowered through the DevTools protocol).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open, SECOND } from './page-helpers.mjs';

async function download(page, testid, artifacts) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = join(artifacts, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

export const storageTests = [
  {
    name: 'exported attributions load in NumPy with the shape and values of the CSV',
    async run({ page, site, artifacts, log }) {
      await open(page, site, '?preset=demo');
      const npy = await download(page, 'export-npy', artifacts);
      const csv = await download(page, 'export-csv', artifacts);
      // NumPy reads the .npy; its values must equal the CSV's weight columns exactly (the CSV writes each float32 so it reads back the same).
      const script = [
        'import csv, sys, numpy as np',
        'a = np.load(sys.argv[1])',
        'rows = list(csv.reader(open(sys.argv[2])))',
        'w = np.array([[float(x) for x in r[3:]] for r in rows[1:]], dtype=np.float32)',
        'print(a.dtype, a.shape[0], a.shape[1], float(np.max(np.abs(a - w))), len(rows[0]) - 3)',
      ].join('\n');
      const [dtype, n, N, maxDiff, csvColumns] = execFileSync('python3', ['-c', script, npy, csv], { encoding: 'utf8' }).trim().split(' ');
      log(`numpy: ${dtype} (${n}, ${N}); largest difference from the CSV ${maxDiff}`);
      assert.equal(dtype, 'float32');
      assert.deepEqual([Number(n), Number(N), Number(csvColumns)], [64, 272, 272]);
      assert.equal(Number(maxDiff), 0, `npy and csv agree exactly (max difference ${maxDiff})`);
      // The run file saved by the page is the one the CLI reads.
      const runPath = await download(page, 'run-export', artifacts);
      const bytes = await readFile(runPath);
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'COAR', 'run file magic');
    },
  },
  {
    name: 'a full storage quota: the run goes on, the message says what was kept',
    async run({ page, context, site, log }) {
      await open(page, site, '?preset=demo&backend=wasm');
      const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
      // Room for the run's header and a few chunks, not for all of them.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.origin, quotaSize: usage + 60_000 });
      await page.getByTestId('run-examples').fill('32');
      await page.getByTestId('run-masks').fill('600');
      await page.getByTestId('run-val-masks').fill('40');
      await page.getByTestId('run-start').click();
      const corr = page.getByTestId('run-correlation');
      await corr.waitFor({ timeout: 180 * SECOND });
      const banner = await page.getByTestId('error-banner').innerText();
      log(banner.split('\n').find((l) => /full/.test(l)) ?? banner);
      assert.match(banner, /storage for this site is full: the last \d+ masks? of run ".*" (was|were) not saved \(everything saved before is kept\)/);
      const runs = page.getByTestId('runs-list');
      await runs.waitFor({ timeout: 10 * SECOND });
      const row = page.locator('[data-testid^="stored-run-"][data-done]').first();
      const [done, total] = [Number(await row.getAttribute('data-done')), Number(await row.getAttribute('data-total'))];
      log(`saved before the quota ran out: ${done} of ${total} masks; the run itself finished (correlation ${await corr.getAttribute('data-value')})`);
      assert.ok(done > 0 && done < total, `some but not all masks saved (${done} of ${total})`);
      await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.origin });
    },
  },
];
