/**
 * Choosing examples of a run by description, the same way in the CLI and the app:
 *   example:J          the run's example with data-set index J (several: example:3,5,9)
 *   class:C            examples labelled C (index or class name)
 *   misclassified      examples the model gets wrong; misclassified:C only those of class C
 *   subset:NAME        a named range of the data set (dataset.json "subsets", e.g. triggered)
 *   rest               every run example not in the target
 *   sample:S           (a reference only) S examples drawn at random, seeded, from the rest
 * Results are positions in the run (rows of its attribution matrix), ascending.
 */
import { CoarError } from './errors';
import { Rng } from './random';

export interface SelectionContext {
  /** Data-set index of each run example (settings.examples). */
  examples: number[];
  labels: ArrayLike<number>;
  /** Unablated margins (> 0 = correctly classified). */
  baseMargins: ArrayLike<number>;
  classNames: string[];
  subsets?: Record<string, [number, number]>;
}

function classIndex(value: string, ctx: SelectionContext): number {
  const byName = ctx.classNames.findIndex((c) => c.toLowerCase() === value.toLowerCase());
  const c = /^\d+$/.test(value) ? Number(value) : byName;
  if (c < 0 || c >= ctx.classNames.length) throw new CoarError(`Unknown class "${value}" (classes: ${ctx.classNames.map((n, i) => `${i}=${n}`).join(', ')}).`, 'bad-selection');
  return c;
}

export function selectExamples(spec: string, ctx: SelectionContext, exclude: number[] = []): number[] {
  const all = ctx.examples.map((_, j) => j);
  const [kind, arg] = spec.includes(':') ? [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)] : [spec, ''];
  let chosen: number[];
  switch (kind) {
    case 'example': {
      chosen = arg.split(',').map((s) => {
        const j = ctx.examples.indexOf(Number(s));
        if (!/^\d+$/.test(s) || j < 0) throw new CoarError(`Example ${s} is not in this run (its examples are data-set indices ${ctx.examples[0]}–${ctx.examples[ctx.examples.length - 1]}).`, 'bad-selection');
        return j;
      });
      break;
    }
    case 'class': {
      const c = classIndex(arg, ctx);
      chosen = all.filter((j) => ctx.labels[j] === c);
      break;
    }
    case 'misclassified': {
      const c = arg ? classIndex(arg, ctx) : -1;
      chosen = all.filter((j) => ctx.baseMargins[j] <= 0 && (c < 0 || ctx.labels[j] === c));
      break;
    }
    case 'subset': {
      const range = ctx.subsets?.[arg];
      if (!range) throw new CoarError(`The data set has no subset "${arg}"${ctx.subsets ? ` (it has: ${Object.keys(ctx.subsets).join(', ')})` : ''}.`, 'bad-selection');
      chosen = all.filter((j) => ctx.examples[j] >= range[0] && ctx.examples[j] < range[1]);
      break;
    }
    case 'rest':
      chosen = all;
      break;
    default:
      throw new CoarError(`Cannot read the selection "${spec}" (use example:J, class:C, misclassified[:C], subset:NAME or rest).`, 'bad-selection');
  }
  const excluded = new Set(exclude);
  chosen = [...new Set(chosen)].filter((j) => !excluded.has(j)).sort((a, b) => a - b);
  if (chosen.length === 0) throw new CoarError(`The selection "${spec}" matches no example of this run.`, 'bad-selection');
  return chosen;
}

/**
 * Which data-set images are on the target's side (for "the data set without the targets"):
 * a subset target covers its whole range; any other target covers just its own examples.
 */
export function targetMembership(spec: string, target: number[], ctx: SelectionContext): { inTarget: (datasetIndex: number) => boolean; subset: string | null } {
  if (spec.startsWith('subset:')) {
    const name = spec.slice('subset:'.length);
    const range = ctx.subsets?.[name];
    if (!range) throw new CoarError(`The data set has no subset "${name}".`, 'bad-selection');
    return { inTarget: (i) => i >= range[0] && i < range[1], subset: name };
  }
  const members = new Set(target.map((j) => ctx.examples[j]));
  return { inTarget: (i) => members.has(i), subset: null };
}

/** The target and reference examples of an edit: positions in the run (rows of its attribution matrix), ascending. */
export interface EditSelection {
  target: number[];
  reference: number[];
}

/**
 * An edit's reference examples: any selection `selectExamples` reads (targets left out), or
 * `sample:S`, S examples drawn at random from the rest (seeded, so the same request gives the same sample).
 */
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

/** An edit's target and reference from their descriptions; `rest` and `sample:S` describe a reference only. */
export function selectForEdit(targetSpec: string, referenceSpec: string, ctx: SelectionContext, seed: number): EditSelection {
  if (targetSpec.trim() === 'rest' || targetSpec.startsWith('sample:')) {
    throw new CoarError(`"${targetSpec}" cannot be a target: choose an example, a class, misclassified examples or a subset.`, 'bad-selection');
  }
  const target = selectExamples(targetSpec.trim(), ctx);
  const reference = selectReference(referenceSpec.trim(), ctx, target, seed);
  return { target, reference };
}
