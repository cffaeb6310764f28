/** evaluateHeldOut / leaveOneOut in steps: same numbers as one call, monotone progress, and cancellation. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession, disposeSession, runBaseOutputs } from '../../src/coar/ablate';
import { computeBaseline } from '../../src/coar/baseline-run';
import { discoverComponents } from '../../src/coar/components';
import { evaluateHeldOut, type HeldOutProgress } from '../../src/coar/heldout';
import { Rng } from '../../src/coar/random';
import type { RunData } from '../../src/coar/runfile';
import { DEFAULT_SETTINGS } from '../../src/coar/settings';

function sequentialModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotNormal({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 5, kernelSize: 3, activation: 'relu', kernelInitializer: init(1), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 7, activation: 'tanh', kernelInitializer: init(6), biasInitializer: tf.initializers.randomNormal({ seed: 7 }) }),
      tf.layers.dense({ units: 4, kernelInitializer: init(8) }),
    ],
  });
}

const n = 6;
const rng = new Rng(3);
const model = sequentialModel();
const components = discoverComponents(model);
const N = components.count;
const inputs = tf.tensor(Float32Array.from({ length: n * 8 * 8 * 2 }, () => rng.nextFloat()), [n, 8, 8, 2]);
const labels = Int32Array.from({ length: n }, (_, j) => j % 4);
const session = createSession(model, components, inputs, labels, 'zero-weights', 'margin', 'as-is');
afterAll(() => disposeSession(session));

async function tinyRun(): Promise<RunData> {
  const baseOutputs = await runBaseOutputs(session);
  const weights = Float32Array.from({ length: n * N }, () => rng.nextFloat() - 0.5);
  return {
    componentCount: N, labels, baseOutputs,
    settings: { ...DEFAULT_SETTINGS, alpha: 0.1, examples: [...labels.keys()], layers: [] },
    fit: { weights, bias: new Float32Array(n), lambda: 1, validationCorrelation: null },
  } as unknown as RunData;
}

const aborted = () => {
  const c = new AbortController();
  c.abort();
  return c.signal;
};

describe('held-out evaluation in steps', () => {
  it('gives the same numbers as one call, with monotone progress ending at the total', async () => {
    const run = await tinyRun();
    const options = { alphas: [0.1, 0.2], masksPerAlpha: 7, baselines: ['loo' as const, 'gradxparam' as const] };
    const whole = await evaluateHeldOut(run, session, options);
    const steps: HeldOutProgress[] = [];
    const stepped = await evaluateHeldOut(run, session, { ...options, rowsPerStep: 3, signal: new AbortController().signal, onStep: (p) => steps.push(p) });
    expect(stepped).toEqual(whole);
    const total = N + 2 * 7;
    expect(steps.every((p) => p.total === total)).toBe(true);
    for (let k = 1; k < steps.length; k++) expect(steps[k].done).toBeGreaterThanOrEqual(steps[k - 1].done);
    expect(steps[steps.length - 1].done).toBe(total);
    expect(steps.filter((p) => p.stage.startsWith('Leave-one-out')).map((p) => p.done)).toEqual(Array.from({ length: Math.ceil(N / 3) }, (_, k) => Math.min(N, 3 * (k + 1))));

    const rows: [number, number][] = [];
    const loo = await computeBaseline('loo', session, run.baseOutputs, { steps: { rowsPerStep: 4, onStep: (d, t) => rows.push([d, t]) } });
    expect(loo).toEqual(await computeBaseline('loo', session, run.baseOutputs));
    expect(rows[rows.length - 1]).toEqual([N, N]);
    expect(rows.map(([d]) => d)).toEqual([...rows.map(([d]) => d)].sort((a, b) => a - b));
  });

  it('stops with code "cancelled" on a signal aborted before the start', async () => {
    const run = await tinyRun();
    await expect(evaluateHeldOut(run, session, { alphas: [0.1], masksPerAlpha: 5, signal: aborted() })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(computeBaseline('loo', session, run.baseOutputs, { steps: { signal: aborted() } })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(computeBaseline('gradxparam', session, run.baseOutputs, { examplesPerBatch: 2, steps: { signal: aborted() } })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('stops with code "cancelled" when the signal fires mid-run', async () => {
    const run = await tinyRun();
    const c = new AbortController();
    const seen: number[] = [];
    const evaluation = evaluateHeldOut(run, session, {
      alphas: [0.1, 0.2], masksPerAlpha: 9, baselines: ['loo'], rowsPerStep: 2, signal: c.signal,
      onStep: (p) => { seen.push(p.done); if (p.done >= 4) c.abort(); },
    });
    await expect(evaluation).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([2, 4]);

    const c2 = new AbortController();
    let calls = 0;
    await expect(computeBaseline('loo', session, run.baseOutputs, { steps: { rowsPerStep: 5, signal: c2.signal, onStep: () => { if (++calls === 2) setTimeout(() => c2.abort(), 0); } } })).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toBe(2);
  });
});
