/** Pure helpers that shape engine results for display (no tfjs; tested in Node). */
import { CoarError } from '../../coar/errors';

/** Fraction of positions where predicted equals the label. */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length === 0) return NaN;
  let correct = 0;
  for (let j = 0; j < predicted.length; j++) if (predicted[j] === labels[j]) correct++;
  return correct / predicted.length;
}

/** Rows computed in a block's done flags. */
export function countDone(done: Uint8Array): number {
  let total = 0;
  for (const flag of done) total += flag;
  return total;
}

/** Rows that became done since `before` was taken (what a chunk added). */
export function newRows(done: Uint8Array, before: Uint8Array): number[] {
  const rows: number[] = [];
  for (let r = 0; r < done.length; r++) if (done[r] && !before[r]) rows.push(r);
  return rows;
}

/**
 * Clears the done flags of rows that became done since `before` was taken (used when a GPU
 * device is lost: rows read back around the loss are not trusted and are computed again).
 */
export function revertNewRows(done: Uint8Array, before: Uint8Array): number {
  const rows = newRows(done, before);
  for (const r of rows) done[r] = 0;
  return rows.length;
}

/** The examples whose correctness changed: fixed (wrong → right) and broken (right → wrong). */
export function flips(labels: ArrayLike<number>, before: ArrayLike<number>, after: ArrayLike<number>): { fixed: number[]; broken: number[] } {
  const fixed: number[] = [];
  const broken: number[] = [];
  for (let j = 0; j < labels.length; j++) {
    const was = before[j] === labels[j];
    const is = after[j] === labels[j];
    if (!was && is) fixed.push(j);
    if (was && !is) broken.push(j);
  }
  return { fixed, broken };
}

/** Validates a list of component indices for a run of N components; returns them sorted, unique. */
export function checkComponentList(components: unknown, componentCount: number): number[] {
  if (!Array.isArray(components)) throw new CoarError('The components to ablate must be a list of indices.', 'bad-component');
  const bad = components.find((i) => !Number.isInteger(i) || i < 0 || i >= componentCount);
  if (bad !== undefined) throw new CoarError(`Component ${String(bad)} does not exist (there are ${componentCount}, numbered 0–${componentCount - 1}).`, 'bad-component');
  return [...new Set(components as number[])].sort((a, b) => a - b);
}
