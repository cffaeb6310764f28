/**
 * COAR-Edit: rank components by how differently they matter for target examples (the behaviour
 * to change) than for reference examples (the behaviour to keep), then ablate the top k.
 * Score = Welch t-statistic of the attributions, (mean_T − mean_R) / sqrt(s_T²/|T| + s_R²/|R|),
 * with population standard deviations (the paper's choice).
 */
import { CoarError, check } from './errors';

export interface AttributionMatrix {
  componentCount: number;
  /** n × N, example-major. */
  weights: Float32Array;
  bias: Float32Array;
}

function groupStats(a: AttributionMatrix, examples: number[], i: number): { mean: number; variance: number } {
  const N = a.componentCount;
  let sum = 0;
  for (const j of examples) sum += a.weights[j * N + i];
  const mean = sum / examples.length;
  let sq = 0;
  for (const j of examples) sq += (a.weights[j * N + i] - mean) ** 2;
  return { mean, variance: sq / examples.length };
}

/** Welch t-score per component; positions index the attribution rows (the run's examples). */
export function welchScores(a: AttributionMatrix, target: number[], reference: number[]): Float64Array {
  const n = a.bias.length;
  check(target.length > 0, 'Choose at least one target example (the behaviour to change).', 'bad-edit');
  check(reference.length > 0, 'Choose at least one reference example (the behaviour to keep).', 'bad-edit');
  const outside = [...target, ...reference].find((j) => !Number.isInteger(j) || j < 0 || j >= n);
  check(outside === undefined, `Example position ${outside} is outside the run (it has ${n} examples).`, 'bad-edit');
  const scores = new Float64Array(a.componentCount);
  for (let i = 0; i < a.componentCount; i++) {
    const t = groupStats(a, target, i);
    const r = groupStats(a, reference, i);
    const spread = Math.sqrt(t.variance / target.length + r.variance / reference.length);
    const diff = t.mean - r.mean;
    // With no spread at all (one target, identical references) the difference alone ranks them.
    scores[i] = spread > 1e-12 ? diff / spread : diff * 1e12;
  }
  return scores;
}

export type EditDirection =
  /** Raise the target output (e.g. fix an error: increase the correct-class margin). */
  | 'raise'
  /** Lower the target output (e.g. forget a class). */
  | 'lower';

/**
 * The k components whose ablation moves the target most in the wanted direction relative to the
 * reference. Ablating i moves a prediction by −w_i, so raising the target takes the most negative scores.
 */
export function topComponents(scores: Float64Array, k: number, direction: EditDirection = 'raise'): number[] {
  if (!Number.isInteger(k) || k < 0) throw new CoarError(`k must be a whole number ≥ 0 (got ${k}).`, 'bad-edit');
  const sign = direction === 'raise' ? 1 : -1;
  const order = Array.from(scores.keys()).filter((i) => sign * scores[i] < 0);
  order.sort((x, y) => sign * scores[x] - sign * scores[y]);
  return order.slice(0, k);
}

/** The Welch scores of target against reference and every component that moves the target the wanted way, best first. */
export function rankForEdit(a: AttributionMatrix, target: number[], reference: number[], direction: EditDirection): { scores: Float64Array; ranked: number[] } {
  const scores = welchScores(a, target, reference);
  return { scores, ranked: topComponents(scores, a.componentCount, direction) };
}

/**
 * The k components to ablate to move one example's output (the page's "top k" for the selected
 * example): COAR-Edit with that example as the target and every other example of the run as the
 * reference; a run of one example ranks its own attributions.
 */
export function suggestComponents(a: AttributionMatrix, selected: number, k: number, direction: EditDirection): number[] {
  const n = a.bias.length;
  const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== selected);
  const scores = others.length
    ? welchScores(a, [selected], others)
    : Float64Array.from(a.weights.subarray(selected * a.componentCount, (selected + 1) * a.componentCount));
  return topComponents(scores, k, direction);
}

/** COAR-predicted output of every example with the given components ablated. */
export function predictWithAblated(a: AttributionMatrix, ablated: number[]): Float32Array {
  const N = a.componentCount;
  const n = a.bias.length;
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let v = a.bias[j];
    for (let i = 0; i < N; i++) v += a.weights[j * N + i];
    for (const i of ablated) v -= a.weights[j * N + i];
    out[j] = v;
  }
  return out;
}
