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

/** Examples of the data set that belong to the target's side (for "the data set without the targets"). */
export type TargetMembership = (datasetIndex: number) => boolean;

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

/**
 * Which data-set images count as the target's side, as the CLI decides it: a subset target
 * covers its whole range; any other target covers just its own examples.
 */
export function targetMembership(targetSpec: string, selection: EditSelection, ctx: SelectionContext): { inTarget: TargetMembership; subset: string | null } {
  if (targetSpec.startsWith('subset:')) {
    const name = targetSpec.slice('subset:'.length);
    const range = ctx.subsets?.[name];
    if (!range) throw new CoarError(`The data set has no subset "${name}".`, 'bad-selection');
    return { inTarget: (i) => i >= range[0] && i < range[1], subset: name };
  }
  const members = new Set(selection.target.map((j) => ctx.examples[j]));
  return { inTarget: (i) => members.has(i), subset: null };
}
