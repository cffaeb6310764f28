/**
 * Target and reference examples of an edit, from their descriptions (pure; tested in Node).
 * Everything selectExamples reads, plus the reference-only `sample:S`: S examples drawn at random
 * (seeded, so the same request gives the same sample) from the run's examples outside the target.
 */
import { CoarError } from '../coar/errors';
import { Rng } from '../coar/random';
import { selectExamples, type SelectionContext } from '../coar/selection';

export interface EditSelection {
  /** Positions in the run (rows of its attribution matrix), ascending. */
  target: number[];
  reference: number[];
}

export function selectReference(spec: string, ctx: SelectionContext, target: number[], seed: number): number[] {
  if (!spec.startsWith('sample:')) return selectExamples(spec, ctx, target);
  const raw = spec.slice('sample:'.length);
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || size < 1) throw new CoarError(`The reference sample size must be a whole number ≥ 1 (got "${raw}").`, 'bad-selection');
  const rest = selectExamples('rest', ctx, target);
  if (size >= rest.length) return rest;
  const pool = rest.slice();
  new Rng(seed).shuffle(pool);
  return pool.slice(0, size).sort((a, b) => a - b);
}

export function selectForEdit(targetSpec: string, referenceSpec: string, ctx: SelectionContext, seed: number): EditSelection {
  if (targetSpec.trim() === 'rest' || targetSpec.startsWith('sample:')) {
    throw new CoarError(`"${targetSpec}" cannot be a target: choose an example, a class, misclassified examples or a subset.`, 'bad-selection');
  }
  const target = selectExamples(targetSpec.trim(), ctx);
  const reference = selectReference(referenceSpec.trim(), ctx, target, seed);
  return { target, reference };
}
