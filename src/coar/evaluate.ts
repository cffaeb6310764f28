/**
 * How well predicted outputs track true ones: Pearson correlation per example over a set of
 * masks, averaged over examples (the paper's measure). Accumulated in float64.
 */
import { check } from './errors';

/**
 * Pearson correlation, per example, between predicted and actual outputs over m masks.
 * Both are m × n, mask-major: values[r * n + j] is example j under mask r. An example whose
 * predicted or actual outputs are all equal has no correlation: NaN.
 */
export function correlationPerExample(predicted: ArrayLike<number>, actual: ArrayLike<number>, m: number, n: number): Float64Array {
  check(predicted.length === m * n && actual.length === m * n,
    `Cannot correlate: expected ${m} masks × ${n} examples = ${m * n} values, got ${predicted.length} predicted and ${actual.length} actual.`);
  const meanP = new Float64Array(n);
  const meanA = new Float64Array(n);
  // Constant columns are detected exactly (a value differs from row 0's), since the float64
  // variance of equal values need not come out as exactly 0. Bit 1: predicted varies; bit 2: actual.
  const varies = new Uint8Array(n);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) {
      const p = predicted[r * n + j];
      const a = actual[r * n + j];
      meanP[j] += p;
      meanA[j] += a;
      if (p !== predicted[j]) varies[j] |= 1;
      if (a !== actual[j]) varies[j] |= 2;
    }
  }
  for (let j = 0; j < n; j++) {
    meanP[j] /= m;
    meanA[j] /= m;
  }
  const covariance = new Float64Array(n);
  const varianceP = new Float64Array(n);
  const varianceA = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) {
      const p = predicted[r * n + j] - meanP[j];
      const a = actual[r * n + j] - meanA[j];
      covariance[j] += p * a;
      varianceP[j] += p * p;
      varianceA[j] += a * a;
    }
  }
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    out[j] = varies[j] === 3 ? covariance[j] / Math.sqrt(varianceP[j] * varianceA[j]) : NaN;
  }
  return out;
}

/** Pearson correlation of two equally long lists; NaN when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  check(a.length === b.length, `Cannot correlate lists of different lengths (${a.length} and ${b.length}).`);
  return correlationPerExample(a, b, a.length, 1)[0];
}

/** Mean over the examples whose correlation is defined (finite); NaN when none is. */
export function meanCorrelation(perExample: ArrayLike<number>): { mean: number; counted: number; undefinedCount: number } {
  let sum = 0;
  let counted = 0;
  for (let j = 0; j < perExample.length; j++) {
    if (Number.isFinite(perExample[j])) {
      sum += perExample[j];
      counted++;
    }
  }
  return { mean: counted > 0 ? sum / counted : NaN, counted, undefinedCount: perExample.length - counted };
}
