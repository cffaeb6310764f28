/**
 * COAR on the bundled demo model, scored on fresh held-out masks (never used for fitting), against
 * leave-one-out and Grad×Param on the same masks. Full-size numbers: `npm run coar -- eval
 * public/runs/fashion-resnet-demo.coar --model public/models/fashion-resnet/model.json
 * --data public/data/fashion-mnist-test --alphas 0.025,0.05,0.1,0.15 --baselines loo,gradxparam`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disposeSession } from '../../src/coar/ablate';
import { discoverComponents } from '../../src/coar/components';
import { evaluateHeldOut } from '../../src/coar/heldout';
import { decodeRunFile } from '../../src/coar/runfile';
import { fitRun, sampleRun, sessionFor, startRun } from '../../src/coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/coar/settings';
import { loadModel } from '../../src/node/files';
import { loadDatasetDir } from '../../src/node/dataset-files';

async function demo() {
  const model = await loadModel('public/models/fashion-resnet/model.json');
  const data = await loadDatasetDir('public/data/fashion-mnist-test');
  return { model, data, components: discoverComponents(model) };
}

describe('COAR on the demo model', () => {
  it('a fresh run at alpha 0.05 predicts held-out ablations with correlation ≥ 0.8', async () => {
    const { model, data, components } = await demo();
    const settings: RunSettings = { ...DEFAULT_SETTINGS, scores: 'as-is', alpha: 0.05, trainMasks: 600, valMasks: 60, seed: 11, layers: [], examples: Array.from({ length: 16 }, (_, i) => 100 + i) };
    const session = sessionFor(model, components, data, settings);
    const run = await startRun({ session, components, settings, model: { name: 'demo', fingerprint: 'x' }, data: { name: 'demo', fingerprint: 'y' }, labels: Int32Array.from(settings.examples, (i) => data.labels[i]) });
    await sampleRun(run, session);
    const fit = await fitRun(run);
    const report = await evaluateHeldOut(run, session, { alphas: [0.05], masksPerAlpha: 60 });
    disposeSession(session);
    console.log(JSON.stringify({ validation: fit.validationCorrelation, heldOut: report.scores[0].mean.coar, lambda: fit.attributions.lambda }));
    expect(fit.validationCorrelation).toBeGreaterThanOrEqual(0.8);
    expect(report.scores[0].mean.coar).toBeGreaterThanOrEqual(0.8);
  });

  it('the shipped run beats leave-one-out and Grad×Param on the same fresh masks', async () => {
    const { model, data, components } = await demo();
    const run = decodeRunFile(new Uint8Array(readFileSync('public/runs/fashion-resnet-demo.coar')));
    const session = sessionFor(model, components, data, run.settings);
    const report = await evaluateHeldOut(run, session, { alphas: [0.05, 0.1], masksPerAlpha: 60, baselines: ['loo', 'gradxparam'] });
    disposeSession(session);
    const [at05, at10] = report.scores.map((s) => s.mean);
    console.log(JSON.stringify({ '0.05': at05, '0.1': at10 }));
    expect(at05.coar).toBeGreaterThanOrEqual(0.8);
    for (const s of [at05, at10]) {
      expect(s.coar).toBeGreaterThan(s.loo);
      expect(s.coar).toBeGreaterThanOrEqual(s.gradxparam + 0.1);
    }
    // Joint effects grow with the number of components ablated at once: so does COAR's lead.
    expect(at10.coar - at10.loo).toBeGreaterThan(at05.coar - at05.loo);
    // ~60 s alone; the guard is for a hung run, not a speed check.
  }, 300_000);
});
