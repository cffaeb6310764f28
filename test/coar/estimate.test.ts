import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fitAttributions, predictOutputs, type Attributions } from '../../src/coar/estimate';
import { correlationPerExample, meanCorrelation, pearson } from '../../src/coar/evaluate';
import { MaskStream, sampleMasks, writeKeepMask, type MaskSet } from '../../src/coar/masks';
import { Rng } from '../../src/coar/random';

interface PlantedSpec { N: number; n: number; noise: number; seed: number }

/** Random weights ~ N(0, 1) and biases ~ 5 + N(0, 1). */
function plantedAttributions({ N, n, seed }: PlantedSpec): Attributions {
  const rng = new Rng(seed);
  return {
    componentCount: N,
    exampleCount: n,
    weights: Float32Array.from({ length: n * N }, () => rng.nextNormal()),
    bias: Float32Array.from({ length: n }, () => 5 + rng.nextNormal()),
    lambda: 0,
  };
}

/** Outputs of the planted model under the masks, plus Gaussian noise. */
function noisyOutputs(planted: Attributions, masks: MaskSet, noise: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return predictOutputs(planted, masks).map((v) => v + noise * rng.nextNormal());
}

function masksFor(N: number, count: number, stream: number, alpha = 0.05): MaskSet {
  return sampleMasks({ componentCount: N, alpha, seed: 3, stream }, count);
}

function norm(values: Float32Array): number {
  let s = 0;
  for (const v of values) s += v * v;
  return Math.sqrt(s);
}

describe('fitAttributions on a planted linear model', () => {
  const spec = { N: 200, n: 20, noise: 0.1, seed: 5 };
  const planted = plantedAttributions(spec);
  const train = masksFor(spec.N, 1500, MaskStream.train);

  it('recovers the weights and predicts held-out masks, at λ = 0 without validation', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const report = await fitAttributions({ train: { masks: train, outputs: noisyOutputs(planted, train, spec.noise, 1) }, exampleCount: spec.n });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const fitted = report.attributions;
    expect(fitted.lambda).toBe(0);
    expect(report.grid).toEqual([{ lambda: 0, validationCorrelation: null }]);
    expect(report.validationCorrelation).toBeNull();

    // Weight error: noise / sqrt(m·α(1−α)) ≈ 0.1 / 8.4 ≈ 0.012 per weight; bounds have ≥ 4σ margin.
    let maxError = 0;
    let squared = 0;
    for (let k = 0; k < fitted.weights.length; k++) {
      const e = fitted.weights[k] - planted.weights[k];
      maxError = Math.max(maxError, Math.abs(e));
      squared += e * e;
    }
    expect(Math.sqrt(squared / fitted.weights.length)).toBeLessThan(0.02);
    expect(maxError).toBeLessThan(0.07);
    // The bias alone is the output with everything ablated, far outside the data (error ≈ 0.16 here);
    // the all-kept output, bias + Σ w, is pinned down (error ≈ 0.009).
    const allKept = (a: Attributions, j: number) => a.bias[j] + a.weights.subarray(j * spec.N, (j + 1) * spec.N).reduce((s, w) => s + w, 0);
    for (let j = 0; j < spec.n; j++) expect(Math.abs(allKept(fitted, j) - allKept(planted, j))).toBeLessThan(0.05);

    const heldOut = masksFor(spec.N, 300, MaskStream.evaluation);
    const perExample = correlationPerExample(predictOutputs(fitted, heldOut), predictOutputs(planted, heldOut), heldOut.count, spec.n);
    for (const c of perExample) expect(c).toBeGreaterThanOrEqual(0.99);

    expect(Object.keys(report.timings)).toEqual(expect.arrayContaining(['gram', 'rhs', 'factor', 'solve', 'total']));
  });

  it('recovers noise-free weights to float32 precision', async () => {
    const report = await fitAttributions({ train: { masks: train, outputs: predictOutputs(planted, train) }, exampleCount: spec.n });
    let maxError = 0;
    report.attributions.weights.forEach((w, k) => { maxError = Math.max(maxError, Math.abs(w - planted.weights[k])); });
    expect(maxError).toBeLessThan(1e-4); // measured ≈ 3e-6
  });

  it('chooses a penalty on validation masks and reports its correlation', async () => {
    const validation = masksFor(spec.N, 200, MaskStream.validation);
    const steps: string[] = [];
    const report = await fitAttributions({
      train: { masks: train, outputs: noisyOutputs(planted, train, 1, 1) },
      validation: { masks: validation, outputs: noisyOutputs(planted, validation, 1, 2) },
      exampleCount: spec.n,
      onStep: (s) => steps.push(`${s.done}/${s.total} ${s.label}`),
    });
    expect(report.grid).toHaveLength(8); // the whole default grid, none singular
    // Progress: the normal equations, then one step per penalty.
    expect(steps).toEqual(['0/9 Building the normal equations', ...Array.from({ length: 8 }, (_, k) => `${k + 1}/9 Solving with ridge penalty ${k + 1} of 8`)]);
    expect(report.grid.every((point) => point.failed === undefined)).toBe(true);
    const best = Math.max(...report.grid.map((point) => point.validationCorrelation!));
    expect(report.validationCorrelation).toBe(best);
    expect(report.grid.find((point) => point.lambda === report.attributions.lambda)!.validationCorrelation).toBe(best);
    // Output spread ≈ sqrt(200·0.0475) ≈ 3.1 against noise 1: correlation near 3.1/sqrt(3.1² + 1) ≈ 0.95.
    expect(best).toBeGreaterThan(0.9);
  });
});

