/**
 * Dense symmetric positive-definite solves with many right-hand sides, for the normal equations.
 *
 * Matrices are row-major Float64Arrays. Blocked algorithms: the small diagonal blocks are handled
 * in float64 JS, the large products (panels, trailing updates, substitution updates) by
 * tf.matMul in float32, which on wasm is ~10× faster than scalar JS. The float32 products are
 * accurate enough for the well-conditioned, centred Gram matrices COAR produces; a pivot that
 * shrinks below PIVOT_TOLERANCE of its starting value is reported as singular rather than
 * trusted.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from './errors';

export const DEFAULT_BLOCK_SIZE = 256;
/** A pivot this small relative to its diagonal entry means (numerically) singular in float32. */
const PIVOT_TOLERANCE = 1e-5;

export interface CholeskyOptions {
  /** Added to every diagonal entry before factoring (a ridge penalty). */
  diagonalShift?: number;
  blockSize?: number;
}

/**
 * Lower-triangular L with L Lᵀ = matrix + shift·I (size × size, row-major; the upper triangle
 * of the result is zero). Only the lower triangle of `matrix` is read; it is not modified.
 */
export function cholesky(matrix: Float64Array, size: number, options: CholeskyOptions = {}): Float64Array {
  const shift = options.diagonalShift ?? 0;
  const block = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  const a = matrix.slice();
  const startingDiagonal = new Float64Array(size);
  for (let j = 0; j < size; j++) startingDiagonal[j] = a[j * size + j] += shift;

  for (let k0 = 0; k0 < size; k0 += block) {
    const k1 = Math.min(k0 + block, size);
    const width = k1 - k0;
    const below = size - k1;
    factorDiagonalBlock(a, size, k0, k1, startingDiagonal);
    if (below === 0) break;
    // Panel: L21 = A21 · L11⁻ᵀ.
    const inverseTransposed = copyBlock(lowerInverse(a, size, k0, k1), width, 0, width, 0, width, true);
    const panel = matMul32(copyBlock(a, size, k1, size, k0, k1), below, width, inverseTransposed, width);
    for (let i = 0; i < below; i++) {
      for (let j = 0; j < width; j++) a[(k1 + i) * size + k0 + j] = panel[i * width + j];
    }
    // Trailing update of the lower triangle, A22 −= L21 L21ᵀ, one column strip at a time so
    // that the upper triangle is never computed.
    for (let s0 = 0; s0 < below; s0 += block) {
      const s1 = Math.min(s0 + block, below);
      const stripWidth = s1 - s0;
      const stripRows = below - s0;
      const stripT = transpose32(panel.subarray(s0 * width, s1 * width), stripWidth, width);
      const update = matMul32(panel.subarray(s0 * width), stripRows, width, stripT, stripWidth);
      for (let i = 0; i < stripRows; i++) {
        const row = (k1 + s0 + i) * size + k1 + s0;
        const last = Math.min(i + 1, stripWidth);
        for (let j = 0; j < last; j++) a[row + j] -= update[i * stripWidth + j];
      }
    }
  }
  for (let i = 0; i < size; i++) a.fill(0, i * size + i + 1, (i + 1) * size);
  return a;
}

/** Solves L Lᵀ X = B for X, where B is size × rhsCount (row-major). B is not modified. */
export function choleskySolve(lower: Float64Array, size: number, rhs: Float64Array, rhsCount: number, blockSize = DEFAULT_BLOCK_SIZE): Float64Array {
  const x = rhs.slice();
  const blocks: [number, number][] = [];
  for (let k0 = 0; k0 < size; k0 += blockSize) blocks.push([k0, Math.min(k0 + blockSize, size)]);
  const inverses = blocks.map(([k0, k1]) => lowerInverse(lower, size, k0, k1));

  // Forward: L Z = B, block by block, pushing each solved block into the rows below it.
  blocks.forEach(([k0, k1], b) => {
    const width = k1 - k0;
    const solved = matMul32(toFloat32(inverses[b]), width, width, rhsRows(x, rhsCount, k0, k1), rhsCount);
    x.set(solved, k0 * rhsCount);
    if (k1 < size) {
      subtractInto(x, k1 * rhsCount, matMul32(copyBlock(lower, size, k1, size, k0, k1), size - k1, width, solved, rhsCount));
    }
  });
  // Backward: Lᵀ X = Z, pushing each solved block into the rows above it.
  for (let b = blocks.length - 1; b >= 0; b--) {
    const [k0, k1] = blocks[b];
    const width = k1 - k0;
    const inverseTransposed = copyBlock(inverses[b], width, 0, width, 0, width, true);
    const solved = matMul32(inverseTransposed, width, width, rhsRows(x, rhsCount, k0, k1), rhsCount);
    x.set(solved, k0 * rhsCount);
    if (k0 > 0) {
      subtractInto(x, 0, matMul32(copyBlock(lower, size, k0, k1, 0, k0, true), k0, width, solved, rhsCount));
    }
  }
  return x;
}

