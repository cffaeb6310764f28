/**
 * Does the data's class order match the model's outputs? Labels read from folder names or file
 * prefixes are sorted by name, which rarely is the order the model was trained in. From the
 * confusion matrix (data label × predicted output) the label → output assignment with the most
 * correct predictions is found (Hungarian algorithm); when it beats the given order by far, the
 * order is probably wrong and the better one is offered. Pure: no tfjs.
 */

/** confusion[label][predicted output], counts. */
export type Confusion = number[][];

export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classCount: number): Confusion {
  const m = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let k = 0; k < labels.length; k++) {
    const p = predicted[k];
    if (p >= 0 && p < classCount) m[labels[k]][p]++;
  }
  return m;
}

/**
 * The assignment row → column with the largest total weight (square matrix), by the Hungarian
 * algorithm in O(K³). Returns columnOf[row].
 */
export function maxWeightAssignment(weight: number[][]): number[] {
  const n = weight.length;
  const maxW = Math.max(0, ...weight.flat());
  const cost = (i: number, j: number) => maxW - weight[i - 1][j - 1];
  // Potentials u (rows), v (columns); rowOf[j] = row matched to column j (1-based, 0 = none).
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const rowOf = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    rowOf[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = rowOf[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
        if (minv[j] < delta) { delta = minv[j]; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { u[rowOf[j]] += delta; v[j] -= delta; } else minv[j] -= delta;
      }
      j0 = j1;
    } while (rowOf[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOf[j0] = rowOf[j1];
      j0 = j1;
    } while (j0);
  }
  const columnOf = new Array<number>(n).fill(0);
  for (let j = 1; j <= n; j++) if (rowOf[j] > 0) columnOf[rowOf[j] - 1] = j - 1;
  return columnOf;
}

export interface LabelOrderAdvice {
  /** outputOfLabel[label] = the model output that data label best matches. */
  outputOfLabel: number[];
  /** Correct predictions under that mapping, and their share. */
  correct: number;
  accuracy: number;
  /** The data's class names re-ordered into the model's output order (what to pass as class names). */
  classNames: string[];
  /** Labels whose output changes. */
  moved: number;
}

/** Smallest gain (in correct predictions, and as a share of the examples) that triggers the advice. */
export const LABEL_ORDER_RULE = { minGain: 3, minGainShare: 0.1, minRatio: 1.5 } as const;

/** The better label order, or null when the given one is as good as any (within the rule above). */
export function adviseLabelOrder(confusion: Confusion, classNames: string[]): LabelOrderAdvice | null {
  const K = confusion.length;
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  if (K < 2 || total === 0) return null;
  const current = confusion.reduce((s, row, i) => s + row[i], 0);
  // Ties keep the given order: the diagonal gets a bonus smaller than one example.
  const weight = confusion.map((row, i) => row.map((c, j) => c * (K + 1) + (i === j ? 1 : 0)));
  const outputOfLabel = maxWeightAssignment(weight);
  const correct = outputOfLabel.reduce((s, j, i) => s + confusion[i][j], 0);
  const gain = correct - current;
  const rule = LABEL_ORDER_RULE;
  if (gain < Math.max(rule.minGain, rule.minGainShare * total) || correct < rule.minRatio * current) return null;
  const names = new Array<string>(K);
  outputOfLabel.forEach((output, label) => { names[output] = classNames[label]; });
  return { outputOfLabel, correct, accuracy: correct / total, classNames: names, moved: outputOfLabel.filter((j, i) => j !== i).length };
}

/** Labels re-indexed by the advice (label → output), for applying it without re-reading files. */
export function relabel(labels: Uint8Array, outputOfLabel: number[]): Uint8Array {
  return Uint8Array.from(labels, (l) => outputOfLabel[l]);
}
