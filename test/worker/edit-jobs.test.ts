/**
 * The worker's COAR-Edit and evaluation jobs on the bundled demo (wasm, as in the browser):
 * the same numbers as `coar edit` / `coar eval`, and cancellation.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateHeldOut } from '../../src/coar/heldout';
import { decodeRunFile } from '../../src/coar/runfile';
import { loadDatasetDir } from '../../src/node/dataset-files';
import { componentLabel } from '../../src/ui/format/component-label';
import { exportEditedModel, forgetEditCache, runEdit, runEditGoal } from '../../src/worker/jobs/edit-jobs';
import { evaluateRun } from '../../src/worker/jobs/evaluation';
import { Workspace } from '../../src/worker/workspace/workspace';

let ws: Workspace;
const signal = new AbortController().signal;
const quiet = () => {};

beforeAll(async () => {
  const json = await readFile('public/models/fashion-resnet/model.json', 'utf8');
  const w = await readFile('public/models/fashion-resnet/weights.bin');
  const files = new Map([['weights.bin', w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer]]);
  ws = new Workspace({ name: 'fashion-resnet', json, files }, await loadDatasetDir('public/data/fashion-mnist-test'), { model: '', data: '' }, { kind: 'preset', preset: 'demo' }, quiet);
  ws.backend = { name: 'wasm', adapter: 'CPU', reason: 'test', forced: true };
  await ws.buildModel();
  const bytes = await readFile('public/runs/fashion-resnet-demo.coar');
  const run = decodeRunFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  ws.setRun({ slot: 'demo', run, source: 'test', components: null, session: null, predictedClass: null });
});

describe('COAR-Edit jobs', () => {
  const spec = { slot: 'demo' as const, target: 'example:23', reference: 'rest', direction: 'raise' as const };

  it('fixes example 23 with k = 2, with the numbers `coar edit --target example:23 --goal fix` prints', async () => {
    const v = await runEditGoal(ws, spec, 'fix', 20, signal, quiet);
    expect(v.reached).toBe(true);
    expect(v.outcome.k).toBe(2);
    expect(v.outcome.components.map((i) => componentLabel(ws.runs.demo!.run, i))).toEqual(['stage2_conv#28', 'stage3_conv#40']);
    expect(v.outcome.target).toMatchObject({ count: 1, accuracyBefore: 0, accuracyAfter: 1, predictedAccuracyAfter: 0 });
    expect(v.outcome.reference).toMatchObject({ count: 63, accuracyBefore: 60 / 63, accuracyAfter: 59 / 63 });
    expect(v.outcome.evaluation).toMatchObject({ count: 999, accuracyBefore: 924 / 999, accuracyAfter: 919 / 999 });
    expect(v.outcome.targetEvaluation).toBeNull();
    expect(v.targetExamples).toEqual([23]);
    // The slider at the same k gives the same outcome.
    const same = await runEdit(ws, spec, 2, signal, quiet);
    expect(same.outcome).toEqual(v.outcome);
  });

  it('refuses a k beyond the ranked components and an unknown goal', async () => {
    await expect(runEdit(ws, spec, 10_000, signal, quiet)).rejects.toThrow(/components would raise/);
    await expect(runEditGoal(ws, spec, 'melt' as never, 5, signal, quiet)).rejects.toThrow(/Unknown goal/);
  });

  it('exports the edited model as model.json + weights.bin', async () => {
    const { result, transfer } = await exportEditedModel(ws, 'demo', [76, 184]);
    expect(JSON.parse(result.modelJson).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(result.weights.byteLength).toBe(994_728);
    expect(transfer).toEqual([result.weights]);
  });
});

describe('evaluation job', () => {
  it('equals the engine\'s evaluateHeldOut on the same masks, and draws the mask curve', async () => {
    const state = ws.runs.demo!;
    const options = { alphas: [0.05, 0.1], masksPerAlpha: 6, baselines: ['gradxparam' as const] };
    const v = await evaluateRun(ws, state, options, signal, quiet);
    const engine = await evaluateHeldOut(state.run, ws.sessionOf(state), options);
    for (const [k, row] of v.alpha.entries()) {
      expect(row.mean.coar).toBeCloseTo(engine.scores[k].mean.coar, 9);
      expect(row.mean.gradxparam).toBeCloseTo(engine.scores[k].mean.gradxparam, 9);
    }
    expect(v.perExample.alpha).toBe(0.05);
    expect(v.maskCurve.map((p) => p.masks)).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
    expect(v.maskCurve[v.maskCurve.length - 1].validationCorrelation).toBeCloseTo(0.908, 3);
  });

  it('stops with "cancelled" when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateRun(ws, ws.runs.demo!, { alphas: [0.05], masksPerAlpha: 40, baselines: [] }, controller.signal, quiet)).rejects.toMatchObject({ code: 'cancelled' });
    forgetEditCache();
  });
});