/** X with (matrix + shift·I) X = B: one factorization, then all right-hand sides at once. */
export function solveSpd(matrix: Float64Array, size: number, rhs: Float64Array, rhsCount: number, options: CholeskyOptions = {}): Float64Array {
  return choleskySolve(cholesky(matrix, size, options), size, rhs, rhsCount, options.blockSize);
}

/** Unblocked float64 Cholesky of the diagonal block [k0, k1), after earlier updates. */
function factorDiagonalBlock(a: Float64Array, size: number, k0: number, k1: number, startingDiagonal: Float64Array): void {
  for (let j = k0; j < k1; j++) {
    const rowJ = j * size;
    let pivot = a[rowJ + j];
    for (let p = k0; p < j; p++) pivot -= a[rowJ + p] * a[rowJ + p];
    if (!(pivot > PIVOT_TOLERANCE * startingDiagonal[j])) {
      throw new CoarError(
        `The normal equations are singular (pivot ${j + 1} of ${size} vanished): use a ridge penalty > 0 or more masks than components.`,
        'singular',
      );
    }
    const diagonal = Math.sqrt(pivot);
    a[rowJ + j] = diagonal;
    for (let i = j + 1; i < k1; i++) {
      const rowI = i * size;
      let sum = a[rowI + j];
      for (let p = k0; p < j; p++) sum -= a[rowI + p] * a[rowJ + p];
      a[rowI + j] = sum / diagonal;
    }
  }
}

/** Inverse of the lower-triangular diagonal block [k0, k1) of L, as a dense width × width array. */
function lowerInverse(lower: Float64Array, size: number, k0: number, k1: number): Float64Array {
  const width = k1 - k0;
  const inv = new Float64Array(width * width);
  // Row i of L⁻¹ is (e_i − Σ_{p<i} L[i,p] · row p of L⁻¹) / L[i,i]; rows are contiguous.
  for (let i = 0; i < width; i++) {
    const rowL = (k0 + i) * size + k0;
    const rowI = i * width;
    for (let p = 0; p < i; p++) {
      const factor = lower[rowL + p];
      const rowP = p * width;
      for (let j = 0; j <= p; j++) inv[rowI + j] -= factor * inv[rowP + j];
    }
    const diagonal = lower[rowL + i];
    for (let j = 0; j < i; j++) inv[rowI + j] /= diagonal;
    inv[rowI + i] = 1 / diagonal;
  }
  return inv;
}

/** Rows [r0, r1) × columns [c0, c1) of a row-major matrix with `stride` columns, as float32. */
function copyBlock(source: Float64Array, stride: number, r0: number, r1: number, c0: number, c1: number, transposed = false): Float32Array {
  const rows = r1 - r0;
  const cols = c1 - c0;
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const from = (r0 + i) * stride + c0;
    for (let j = 0; j < cols; j++) out[transposed ? j * rows + i : i * cols + j] = source[from + j];
  }
  return out;
}

function transpose32(source: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = source[i * cols + j];
  }
  return out;
}

function rhsRows(x: Float64Array, rhsCount: number, r0: number, r1: number): Float32Array {
  return toFloat32(x.subarray(r0 * rhsCount, r1 * rhsCount));
}

function toFloat32(values: Float64Array): Float32Array {
  return new Float32Array(values);
}

function subtractInto(target: Float64Array, offset: number, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) target[offset + i] -= values[i];
}

/**
 * (rows × inner) · (inner × cols) on the tfjs backend. Both operands are passed untransposed:
 * on wasm, matMul's transpose flags are an order of magnitude slower than transposing in JS.
 */
function matMul32(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number): Float32Array {
  // The typed array is read outside tidy: tidy walks every index of a returned array looking for tensors.
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [rows, inner]), tf.tensor2d(b, [inner, cols])));
  const values = product.dataSync() as Float32Array;
  product.dispose();
  return values;
}
