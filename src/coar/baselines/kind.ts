/**
 * What an attribution baseline says about itself. Baselines give attributions in COAR's linear
 * form (prediction = bias + Σ_kept w_i), so every method is scored by the same held-out
 * evaluation. A new baseline is one file implementing this plus one line in ./index.ts.
 * Baseline files hold no tfjs code: the engine lends them its primitives (BaselineContext),
 * so the page can read their names and colours without loading tfjs.
 */
import type { Attributions } from '../estimate';
import type { MaskSet } from '../masks';

/** What the engine offers a baseline while computing (src/coar/baseline-run.ts). */
export interface BaselineContext {
  componentCount: number;
  exampleCount: number;
  /** Each example's output with nothing ablated, [n]. */
  base: Float32Array;
  /** Outputs under every mask of `masks` (mask-major, [count × n]), with progress and cancellation. */
  runMasks(masks: MaskSet): Promise<Float32Array>;
  /** ∂output_j/∂keep_i at keep = 1, example-major [n × N]: one backward pass per batch of examples. */
  keepGradients(): Promise<Float32Array>;
}

export interface BaselineSpec<Id extends string = string> {
  /** Used in --baselines, run requests and evaluation tables. */
  readonly id: Id;
  readonly label: string;
  /** Its line colour in the evaluation charts. */
  readonly color: string;
  /** One sentence: what it estimates and what it costs. */
  readonly description: string;
  /** Mask rows it runs, for progress (0 when it runs no masks). */
  maskRows(componentCount: number): number;
  /** Progress stage shown while it runs. */
  stage(componentCount: number): string;
  compute(ctx: BaselineContext): Promise<Attributions>;
}

/** Turns per-example effects (n × N) into attributions whose all-kept prediction is `base`. */
export function fromEffects(effects: Float32Array, base: Float32Array, componentCount: number): Attributions {
  const n = base.length;
  const bias = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < componentCount; i++) sum += effects[j * componentCount + i];
    bias[j] = base[j] - sum;
  }
  return { componentCount, exampleCount: n, weights: effects, bias, lambda: 0 };
}
