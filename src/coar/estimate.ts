/**
 * The COAR estimator: per example, a linear model of the output in the keep-mask features,
 * f(mask) ≈ bias + Σ_{kept i} w_i, fitted by (ridge) least squares over random ablations.
 *
 * All examples share the masks, so they share one Gram matrix and one factorization per ridge
 * penalty. Features and outputs are centred, which absorbs the unpenalised intercept and keeps
 * the Gram matrix well conditioned. With A the m × N 0/1 ablation matrix, the centred keep-mask
 * features are X_c = −A_c, so we fit Y_c ≈ A_c V and report w = −V. Everything is built from the
 * sparse ablated-index lists; the dense m × N matrix never exists.
 */
import * as tf from '@tensorflow/tfjs';
import { ablatedIndices, type MaskSet } from './masks';
import { CoarError, check } from './errors';
import { RIDGE_GRID } from './settings';
import { cholesky, choleskySolve } from './linalg';
import { correlationPerExample, meanCorrelation } from './evaluate';

/** Outputs under masks: outputs[r * exampleCount + j] is example j under mask r. */
export interface MaskedOutputs {
  masks: MaskSet;
  outputs: Float32Array;
}

export interface FitOptions {
  train: MaskedOutputs;
  exampleCount: number;
  /** Held-out masks used to choose the ridge penalty and to report the fit's correlation. */
  validation?: MaskedOutputs;
  /** Absolute ridge penalties to try; by default RIDGE_GRID × m × (mean feature variance). */
  lambdas?: number[];
  /** Hears each step as it starts: the normal equations (step 0), then one step per penalty tried. */
  onStep?: (step: FitStep) => void;
}

export interface FitStep { label: string; done: number; total: number }

export interface Attributions {
  componentCount: number;
  exampleCount: number;
  /** exampleCount × componentCount, row-major: weights[j * N + i]. Ablating i moves example j's prediction by −w. */
  weights: Float32Array;
  /** Predicted output with nothing ablated minus Σ_i w_i: prediction = bias + Σ_{kept i} w_i. */
  bias: Float32Array;
  lambda: number;
}

export interface GridPoint {
  lambda: number;
  /** Mean validation correlation over examples; null without a validation set or when it failed. */
  validationCorrelation: number | null;
  /** Why this penalty could not be used (a singular system). */
  failed?: string;
}

export interface FitReport {
  attributions: Attributions;
  /** Penalties tried, ascending. Without validation, the search stops at the first that succeeds. */
  grid: GridPoint[];
  /** The chosen penalty's mean validation correlation: null without validation, NaN if no example had one. */
  validationCorrelation: number | null;
  /** Seconds per phase. */
  timings: Record<string, number>;
}

/**
 * Fits attributions for every example at once. The penalty is the one with the best mean
 * validation correlation (the smallest on ties); without validation, the smallest that gives a
 * non-singular system. λ = 0 is plain least squares, as in the paper.
 */
export async function fitAttributions(options: FitOptions): Promise<FitReport> {
  await tf.ready(); // the solver runs on the tfjs backend
  const { train, validation, exampleCount: n } = options;
  const timer = phaseTimer();
  checkInputs(options);
  timer.lap('checks');
  const N = train.masks.componentCount;

  const steps = 1 + (options.lambdas?.length ?? RIDGE_GRID.length);
  options.onStep?.({ label: 'Building the normal equations', done: 0, total: steps });
  const byMask = ablatedByMask(train.masks);
  const byComponent = transposeSparse(byMask, N);
  timer.lap('index');
  const system = centredNormalEquations(byMask, byComponent, train.outputs, n, timer);
  const lambdas = options.lambdas ? [...new Set(options.lambdas)].sort((a, b) => a - b) : defaultLambdas(system.gram, N);

  const grid: GridPoint[] = [];
  let best: { attributions: Attributions; correlation: number } | undefined;
  for (const [k, lambda] of lambdas.entries()) {
    options.onStep?.({ label: `Solving with ridge penalty ${k + 1} of ${lambdas.length}`, done: 1 + k, total: 1 + lambdas.length });
    let attributions: Attributions;
    try {
      const lower = cholesky(system.gram, N, { diagonalShift: lambda });
      timer.lap('factor');
      attributions = toAttributions(choleskySolve(lower, N, system.rhs, n), system, N, n, lambda);
      timer.lap('solve');
    } catch (error) {
      if (!(error instanceof CoarError && error.code === 'singular')) throw error;
      grid.push({ lambda, validationCorrelation: null, failed: error.message });
      timer.lap('factor');
      continue;
    }
    if (!validation) {
      grid.push({ lambda, validationCorrelation: null });
      best = { attributions, correlation: NaN };
      break;
    }
    const { mean } = meanCorrelation(correlationPerExample(predictOutputs(attributions, validation.masks), validation.outputs, validation.masks.count, n));
    timer.lap('validation');
    grid.push({ lambda, validationCorrelation: mean });
    // NaN (no example with a defined correlation) never beats a number; the first success stands in.
    if (!best || mean > best.correlation || (Number.isNaN(best.correlation) && !Number.isNaN(mean))) best = { attributions, correlation: mean };
  }
  if (!best) {
    throw new CoarError(`No ridge penalty gave a solvable system (tried ${lambdas.join(', ')}): ${grid[grid.length - 1].failed}`, 'singular');
  }
  return {
    attributions: best.attributions,
    grid,
    validationCorrelation: validation ? best.correlation : null,
    timings: timer.done(),
  };
}

