/**
 * Forward passes with one keep-mask shared by a batch: the predicted class and output of every
 * example of a session with some components switched off (the page's toggle-to-ablate, the
 * accuracy on the data set, an edit measured beyond the run's examples).
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from './errors';
import { outputFromLogits } from './execute';
import { yieldToEventLoop, type AblationSession } from './ablate';

export interface Predictions {
  predictedClass: Int32Array;
  outputs: Float32Array;
}

/** Keep-mask with the given components ablated (0) and every other kept (1). */
export function keepVector(componentCount: number, ablated: Iterable<number>): Float32Array {
  const keep = new Float32Array(componentCount).fill(1);
  for (const i of ablated) keep[i] = 0;
  return keep;
}

export interface PredictOptions {
  /** Examples per forward pass. */
  batch?: number;
  /** Checked between batches; an aborted signal stops with a 'cancelled' error. */
  signal?: AbortSignal;
}

/**
 * Predicted class and output of every example of the session under one keep-mask, in batches;
 * each batch is read back before the next starts, and the event loop runs between batches so that
 * a cancel can arrive.
 */
export async function predictWithKeep(session: AblationSession, keep: Float32Array, options: PredictOptions = {}): Promise<Predictions> {
  const batch = options.batch ?? 256;
  const n = session.exampleCount;
  const predictedClass = new Int32Array(n);
  const outputs = new Float32Array(n);
  const keepTensor = tf.tensor2d(keep, [1, keep.length]);
  try {
    for (let start = 0; start < n; start += batch) {
      if (options.signal?.aborted) throw new CoarError('Cancelled (a newer request replaced it).', 'cancelled');
      const size = Math.min(batch, n - start);
      const [c, o] = tf.tidy(() => {
        const x = size === n ? session.inputs : session.inputs.slice(start, size);
        const labels = size === n ? session.labels : session.labels.slice(start, size);
        const logits = session.masked.forward(x, keepTensor as tf.Tensor2D);
        return [logits.argMax(-1).toInt(), outputFromLogits(logits, labels, session.output)];
      });
      try {
        const [cv, ov] = await Promise.all([c.data(), o.data()]);
        predictedClass.set(cv, start);
        outputs.set(ov, start);
      } finally {
        tf.dispose([c, o]);
      }
      if (start + size < n) await yieldToEventLoop();
    }
    return { predictedClass, outputs };
  } finally {
    keepTensor.dispose();
  }
}
