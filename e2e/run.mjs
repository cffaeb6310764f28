// End-to-end tests of the built site in Debian's Chromium (playwright-core), served from a
// sub-path. Every page error or console error fails the test it happens in, and so does any
// request outside the site's own origin. Prints "N passed, N failed"; exits non-zero on failure.
//   npm run build && node e2e/run.mjs [--only NAME]
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveStatic } from './static-server.mjs';
import { tests as coreTests } from './tests.mjs';
import { offlineTests } from './tests-offline.mjs';
import { byoTests } from './tests-byo.mjs';
import { storageTests } from './tests-storage.mjs';
import { linkTests } from './tests-links.mjs';
import { hostileTests } from './tests-hostile.mjs';
import { trustTests } from './tests-trust.mjs';
import { heatmapScenarios, heatmapTests } from './tests-heatmap.mjs';
import { paperTests } from './tests-paper.mjs';
import { vitTests } from './tests-vit.mjs';
import { workshopTests } from './tests-workshop.mjs';
import { phoneTests } from './tests-phone.mjs';
import { speedTests } from './tests-speed.mjs';
import { a11yTests } from './tests-a11y.mjs';

const tests = [...coreTests, ...byoTests, ...linkTests, ...storageTests, ...offlineTests, ...hostileTests, ...trustTests, ...heatmapTests, ...heatmapScenarios('paper'), ...paperTests, ...vitTests, ...workshopTests, ...phoneTests, ...speedTests, ...a11yTests];

const ARTIFACTS = resolve('e2e/artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;

mkdirSync(ARTIFACTS, { recursive: true });
const site = await serveStatic(resolve('dist'), '/coar-explorer/demo/');
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

let passed = 0;
let failed = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  // `contextOptions`: a scenario's own browser context (e.g. a phone: isMobile, hasTouch).
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, ...(t.contextOptions ?? {}) });
  const problems = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A scenario may expect some console errors (`expectedConsoleErrors`: patterns), e.g. the CSP refusing a request it provoked.
  const expected = t.expectedConsoleErrors ?? [];
  page.on('console', (m) => { if (m.type() === 'error' && !expected.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`); });
  // `redirectTargets`: patterns of redirect targets a scenario provokes and the page refuses; Chromium
  // still reports them as requests (with redirectedFrom) although none is sent: the scenario counts real hits itself.
  const targets = t.redirectTargets ?? [];
  context.on('request', (r) => {
    if (r.url().startsWith(site.origin) || /^(data|blob):/.test(r.url())) return;
    if (r.redirectedFrom() && targets.some((re) => re.test(r.url()))) return;
    problems.push(`request outside the site: ${r.url()}`);
  });
  const started = Date.now();
  try {
    await t.run({ page, context, site, artifacts: ARTIFACTS, log: (s) => console.log(`    ${s}`) });
    if (problems.length) throw new Error(problems.join('\n'));
    passed++;
    console.log(`✓ ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    console.log(`✗ ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n    ${String(e?.message ?? e).split('\n').join('\n    ')}`);
    await page.screenshot({ path: `${ARTIFACTS}/failed-${t.name.replace(/\W+/g, '-')}.png` }).catch(() => {});
  } finally {
    await context.close();
  }
}
await browser.close();
await site.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
