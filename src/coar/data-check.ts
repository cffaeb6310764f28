/**
 * Where data meets a model, before any run: accuracy, a margin summary, whether the outputs look
 * like probabilities, and whether the class order looks wrong (label-order.ts). The CLI prints it,
 * the worker sends it to the page with the gallery's predictions.
 */
import * as tf from '@tensorflow/tfjs';
import { yieldToEventLoop } from './ablate';
import type { ComponentIndex } from './components';
import { inputTensor, type ImageDataset } from './dataset';
import { MaskedModel, outputFromLogits } from './execute';
import { adviseLabelOrder, confusionMatrix, type LabelOrderAdvice } from './label-order';
import type { ScoreSource } from './scores';

export interface MarginSummary { mean: number; median: number; min: number; max: number; negative: number }

export interface DataCheck {
  /** Examples checked (the first `count` of the data set). */
  count: number;
  correct: number;
  accuracy: number;
  /** Share of the most frequent label: what always guessing it would score. */
  majorityShare: number;
  margins: MarginSummary;
  /** Predicted output and margin per checked example. */
  predicted: Int32Array;
  exampleMargins: Float32Array;
  /** The scores compared are non-negative and sum to 1 per example: margins on probabilities. */
  looksLikeProbabilities: boolean;
  labelOrder: LabelOrderAdvice | null;
}

export interface DataCheckOptions {
  scores: ScoreSource;
  /** Examples checked at most (the first ones). */
  limit?: number;
  batch?: number;
}

export function summarizeMargins(margins: ArrayLike<number>): MarginSummary {
  const sorted = Float64Array.from(margins).sort();
  const n = sorted.length;
  if (n === 0) return { mean: NaN, median: NaN, min: NaN, max: NaN, negative: 0 };
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { mean, median, min: sorted[0], max: sorted[n - 1], negative: sorted.filter((m) => m < 0).length };
}

/** Runs the model (nothing ablated) over the data set's first examples and checks what comes out. */
export async function checkData(model: tf.LayersModel, components: ComponentIndex, data: ImageDataset, options: DataCheckOptions): Promise<DataCheck> {
  const count = Math.min(data.meta.count, options.limit ?? data.meta.count);
  const batch = options.batch ?? 256;
  const masked = new MaskedModel(model, components, 'zero-weights', options.scores);
  const predicted = new Int32Array(count);
  const exampleMargins = new Float32Array(count);
  let looksLikeProbabilities = true;
  const keep = tf.ones([1, components.count]) as tf.Tensor2D;
  try {
    for (let start = 0; start < count; start += batch) {
      const idx = Array.from({ length: Math.min(batch, count - start) }, (_, k) => start + k);
      const [cls, margin, minScore, sumError] = tf.tidy(() => {
        const scores = masked.forward(inputTensor(data, idx), keep);
        const labels = tf.tensor1d(Int32Array.from(idx, (i) => data.labels[i]), 'int32');
        return [scores.argMax(-1), outputFromLogits(scores, labels, 'margin'), scores.min(), scores.sum(-1).sub(1).abs().max()];
      });
      const [c, m, lo, err] = await Promise.all([cls.data(), margin.data(), minScore.data(), sumError.data()]);
      tf.dispose([cls, margin, minScore, sumError]);
      predicted.set(c, start);
      exampleMargins.set(m, start);
      if (lo[0] < 0 || err[0] > 1e-3) looksLikeProbabilities = false;
      await yieldToEventLoop();
    }
  } finally {
    keep.dispose();
    masked.dispose();
  }
  const labels = data.labels.subarray(0, count);
  const K = data.meta.classNames.length;
  const confusion = confusionMatrix(labels, predicted, K);
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  const perLabel = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    count,
    correct,
    accuracy: correct / count,
    majorityShare: Math.max(...perLabel) / count,
    margins: summarizeMargins(exampleMargins),
    predicted,
    exampleMargins,
    looksLikeProbabilities: looksLikeProbabilities && options.scores !== 'log',
    labelOrder: adviseLabelOrder(confusion, data.meta.classNames),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The check in a few lines of plain text (CLI, logs); the page draws its own. */
export function describeDataCheck(check: DataCheck, classNames: string[]): string[] {
  const m = check.margins;
  const lines = [
    `accuracy ${pct(check.accuracy)} (${check.correct}/${check.count}; the most frequent label alone would score ${pct(check.majorityShare)}); ` +
    `margin mean ${m.mean.toFixed(2)}, median ${m.median.toFixed(2)}, range ${m.min.toFixed(2)} to ${m.max.toFixed(2)}, ${m.negative} negative (misclassified)`,
  ];
  if (check.looksLikeProbabilities) {
    lines.push("warning: the model's outputs are probabilities (non-negative, summing to 1), so margins are stuck in [−1, 1]; take them on logits instead (--scores log, or before-activation when the softmax is the last step).");
  }
  const advice = check.labelOrder;
  if (advice) {
    lines.push(`warning: the class order looks wrong: ${pct(check.accuracy)} correct with the given order, ${pct(advice.accuracy)} (${advice.correct}/${check.count}) with ${advice.moved} of ${classNames.length} classes moved. ` +
      `The likely order of the model's outputs: ${advice.classNames.map((n, i) => `${i}=${n}`).join(', ')}.`);
  }
  return lines;
}