describe('ridge penalty', () => {
  // Fewer masks than components: least squares is singular.
  const spec = { N: 300, n: 10, noise: 0.5, seed: 8 };
  const planted = plantedAttributions(spec);
  const train = masksFor(spec.N, 150, MaskStream.train);
  const validation = masksFor(spec.N, 200, MaskStream.validation);
  const trainSet = { masks: train, outputs: noisyOutputs(planted, train, spec.noise, 1) };

  it('skips λ = 0 when m < N and picks a positive penalty on validation', async () => {
    const report = await fitAttributions({
      train: trainSet,
      validation: { masks: validation, outputs: noisyOutputs(planted, validation, spec.noise, 2) },
      exampleCount: spec.n,
    });
    expect(report.grid[0].lambda).toBe(0);
    expect(report.grid[0].failed).toMatch(/^The normal equations are singular/);
    expect(report.grid[0].validationCorrelation).toBeNull();
    expect(report.attributions.lambda).toBeGreaterThan(0);
    expect(report.grid.slice(1).every((point) => Number.isFinite(point.validationCorrelation))).toBe(true);
    expect(report.validationCorrelation).toBeGreaterThan(0.3);
  });

  it('without validation, stops at the smallest penalty that solves', async () => {
    const report = await fitAttributions({ train: trainSet, exampleCount: spec.n });
    expect(report.grid).toHaveLength(2);
    expect(report.grid[0].failed).toBeDefined();
    // Default scale: m × mean ablation variance ≈ 150 × 0.05 × 0.95; RIDGE_GRID[1] = 1e-3.
    expect(report.attributions.lambda).toBe(report.grid[1].lambda);
    expect(report.attributions.lambda).toBeGreaterThan(1e-3 * 150 * 0.04);
    expect(report.attributions.lambda).toBeLessThan(1e-3 * 150 * 0.06);
  });

  it('shrinks the weights as λ grows', async () => {
    const norms = [];
    for (const lambda of [0.1, 1, 10, 100]) {
      norms.push(norm((await fitAttributions({ train: trainSet, exampleCount: spec.n, lambdas: [lambda] })).attributions.weights));
    }
    for (let k = 1; k < norms.length; k++) expect(norms[k]).toBeLessThan(norms[k - 1]);
    expect(norms[3]).toBeLessThan(0.5 * norms[0]);
  });

  it('fails with a clear message when every penalty is singular', async () => {
    await expect(fitAttributions({ train: trainSet, exampleCount: spec.n, lambdas: [0] })).rejects.toThrow(
      /^No ridge penalty gave a solvable system \(tried 0\): The normal equations are singular \(pivot \d+ of 300 vanished\): use a ridge penalty > 0 or more masks than components\.$/,
    );
  });

  it('treats exact-size masks at λ = 0 as singular: a constant kept count is confounded with the bias', async () => {
    const N = 40;
    const exact = sampleMasks({ componentCount: N, alpha: 0.1, seed: 1, stream: MaskStream.train, mode: 'exact' }, 400);
    const small = plantedAttributions({ N, n: 2, noise: 0, seed: 2 });
    const report = await fitAttributions({ train: { masks: exact, outputs: predictOutputs(small, exact) }, exampleCount: 2 });
    expect(report.grid[0].failed).toMatch(/singular/);
    expect(report.attributions.lambda).toBeGreaterThan(0);
  });
});

