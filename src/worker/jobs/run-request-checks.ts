/**
 * The live-run settings a page may ask for, checked against LIMITS before anything is allocated:
 * by the address (url-state.ts), the run form and the worker (live-run.ts, the trust boundary),
 * in the same words. Pure: no tfjs, no DOM.
 */
import { LIMITS } from '../../coar/limits';

const int = (x: number) => x.toLocaleString('en-US');
const whole = (x: number, min: number, max: number) => Number.isInteger(x) && x >= min && x <= max;

export function alphaProblem(alpha: number): string | null {
  return alpha > 0 && alpha < 1 ? null : `alpha must be between 0 and 1 (got ${alpha})`;
}

export function masksProblem(masks: number): string | null {
  return whole(masks, 1, LIMITS.masks) ? null : `the number of masks must be a whole number from 1 to ${int(LIMITS.masks)} (got ${masks})`;
}

export function valMasksProblem(valMasks: number): string | null {
  // A correlation over a handful of points means little (the CLI refuses the same).
  return valMasks === 0 || whole(valMasks, LIMITS.minValidationMasks, LIMITS.masks) ? null
    : `the number of validation masks must be 0 (no validation) or a whole number from ${LIMITS.minValidationMasks} to ${int(LIMITS.masks)} (got ${valMasks})`;
}

/** `datasetCount`: the loaded data set's size, when known. */
export function examplesProblem(examples: number, datasetCount: number | null = null): string | null {
  const max = Math.min(LIMITS.examples, datasetCount ?? Infinity);
  return whole(examples, 1, max) ? null : `the number of examples must be a whole number from 1 to ${int(max)} (got ${examples})`;
}

export function seedProblem(seed: number): string | null {
  return whole(seed, 0, 2 ** 32 - 1) ? null : `the seed must be a whole number from 0 to ${int(2 ** 32 - 1)} (got ${seed})`;
}

/** Masks × examples outputs are stored as float32: at most LIMITS.outputsPerRun in one run. */
export function outputsProblem(trainMasks: number, valMasks: number, examples: number): string | null {
  const outputs = (trainMasks + valMasks) * examples;
  return outputs <= LIMITS.outputsPerRun ? null
    : `(masks + validation masks) × examples = ${int(outputs)} outputs, over the limit of ${int(LIMITS.outputsPerRun)} for one run (docs/LIMITS.md): use fewer masks or examples`;
}

export interface LiveRunNumbers {
  alpha: number;
  trainMasks: number;
  valMasks: number;
  exampleCount: number;
  seed: number;
}

/** Every reason these settings cannot start a run, in words (empty when they can). */
export function liveRunProblems(s: LiveRunNumbers, datasetCount: number | null = null): string[] {
  const each = [alphaProblem(s.alpha), masksProblem(s.trainMasks), valMasksProblem(s.valMasks), examplesProblem(s.exampleCount, datasetCount), seedProblem(s.seed)];
  const problems = each.filter((p): p is string => p !== null);
  if (problems.length === 0) {
    const outputs = outputsProblem(s.trainMasks, s.valMasks, s.exampleCount);
    if (outputs) problems.push(outputs);
  }
  return problems;
}
