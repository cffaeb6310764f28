/**
 * Baseline attributions in the same linear form as COAR's (prediction = bias + Σ_kept w_i),
 * so every method is scored by the same held-out evaluation.
 *   leave-one-out  w_i = f(nothing ablated) − f(only i ablated)         (N forward passes)
 *   Grad×Param     w_i = ∂f/∂keep_i at keep = 1                          (one backward pass)
 * For zero-weights ablation ∂f/∂keep_i equals Σ over the component's weights of gradient × weight,
 * the paper's Grad×Param.
 */
import * as tf from '@tensorflow/tfjs';
import { runMaskRowsInSteps, throwIfCancelled, yieldToEventLoop, type AblationSession, type Route, type StepOptions } from './ablate';
import type { Attributions } from './estimate';
import { outputFromLogits } from './execute';
import { emptyMaskSet } from './masks';
import { ENGINE_TUNING } from './tuning';
import { registerWasmGradientKernels } from './wasm-gradients';

export type BaselineName = 'loo' | 'gradxparam';

/** Turns per-example effects (n × N) into attributions whose all-kept prediction is `base`. */
function fromEffects(effects: Float32Array, base: Float32Array, componentCount: number): Attributions {
  const n = base.length;
  const bias = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < componentCount; i++) sum += effects[j * componentCount + i];
    bias[j] = base[j] - sum;
  }
  return { componentCount, exampleCount: n, weights: effects, bias, lambda: 0 };
}

/** `steps`: run the N single-component masks a few rows at a time, with progress and cancellation. */
export async function leaveOneOut(session: AblationSession, base: Float32Array, route: Route = 'shared', pairsPerBatch = ENGINE_TUNING.pairsPerBatch, steps: StepOptions = {}): Promise<Attributions> {
  const N = session.masked.components.count;
  const n = session.exampleCount;
  const single = emptyMaskSet(N, N);
  for (let i = 0; i < N; i++) single.ablated[i * single.wordsPerMask + (i >>> 5)] |= 1 << (i & 31);
  const outputs = await runMaskRowsInSteps(session, single, { ...steps, route, pairsPerBatch });
  const effects = new Float32Array(n * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) effects[j * N + i] = base[j] - outputs[i * n + j];
  return fromEffects(effects, base, N);
}

/** With `signal`, yields to the event loop and checks it between batches (CoarError code 'cancelled'). */
export async function gradTimesParam(session: AblationSession, base: Float32Array, examplesPerBatch = 64, signal?: AbortSignal): Promise<Attributions> {
  const N = session.masked.components.count;
  const n = session.exampleCount;
  const effects = new Float32Array(n * N);
  if (tf.getBackend() === 'wasm') registerWasmGradientKernels();
  throwIfCancelled(signal);
  for (let start = 0; start < n; start += examplesPerBatch) {
    if (signal && start > 0) {
      await yieldToEventLoop();
      throwIfCancelled(signal);
    }
    const b = Math.min(examplesPerBatch, n - start);
    const grad = tf.tidy(() => {
      const x = session.inputs.slice(start, b);
      const labels = session.labels.slice(start, b);
      // Each example has its own keep row, so the gradient of the summed output is per example.
      const f = (keep: tf.Tensor) => outputFromLogits(session.masked.forward(x, keep as tf.Tensor2D), labels, session.output).sum();
      return tf.grad(f)(tf.ones([b, N]));
    });
    effects.set((await grad.data()) as Float32Array, start * N);
    grad.dispose();
  }
  return fromEffects(effects, base, N);
}