describe('predictOutputs', () => {
  it('equals bias + Σ kept weights computed densely', () => {
    const N = 70;
    const n = 3;
    const attributions = plantedAttributions({ N, n, noise: 0, seed: 4 });
    const masks = masksFor(N, 25, MaskStream.evaluation, 0.2);
    const predicted = predictOutputs(attributions, masks);
    const keep = new Float32Array(N);
    for (let r = 0; r < masks.count; r++) {
      writeKeepMask(masks, r, keep);
      for (let j = 0; j < n; j++) {
        let expected = attributions.bias[j];
        for (let i = 0; i < N; i++) expected += keep[i] * attributions.weights[j * N + i];
        expect(predicted[r * n + j]).toBeCloseTo(expected, 4);
      }
    }
  });

  it('rejects masks over a different number of components', () => {
    const attributions = plantedAttributions({ N: 10, n: 1, noise: 0, seed: 1 });
    expect(() => predictOutputs(attributions, masksFor(12, 3, MaskStream.evaluation))).toThrow(
      'The masks cover 12 components but the attributions cover 10.',
    );
  });
});

describe('correlation', () => {
  it('computes Pearson per example over masks, NaN for a constant side', () => {
    // Example 0: predicted 1, 2, 3 vs actual 1, 3, 2 → cov 1, variances 2 and 2 → 0.5. Example 1: predicted constant.
    const predicted = [1, 4, 2, 4, 3, 4];
    const actual = [1, 1, 3, 2, 2, 3];
    const perExample = correlationPerExample(predicted, actual, 3, 2);
    expect(perExample[0]).toBeCloseTo(0.5, 12);
    expect(perExample[1]).toBeNaN();
    expect(meanCorrelation(perExample)).toEqual({ mean: perExample[0], counted: 1, undefinedCount: 1 });
    expect(meanCorrelation([NaN])).toEqual({ mean: NaN, counted: 0, undefinedCount: 1 });
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(() => correlationPerExample([1, 2], [1, 2, 3], 2, 1)).toThrow(
      'Cannot correlate: expected 2 masks × 1 examples = 2 values, got 2 predicted and 3 actual.',
    );
  });
});

describe('input checks', () => {
  const N = 50;
  const n = 2;
  const masks = masksFor(N, 10, MaskStream.train);
  const outputs = () => new Float32Array(10 * n).fill(1);

  it('names what is wrong', async () => {
    await expect(fitAttributions({ train: { masks, outputs: new Float32Array(5) }, exampleCount: n })).rejects.toThrow(
      'Training outputs hold 5 values, but 10 masks × 2 examples need 20.',
    );
    const withNaN = outputs();
    withNaN[3 * n + 1] = NaN;
    await expect(fitAttributions({ train: { masks, outputs: withNaN }, exampleCount: n })).rejects.toThrow(
      'Training output for mask row 3, example 1 is NaN: outputs must be finite numbers.',
    );
    const validationMasks = masksFor(N, 4, MaskStream.validation);
    const withInfinity = new Float32Array(4 * n);
    withInfinity[0] = Infinity;
    await expect(fitAttributions({ train: { masks, outputs: outputs() }, validation: { masks: validationMasks, outputs: withInfinity }, exampleCount: n })).rejects.toThrow(
      'Validation output for mask row 0, example 0 is Infinity: outputs must be finite numbers.',
    );
    await expect(fitAttributions({ train: { masks, outputs: new Float32Array(0) }, exampleCount: 0 })).rejects.toThrow(
      'There are no examples to fit (exampleCount must be a positive integer).',
    );
    await expect(fitAttributions({ train: { masks: masksFor(N, 0, MaskStream.train), outputs: new Float32Array(0) }, exampleCount: n })).rejects.toThrow(
      'There are no training masks.',
    );
    const otherMasks = masksFor(40, 4, MaskStream.validation);
    await expect(fitAttributions({ train: { masks, outputs: outputs() }, validation: { masks: otherMasks, outputs: new Float32Array(4 * n) }, exampleCount: n })).rejects.toThrow(
      'The validation masks cover 40 components but the training masks cover 50.',
    );
    await expect(fitAttributions({ train: { masks, outputs: outputs() }, exampleCount: n, lambdas: [-1] })).rejects.toThrow(
      'Ridge penalties must be finite and ≥ 0 (got -1).',
    );
  });
});
