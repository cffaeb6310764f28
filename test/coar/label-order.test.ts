/** The label-order check: the best label → output assignment from a confusion matrix, and when it is offered. */
import { describe, expect, it } from 'vitest';
import { adviseLabelOrder, confusionMatrix, maxWeightAssignment, relabel } from '../../src/coar/label-order';
import { summarizeMargins } from '../../src/coar/data-check';

/** Brute force over all permutations, for checking the Hungarian algorithm on small matrices. */
function bestByBruteForce(w: number[][]): number {
  const n = w.length;
  let best = -Infinity;
  const perm = (prefix: number[]) => {
    if (prefix.length === n) { best = Math.max(best, prefix.reduce((s, j, i) => s + w[i][j], 0)); return; }
    for (let j = 0; j < n; j++) if (!prefix.includes(j)) perm([...prefix, j]);
  };
  perm([]);
  return best;
}

describe('label order', () => {
  it('the assignment is optimal on random matrices (against brute force)', () => {
    let seed = 5;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 97);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + (trial % 5);
      const w = Array.from({ length: n }, () => Array.from({ length: n }, rand));
      const columnOf = maxWeightAssignment(w);
      expect(new Set(columnOf).size).toBe(n);
      expect(columnOf.reduce((s, j, i) => s + w[i][j], 0)).toBe(bestByBruteForce(w));
    }
  });

  it('recovers a planted permutation of 10 classes from noisy predictions and names the order', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const outputOf = [3, 0, 1, 2, 9, 5, 4, 8, 7, 6];
    const labels: number[] = [];
    const predicted: number[] = [];
    for (let label = 0; label < 10; label++) {
      for (let k = 0; k < 10; k++) {
        labels.push(label);
        predicted.push(k < 7 ? outputOf[label] : (label + k) % 10); // 70% right under the true mapping
      }
    }
    const advice = adviseLabelOrder(confusionMatrix(labels, predicted, 10), names)!;
    expect(advice.outputOfLabel).toEqual(outputOf);
    expect(advice.accuracy).toBeGreaterThanOrEqual(0.7);
    expect(advice.classNames).toEqual(['b', 'c', 'd', 'a', 'g', 'f', 'j', 'i', 'h', 'e']);
    expect(Array.from(relabel(Uint8Array.from(labels), advice.outputOfLabel)).filter((l, i) => l === predicted[i]).length).toBe(advice.correct);
  });

  it('no advice when the given order is right, or when the gain is within noise', () => {
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    expect(adviseLabelOrder(confusionMatrix(labels, labels, 3), ['x', 'y', 'z'])).toBeNull();
    // Two swapped predictions: a better assignment gains 1 example, below the 3-example rule.
    expect(adviseLabelOrder(confusionMatrix(labels, [0, 0, 1, 1, 1, 0, 2, 2, 2], 3), ['x', 'y', 'z'])).toBeNull();
  });

  it('ties keep the given order (classes with no images stay where they are)', () => {
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const predicted = [1, 1, 1, 1, 0, 0, 0, 0];
    const advice = adviseLabelOrder(confusionMatrix(labels, predicted, 4), ['p', 'q', 'r', 's'])!;
    expect(advice.outputOfLabel).toEqual([1, 0, 2, 3]);
    expect(advice.classNames).toEqual(['q', 'p', 'r', 's']);
  });

  it('margin summary', () => {
    expect(summarizeMargins([3, -1, 2, 0.5])).toEqual({ mean: 1.125, median: 1.25, min: -1, max: 3, negative: 1 });
  });
});
