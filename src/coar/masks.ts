/**
 * Random ablation subsets, bit-packed. Bit i of a mask row is 1 when component i is ABLATED
 * (ablations are sparse, so iterating set bits is cheap). The regression's feature is the
 * keep-mask: x_i = 1 − bit_i.
 *
 * Each row is generated from (seed, stream, row index) alone, so any range of rows can be
 * produced independently — shards of one run on many machines draw exactly the same masks.
 */
import { Rng } from './random';
import { check } from './errors';

export type SamplingMode = 'bernoulli' | 'exact';

export interface MaskSet {
  componentCount: number;
  count: number;
  wordsPerMask: number;
  /** count × wordsPerMask words; bit (i & 31) of word (i >> 5) set = component i ablated. */
  ablated: Uint32Array;
}

/** Independent streams of masks from one seed, so training, validation and evaluation never share rows. */
export const MaskStream = { train: 1, validation: 2, evaluation: 3 } as const;

export interface MaskSpec {
  componentCount: number;
  alpha: number;
  seed: number;
  stream: number;
  mode?: SamplingMode;
}

export function checkAlpha(alpha: number): void {
  check(Number.isFinite(alpha) && alpha > 0 && alpha < 1, `alpha must be a fraction strictly between 0 and 1 (got ${alpha}).`, 'bad-alpha');
}

export function emptyMaskSet(componentCount: number, count: number): MaskSet {
  const wordsPerMask = Math.ceil(componentCount / 32);
  return { componentCount, count, wordsPerMask, ablated: new Uint32Array(count * wordsPerMask) };
}

function rowSeed(spec: MaskSpec, row: number): number {
  // Mix seed, stream and row with multiplicative hashing so neighbouring rows are unrelated;
  // alpha is folded in so evaluation masks at different alphas are independent draws.
  let h = Math.imul(spec.seed ^ 0x2545f491, 0x9e3779b1);
  h = Math.imul(h ^ spec.stream, 0x85ebca77) ^ Math.imul(row + 1, 0xc2b2ae3d);
  h ^= Math.imul(Math.round(spec.alpha * 1e6), 0x27d4eb2f);
  return h >>> 0;
}

/** Draws rows [start, start + count) of the mask sequence described by spec. */
export function sampleMasks(spec: MaskSpec, count: number, start = 0): MaskSet {
  checkAlpha(spec.alpha);
  check(Number.isInteger(spec.componentCount) && spec.componentCount > 0, 'There are no components to ablate.', 'no-components');
  const set = emptyMaskSet(spec.componentCount, count);
  const n = spec.componentCount;
  const exactSize = Math.round(spec.alpha * n);
  const scratch = spec.mode === 'exact' ? Int32Array.from({ length: n }, (_, i) => i) : undefined;
  for (let r = 0; r < count; r++) {
    const rng = new Rng(rowSeed(spec, start + r));
    const base = r * set.wordsPerMask;
    if (scratch) {
      // Partial Fisher–Yates: the first exactSize entries are a uniform random subset.
      for (let k = 0; k < exactSize; k++) {
        const j = k + rng.nextInt(n - k);
        const t = scratch[k]; scratch[k] = scratch[j]; scratch[j] = t;
        const i = scratch[k];
        set.ablated[base + (i >>> 5)] |= 1 << (i & 31);
      }
    } else {
      for (let i = 0; i < n; i++) {
        if (rng.nextFloat() < spec.alpha) set.ablated[base + (i >>> 5)] |= 1 << (i & 31);
      }
    }
  }
  return set;
}

/** Indices of the components ablated in row r, ascending. */
export function ablatedIndices(set: MaskSet, r: number): number[] {
  const out: number[] = [];
  const base = r * set.wordsPerMask;
  for (let w = 0; w < set.wordsPerMask; w++) {
    let word = set.ablated[base + w];
    while (word !== 0) {
      const bit = 31 - Math.clz32(word & -word);
      out.push(w * 32 + bit);
      word &= word - 1;
    }
  }
  return out;
}

export function isAblated(set: MaskSet, r: number, i: number): boolean {
  return (set.ablated[r * set.wordsPerMask + (i >>> 5)] >>> (i & 31) & 1) === 1;
}

/** Writes row r as a 0/1 keep-mask (1 = kept) into out[offset .. offset + N). */
export function writeKeepMask(set: MaskSet, r: number, out: Float32Array, offset = 0): void {
  const n = set.componentCount;
  out.fill(1, offset, offset + n);
  for (const i of ablatedIndices(set, r)) out[offset + i] = 0;
}

/** A mask set holding the given rows (by index) of another. */
export function selectMasks(set: MaskSet, rows: ArrayLike<number>): MaskSet {
  const out = emptyMaskSet(set.componentCount, rows.length);
  for (let k = 0; k < rows.length; k++) {
    out.ablated.set(set.ablated.subarray(rows[k] * set.wordsPerMask, (rows[k] + 1) * set.wordsPerMask), k * set.wordsPerMask);
  }
  return out;
}

/** One mask set from a single list of ablated components (for edits and leave-one-out). */
export function maskFromAblated(componentCount: number, ablated: Iterable<number>): MaskSet {
  const set = emptyMaskSet(componentCount, 1);
  for (const i of ablated) set.ablated[i >>> 5] |= 1 << (i & 31);
  return set;
}
