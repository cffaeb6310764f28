/** Runs a baseline (./baselines) on an ablation session: the engine primitives it is lent. */
import * as tf from '@tensorflow/tfjs';
import { runMaskRowsInSteps, throwIfCancelled, yieldToEventLoop, type AblationSession, type Route, type StepOptions } from './ablate';
import { baselineSpec, type BaselineContext, type BaselineName } from './baselines';
import type { Attributions } from './estimate';
import { outputFromLogits } from './execute';
import { ENGINE_TUNING } from './tuning';
import { registerWasmGradientKernels } from './wasm-gradients';

export interface BaselineRunOptions {
  route?: Route;
  pairsPerBatch?: number;
  /** Mask rows per call, progress and cancellation for the baselines that run masks. */
  steps?: StepOptions;
  examplesPerBatch?: number;
}

/** ∂output/∂keep at keep = 1 per example, [n × N]; with `signal`, yields and checks it between batches. */
export async function keepGradients(session: AblationSession, examplesPerBatch = 64, signal?: AbortSignal): Promise<Float32Array> {
  const N = session.masked.components.count;
  const n = session.exampleCount;
  const out = new Float32Array(n * N);
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
    out.set((await grad.data()) as Float32Array, start * N);
    grad.dispose();
  }
  return out;
}

export function baselineContext(session: AblationSession, base: Float32Array, options: BaselineRunOptions = {}): BaselineContext {
  const steps = options.steps ?? {};
  return {
    componentCount: session.masked.components.count,
    exampleCount: session.exampleCount,
    base,
    runMasks: (masks) => runMaskRowsInSteps(session, masks, { ...steps, route: options.route ?? 'shared', pairsPerBatch: options.pairsPerBatch ?? ENGINE_TUNING.pairsPerBatch }),
    keepGradients: () => keepGradients(session, options.examplesPerBatch, steps.signal),
  };
}

export function computeBaseline(name: BaselineName, session: AblationSession, base: Float32Array, options: BaselineRunOptions = {}): Promise<Attributions> {
  return baselineSpec(name).compute(baselineContext(session, base, options));
}
