import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cholesky, choleskySolve, solveSpd } from '../../src/coar/linalg';
import { CoarError } from '../../src/coar/errors';
import { Rng } from '../../src/coar/random';

/** R Rᵀ / cols + shift·I: symmetric positive definite when shift > 0 or cols ≥ size. */
function randomGram(size: number, cols: number, shift: number, rng: Rng): Float64Array {
  const r = Float64Array.from({ length: size * cols }, () => rng.nextNormal());
  const g = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += r[i * cols + k] * r[j * cols + k];
      g[i * size + j] = s / cols + (i === j ? shift : 0);
    }
  }
  return g;
}

/** Plain float64 Gaussian elimination (no pivoting needed for SPD), the reference. */
function referenceSolve(matrix: Float64Array, size: number, rhs: Float64Array, rhsCount: number): Float64Array {
  const a = matrix.slice();
  const x = rhs.slice();
  for (let k = 0; k < size; k++) {
    for (let i = k + 1; i < size; i++) {
      const f = a[i * size + k] / a[k * size + k];
      for (let j = k; j < size; j++) a[i * size + j] -= f * a[k * size + j];
      for (let c = 0; c < rhsCount; c++) x[i * rhsCount + c] -= f * x[k * rhsCount + c];
    }
  }
  for (let k = size - 1; k >= 0; k--) {
    for (let c = 0; c < rhsCount; c++) {
      let s = x[k * rhsCount + c];
      for (let j = k + 1; j < size; j++) s -= a[k * size + j] * x[j * rhsCount + c];
      x[k * rhsCount + c] = s / a[k * size + k];
    }
  }
  return x;
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('blocked Cholesky solve', () => {
  const rng = new Rng(11);
  const rhsCount = 7;

  // Block size 32: 64 and 96 are multiples, 77 is not, 20 is smaller than one block.
  for (const size of [20, 64, 77, 96]) {
    it(`matches float64 Gaussian elimination at size ${size} (block 32) without leaking tensors`, () => {
      const g = randomGram(size, size + 10, 0.5, rng);
      const b = Float64Array.from({ length: size * rhsCount }, () => rng.nextNormal());
      const tensorsBefore = tf.memory().numTensors;
      const lower = cholesky(g, size, { blockSize: 32 });
      const x = choleskySolve(lower, size, b, rhsCount, 32);
      expect(tf.memory().numTensors).toBe(tensorsBefore);

      const expected = referenceSolve(g, size, b, rhsCount);
      // float32 products inside: agreement to ~1e-6 relative is typical; 1e-4 is the bound.
      expect(maxAbsDifference(x, expected) / maxAbs(expected)).toBeLessThan(1e-4);

      // L is lower triangular and L Lᵀ reproduces the matrix.
      let upper = 0;
      const product = new Float64Array(size * size);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          if (j > i) upper = Math.max(upper, Math.abs(lower[i * size + j]));
          let s = 0;
          for (let k = 0; k <= Math.min(i, j); k++) s += lower[i * size + k] * lower[j * size + k];
          product[i * size + j] = s;
        }
      }
      expect(upper).toBe(0);
      expect(maxAbsDifference(product, g) / maxAbs(g)).toBeLessThan(1e-5);
    });
  }

  it('uses the default block size on a size that is not a multiple of it', () => {
    const size = 300;
    const g = randomGram(size, size, 1, rng);
    const b = Float64Array.from({ length: size * 3 }, () => rng.nextNormal());
    const expected = referenceSolve(g, size, b, 3);
    expect(maxAbsDifference(solveSpd(g, size, b, 3), expected) / maxAbs(expected)).toBeLessThan(1e-4);
  });

  it('adds the diagonal shift before factoring and leaves its inputs alone', () => {
    const size = 40;
    const g = randomGram(size, 50, 0.2, rng);
    const shifted = g.slice();
    for (let i = 0; i < size; i++) shifted[i * size + i] += 3;
    const b = Float64Array.from({ length: size * 2 }, () => rng.nextNormal());
    const gCopy = g.slice();
    const bCopy = b.slice();
    const x = solveSpd(g, size, b, 2, { diagonalShift: 3, blockSize: 16 });
    const expected = referenceSolve(shifted, size, b, 2);
    expect(maxAbsDifference(x, expected) / maxAbs(expected)).toBeLessThan(1e-4);
    expect(g).toEqual(gCopy);
    expect(b).toEqual(bCopy);
  });

  it('reports a singular or indefinite matrix as a CoarError, without leaking tensors', () => {
    const size = 50;
    const tensorsBefore = tf.memory().numTensors;
    // Rank 20 < 50: positive semi-definite but singular; the zero pivot shows up past the first block.
    const singular = randomGram(size, 20, 0, rng);
    expect(() => cholesky(singular, size, { blockSize: 16 })).toThrow(CoarError);
    expect(() => cholesky(singular, size, { blockSize: 16 })).toThrow(
      /^The normal equations are singular \(pivot \d+ of 50 vanished\): use a ridge penalty > 0 or more masks than components\.$/,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // A ridge penalty makes it positive definite.
    expect(() => cholesky(singular, size, { blockSize: 16, diagonalShift: 0.1 })).not.toThrow();

    const indefinite = randomGram(size, size + 10, 0.5, rng);
    indefinite[0] = -1;
    expect(() => cholesky(indefinite, size)).toThrow(/pivot 1 of 50 vanished/);
  });
});
