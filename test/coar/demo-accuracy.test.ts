/**
 * COAR on the bundled demo model at alpha = 0.05, scored on fresh held-out masks against
 * leave-one-out and Grad×Param on the same masks. Sizes are kept small for the suite; the CLI
 * reproduces the full-size numbers (see the README).
 */
import { describe, expect, it } from 'vitest';
import { discoverComponents } from '../../src/coar/components';
import { evaluateHeldOut } from '../../src/coar/heldout';
import { fitRun, sampleRun, sessionFor, startRun } from '../../src/coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/coar/settings';
import { disposeSession } from '../../src/coar/ablate';
import { loadModel } from '../../src/node/files';
import { loadDatasetDir } from '../../src/node/dataset-files';

describe('COAR on the demo model', () => {
  it('predicts held-out ablations better than leave-one-out and Grad×Param', async () => {
    const model = await loadModel('public/models/fashion-resnet/model.json');
    const data = await loadDatasetDir('public/data/fashion-mnist-test');
    const components = discoverComponents(model);
    const settings: RunSettings = { ...DEFAULT_SETTINGS, alpha: 0.05, trainMasks: 800, valMasks: 80, seed: 11, layers: [], examples: Array.from({ length: 24 }, (_, i) => i) };
    const session = sessionFor(model, components, data, settings);
    const run = await startRun({ session, components, settings, model: { name: 'demo', fingerprint: 'x' }, data: { name: 'demo', fingerprint: 'y' }, labels: Int32Array.from(settings.examples, (i) => data.labels[i]) });
    await sampleRun(run, session, { route: 'shared' });
    const fit = await fitRun(run);
    const report = await evaluateHeldOut(run, session, { alphas: [0.05], masksPerAlpha: 60, baselines: ['loo', 'gradxparam'], route: 'shared' });
    disposeSession(session);
    const { coar, loo, gradxparam } = report.scores[0].mean;
    console.log(JSON.stringify({ validation: fit.validationCorrelation, lambda: fit.attributions.lambda, coar, loo, gradxparam }));
    expect(fit.validationCorrelation).toBeGreaterThanOrEqual(0.8);
    expect(coar).toBeGreaterThanOrEqual(0.8);
    expect(coar).toBeGreaterThan(loo);
    expect(coar).toBeGreaterThanOrEqual(gradxparam + 0.1);
  });
});
