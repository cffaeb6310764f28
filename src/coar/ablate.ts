/**
 * Runs mask sets through a masked model and records one output per (mask, example).
 * Two routes compute the same numbers:
 *   per-sample  one batch holds several masks × all examples (fills a GPU when examples are few)
 *   shared      one forward pass per mask over the examples (no input copies; good on CPUs)
 * The faster one for this backend and batch is chosen by timing both (chooseRoute).
 * Results are read back once per call, never per batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { ComponentIndex } from './components';
import { CoarError } from './errors';
import { MaskedModel, outputFromLogits } from './execute';
import { writeKeepMask, type MaskSet } from './masks';
import type { AblationKind, OutputKind } from './settings';
import type { ScoreSource } from './scores';
import { ENGINE_TUNING } from './tuning';

export type Route = 'per-sample' | 'shared';

export interface AblationSession {
  masked: MaskedModel;
  /** Model-ready inputs of the studied examples, [n, ...]. */
  inputs: tf.Tensor;
  labels: tf.Tensor1D;
  output: OutputKind;
  exampleCount: number;
}

export function createSession(model: tf.LayersModel, components: ComponentIndex, inputs: tf.Tensor, labels: Int32Array, ablation: AblationKind, output: OutputKind, scores: ScoreSource): AblationSession {
  const masked = new MaskedModel(model, components, ablation, scores);
  if (ablation === 'mean') masked.setMeanActivationsFrom(inputs);
  return { masked, inputs, labels: tf.tensor1d(labels, 'int32'), output, exampleCount: inputs.shape[0] };
}

export function disposeSession(session: AblationSession): void {
  session.masked.dispose();
  tf.dispose([session.inputs, session.labels]);
}

function keepRows(masks: MaskSet, start: number, count: number): tf.Tensor2D {
  const n = masks.componentCount;
  const keep = new Float32Array(count * n);
  for (let r = 0; r < count; r++) writeKeepMask(masks, start + r, keep, r * n);
  return tf.tensor2d(keep, [count, n]);
}

/** Outputs for mask rows [start, start + count): Float32Array, mask-major (value[r * n + j]). */
export async function runMaskRows(session: AblationSession, masks: MaskSet, start: number, count: number, route: Route, pairsPerBatch = ENGINE_TUNING.pairsPerBatch): Promise<Float32Array> {
  const n = session.exampleCount;
  const parts: tf.Tensor[] = [];
  const keep = keepRows(masks, start, count);
  try {
    if (route === 'per-sample') {
      const rowsPerBatch = Math.max(1, Math.floor(pairsPerBatch / n));
      for (let r = 0; r < count; r += rowsPerBatch) {
        const rb = Math.min(rowsPerBatch, count - r);
        parts.push(tf.tidy(() => {
          const x = rb === 1 ? session.inputs : tf.tile(session.inputs, [rb, ...Array(session.inputs.rank - 1).fill(1)]);
          const k = keep.slice([r, 0], [rb, masks.componentCount]).expandDims(1).tile([1, n, 1]).reshape([rb * n, masks.componentCount]) as tf.Tensor2D;
          const labels = rb === 1 ? session.labels : tf.tile(session.labels, [rb]);
          return outputFromLogits(session.masked.forward(x, k), labels, session.output);
        }));
      }
    } else {
      for (let r = 0; r < count; r++) {
        parts.push(tf.tidy(() => {
          const k = keep.slice([r, 0], [1, masks.componentCount]);
          return outputFromLogits(session.masked.forward(session.inputs, k), session.labels, session.output);
        }));
      }
    }
    const all = parts.length === 1 ? parts[0] : tf.concat(parts);
    const values = (await all.data()) as Float32Array;
    if (all !== parts[0]) all.dispose();
    return values;
  } finally {
    tf.dispose(parts);
    keep.dispose();
  }
}

export interface StepOptions {
  /** Mask rows per runMaskRows call (default: all rows in one call). */
  rowsPerStep?: number;
  /** Checked before the first step and after each; when aborted the run throws CoarError code 'cancelled'. */
  signal?: AbortSignal;
  /** Called after each step with the rows done so far and the total. */
  onStep?: (rowsDone: number, rowsTotal: number) => void;
}

/** Throws CoarError('…cancelled…', 'cancelled') when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CoarError('The computation was cancelled.', 'cancelled');
}

/**
 * Lets the event loop run (so a cancel message can arrive). Promise chains alone never yield:
 * on wasm and cpu, tensor reads resolve as microtasks.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * runMaskRows over every row of `masks`, `rowsPerStep` rows per call, yielding to the event loop
 * and checking `signal` between calls. Same outputs as one runMaskRows call on the 'shared' route.
 */
export async function runMaskRowsInSteps(session: AblationSession, masks: MaskSet, options: StepOptions & { route: Route; pairsPerBatch?: number }): Promise<Float32Array> {
  throwIfCancelled(options.signal);
  const n = session.exampleCount;
  const total = masks.count;
  const chunk = Math.max(1, Math.floor(options.rowsPerStep ?? total));
  if (chunk >= total) {
    const values = await runMaskRows(session, masks, 0, total, options.route, options.pairsPerBatch);
    options.onStep?.(total, total);
    await yieldToEventLoop();
    throwIfCancelled(options.signal);
    return values;
  }
  const out = new Float32Array(total * n);
  for (let start = 0; start < total; start += chunk) {
    const count = Math.min(chunk, total - start);
    out.set(await runMaskRows(session, masks, start, count, options.route, options.pairsPerBatch), start * n);
    options.onStep?.(start + count, total);
    await yieldToEventLoop();
    throwIfCancelled(options.signal);
  }
  return out;
}

/** Outputs with nothing ablated, [n]. */
export async function runBaseOutputs(session: AblationSession): Promise<Float32Array> {
  const out = tf.tidy(() => outputFromLogits(session.masked.forward(session.inputs, tf.ones([1, session.masked.components.count])), session.labels, session.output));
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

export interface RouteTiming {
  route: Route;
  pairsPerSecond: number;
}

/**
 * Times both routes on a few rows (after a warm-up pass each, so shader compilation and
 * allocation are not counted) and returns them fastest first.
 */
export async function chooseRoute(session: AblationSession, masks: MaskSet, pairsPerBatch = ENGINE_TUNING.pairsPerBatch): Promise<RouteTiming[]> {
  const n = session.exampleCount;
  const rows = Math.min(masks.count, Math.max(2, Math.ceil((2 * pairsPerBatch) / n)));
  const timings: RouteTiming[] = [];
  for (const route of ['per-sample', 'shared'] as const) {
    await runMaskRows(session, masks, 0, Math.min(rows, Math.max(1, Math.floor(pairsPerBatch / n))), route, pairsPerBatch);
    const t0 = performance.now();
    await runMaskRows(session, masks, 0, rows, route, pairsPerBatch);
    timings.push({ route, pairsPerSecond: (rows * n) / ((performance.now() - t0) / 1000) });
  }
  return timings.sort((a, b) => b.pairsPerSecond - a.pairsPerSecond);
}
