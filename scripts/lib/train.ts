/** The demo models' training loop (tfjs wasm in Node): Adam, step-decayed, progress on stderr. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/coar/random';
import { batchTensors, type Split } from './fashion';

export interface TrainOptions {
  epochs: number;
  seed: number;
  trainCount?: number;
  batchSize?: number;
  /** Called after each epoch (e.g. to save a checkpoint and report accuracy). */
  onEpoch?: (epoch: number) => Promise<void> | void;
}

export async function train(model: tf.LayersModel, data: Split, o: TrainOptions): Promise<void> {
  const optimizer = tf.train.adam(2e-3);
  model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const rng = new Rng(o.seed);
  const batchSize = o.batchSize ?? 64;
  const count = o.trainCount ?? data.count;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    // Full rate first; a low rate for the last epoch settles the weights and BN statistics.
    (optimizer as unknown as { learningRate: number }).learningRate = epoch === o.epochs - 1 && o.epochs > 1 ? 3e-4 : 2e-3 / (1 + epoch);
    const order = Int32Array.from({ length: count }, (_, i) => i);
    rng.shuffle(order);
    const started = Date.now();
    let lossSum = 0;
    for (let b = 0; b * batchSize < count; b++) {
      const { x, y } = batchTensors(data, order.subarray(b * batchSize, Math.min(count, (b + 1) * batchSize)));
      lossSum += (await model.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      if ((b + 1) % 100 === 0) {
        const done = (b + 1) * batchSize;
        process.stderr.write(`epoch ${epoch + 1}/${o.epochs}: ${done}/${count} loss ${(lossSum / (b + 1)).toFixed(4)} ${(done / ((Date.now() - started) / 1000)).toFixed(0)} img/s\n`);
      }
    }
    await o.onEpoch?.(epoch);
  }
}