/**
 * Outputs the attributions predict under each mask, m × n mask-major like the fit's inputs:
 * the all-kept prediction minus the weights of each row's ablated components.
 */
export function predictOutputs(attributions: Attributions, masks: MaskSet): Float32Array {
  const { componentCount: N, exampleCount: n, weights, bias } = attributions;
  check(masks.componentCount === N, `The masks cover ${masks.componentCount} components but the attributions cover ${N}.`, 'component-mismatch');
  const weightsByComponent = new Float32Array(N * n);
  const allKept = Float64Array.from(bias);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < N; i++) {
      weightsByComponent[i * n + j] = weights[j * N + i];
      allKept[j] += weights[j * N + i];
    }
  }
  const ablatedSums = sumRowsPerGroup(weightsByComponent, n, ablatedByMask(masks));
  const out = new Float32Array(masks.count * n);
  for (let r = 0; r < masks.count; r++) {
    for (let j = 0; j < n; j++) out[r * n + j] = allKept[j] - ablatedSums[r * n + j];
  }
  return out;
}

/**
 * Default penalties: RIDGE_GRID scaled by the mean diagonal of the centred Gram matrix,
 * m × (mean over components of ablation rate × (1 − rate)) ≈ m·α(1 − α). The scale makes a
 * grid value mean the same shrinkage for any m, N and α.
 */
export function defaultLambdas(gram: Float64Array, N: number): number[] {
  let trace = 0;
  for (let i = 0; i < N; i++) trace += gram[i * N + i];
  check(trace > 0, 'No component is ablated in any training mask: there is nothing to fit.', 'no-ablations');
  return RIDGE_GRID.map((multiple) => multiple * trace / N);
}

function checkInputs({ train, validation, exampleCount: n, lambdas }: FitOptions): void {
  check(Number.isInteger(n) && n > 0, 'There are no examples to fit (exampleCount must be a positive integer).', 'no-examples');
  check(train.masks.count > 0, 'There are no training masks.', 'no-masks');
  checkOutputs('Training', train, n);
  if (validation) {
    check(validation.masks.componentCount === train.masks.componentCount,
      `The validation masks cover ${validation.masks.componentCount} components but the training masks cover ${train.masks.componentCount}.`, 'component-mismatch');
    check(validation.masks.count >= 2, 'Validation needs at least 2 masks to measure a correlation.', 'no-masks');
    checkOutputs('Validation', validation, n);
  }
  if (lambdas) {
    check(lambdas.length > 0, 'The list of ridge penalties is empty.', 'bad-lambda');
    for (const lambda of lambdas) check(Number.isFinite(lambda) && lambda >= 0, `Ridge penalties must be finite and ≥ 0 (got ${lambda}).`, 'bad-lambda');
  }
}

function checkOutputs(label: string, { masks, outputs }: MaskedOutputs, n: number): void {
  check(outputs.length === masks.count * n,
    `${label} outputs hold ${outputs.length} values, but ${masks.count} masks × ${n} examples need ${masks.count * n}.`, 'bad-outputs');
  for (let k = 0; k < outputs.length; k++) {
    if (!Number.isFinite(outputs[k])) {
      throw new CoarError(`${label} output for mask row ${Math.floor(k / n)}, example ${k % n} is ${outputs[k]}: outputs must be finite numbers.`, 'bad-outputs');
    }
  }
}

/** A sparse 0/1 matrix by rows: the columns set in row r are members[start[r] .. start[r + 1]), ascending. */
interface SparseRows {
  start: Int32Array;
  members: Int32Array;
}

/** The ablated components of each mask. */
function ablatedByMask(masks: MaskSet): SparseRows {
  const lists = Array.from({ length: masks.count }, (_, r) => ablatedIndices(masks, r));
  const start = new Int32Array(masks.count + 1);
  lists.forEach((list, r) => { start[r + 1] = start[r] + list.length; });
  const members = new Int32Array(start[masks.count]);
  lists.forEach((list, r) => members.set(list, start[r]));
  return { start, members };
}

/** The transpose: the masks that ablate each component. */
function transposeSparse({ start, members }: SparseRows, columns: number): SparseRows {
  const tStart = new Int32Array(columns + 1);
  for (const c of members) tStart[c + 1]++;
  for (let c = 0; c < columns; c++) tStart[c + 1] += tStart[c];
  const tMembers = new Int32Array(members.length);
  const next = tStart.slice(0, columns);
  for (let r = 0; r + 1 < start.length; r++) {
    for (let p = start[r]; p < start[r + 1]; p++) tMembers[next[members[p]]++] = r;
  }
  return { start: tStart, members: tMembers };
}

interface NormalEquations {
  /** A_cᵀA_c, N × N; only the lower triangle is filled. */
  gram: Float64Array;
  /** A_cᵀY_c, N × n. */
  rhs: Float64Array;
  /** Fraction of training masks ablating each component (ā). */
  ablationRate: Float64Array;
  outputMean: Float64Array;
}

function centredNormalEquations(byMask: SparseRows, byComponent: SparseRows, outputs: Float32Array, n: number, timer: PhaseTimer): NormalEquations {
  const m = byMask.start.length - 1;
  const N = byComponent.start.length - 1;
  const { start: rowStart, members: components } = byMask;
  const { start: componentStart, members: rows } = byComponent;
  const ablationRate = new Float64Array(N);
  for (let i = 0; i < N; i++) ablationRate[i] = (componentStart[i + 1] - componentStart[i]) / m;

  // AᵀA row by row (i), from the masks that ablate i: each adds 1 at every component ≤ i it also
  // ablates. Lists are ascending, so the writes stay in row i (cache-friendly) and below the diagonal.
  const gram = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const gramRow = i * N;
    for (let p = componentStart[i]; p < componentStart[i + 1]; p++) {
      const r = rows[p];
      for (let q = rowStart[r]; q < rowStart[r + 1] && components[q] <= i; q++) gram[gramRow + components[q]]++;
    }
    // Centring: A_cᵀA_c = AᵀA − m ā āᵀ.
    for (let k = 0; k <= i; k++) gram[gramRow + k] -= m * ablationRate[i] * ablationRate[k];
  }
  timer.lap('gram');

  const outputMean = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < n; j++) outputMean[j] += outputs[r * n + j];
  }
  for (let j = 0; j < n; j++) outputMean[j] /= m;

  // A_cᵀY_c = AᵀY − (column counts) ȳᵀ, where row i of AᵀY sums the output rows of the masks
  // that ablate i: m·k·n work instead of a product with the dense m × N matrix.
  const rhs = sumRowsPerGroup(outputs, n, byComponent);
  for (let i = 0; i < N; i++) {
    const count = componentStart[i + 1] - componentStart[i];
    for (let j = 0; j < n; j++) rhs[i * n + j] -= count * outputMean[j];
  }
  timer.lap('rhs');
  return { gram, rhs, ablationRate, outputMean };
}

/**
 * For each group g, the sum of the table rows it lists: out[g, :] = Σ_{p ∈ [start[g], start[g+1])} table[members[p], :].
 * table is row-major with n columns. Columns are taken 8 at a time from an interleaved copy
 * (small enough to stay in cache) into 8 scalar accumulators: about 3× faster in V8 than adding
 * whole table rows, which streams each gathered row from memory.
 */
function sumRowsPerGroup(table: Float32Array, n: number, { start, members }: SparseRows): Float64Array {
  const tableRows = table.length / n;
  const groups = start.length - 1;
  const out = new Float64Array(groups * n);
  const chunk = new Float64Array(tableRows * 8);
  for (let j0 = 0; j0 < n; j0 += 8) {
    const width = Math.min(8, n - j0);
    chunk.fill(0);
    for (let r = 0; r < tableRows; r++) {
      for (let t = 0; t < width; t++) chunk[r * 8 + t] = table[r * n + j0 + t];
    }
    for (let g = 0; g < groups; g++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let p = start[g]; p < start[g + 1]; p++) {
        const b = members[p] * 8;
        s0 += chunk[b]; s1 += chunk[b + 1]; s2 += chunk[b + 2]; s3 += chunk[b + 3];
        s4 += chunk[b + 4]; s5 += chunk[b + 5]; s6 += chunk[b + 6]; s7 += chunk[b + 7];
      }
      const sums = [s0, s1, s2, s3, s4, s5, s6, s7];
      for (let t = 0; t < width; t++) out[g * n + j0 + t] = sums[t];
    }
  }
  return out;
}

/** Keep-mask weights w = −V and bias b = ȳ − x̄ᵀw, with x̄ = 1 − ā. */
function toAttributions(solution: Float64Array, system: NormalEquations, N: number, n: number, lambda: number): Attributions {
  const weights = new Float32Array(n * N);
  const bias = Float64Array.from(system.outputMean);
  for (let i = 0; i < N; i++) {
    const meanKept = 1 - system.ablationRate[i];
    for (let j = 0; j < n; j++) {
      const w = -solution[i * n + j];
      weights[j * N + i] = w;
      bias[j] -= meanKept * w;
    }
  }
  return { componentCount: N, exampleCount: n, weights, bias: new Float32Array(bias), lambda };
}

type PhaseTimer = ReturnType<typeof phaseTimer>;

/** Accumulates seconds per named phase; a phase may be lapped many times (once per penalty). */
function phaseTimer() {
  const start = performance.now();
  let last = start;
  const timings: Record<string, number> = {};
  return {
    lap(phase: string) {
      const now = performance.now();
      timings[phase] = (timings[phase] ?? 0) + (now - last) / 1000;
      last = now;
    },
    done() {
      timings.total = (performance.now() - start) / 1000;
      return timings;
    },
  };
}
