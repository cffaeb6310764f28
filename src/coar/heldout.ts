/**
 * Held-out evaluation: fresh masks at each alpha (a stream no training or validation row uses),
 * the actual outputs, and each method's predicted outputs; score = Pearson correlation per
 * example, averaged over examples (the paper's protocol).
 */
import { runMaskRowsInSteps, throwIfCancelled, yieldToEventLoop, type AblationSession, type Route } from './ablate';
import { computeBaseline } from './baseline-run';
import { baselineSpec, type BaselineName } from './baselines';
import { predictOutputs, type Attributions } from './estimate';
import { correlationPerExample, meanCorrelation } from './evaluate';
import { checkAlpha, MaskStream, sampleMasks, type MaskSet } from './masks';
import type { RunData } from './runfile';
import { check } from './errors';
import { DEFAULT_EVAL_MASKS } from './settings';

export interface HeldOutOptions {
  alphas: number[];
  masksPerAlpha?: number;
  baselines?: BaselineName[];
  route?: Route;
  onProgress?: (message: string) => void;
  /** Mask rows per forward call (default: all of a stage's rows in one call). */
  rowsPerStep?: number;
  /** Checked between steps; when aborted the evaluation throws CoarError code 'cancelled'. */
  signal?: AbortSignal;
  /** Progress in mask rows: leave-one-out's N single-component masks, then each alpha's masks. */
  onStep?: (progress: HeldOutProgress) => void;
}

export interface HeldOutProgress {
  stage: string;
  done: number;
  total: number;
}

export interface AlphaScore {
  alpha: number;
  masks: number;
  /** Mean correlation per method ('coar' and the baselines' ids). */
  mean: Record<string, number>;
  /** Correlation per example per method, in the run's example order. */
  perExample: Record<string, number[]>;
}

export interface HeldOutReport {
  trainedAlpha: number;
  scores: AlphaScore[];
}

export function runAttributions(run: RunData): Attributions {
  check(run.fit, 'This run has no fitted attributions yet: finish sampling (or merge its shards) first.', 'not-fitted');
  return { componentCount: run.componentCount, exampleCount: run.labels.length, weights: run.fit.weights, bias: run.fit.bias, lambda: run.fit.lambda };
}

export function evaluationMasks(run: RunData, alpha: number, count: number): MaskSet {
  checkAlpha(alpha);
  return sampleMasks({ componentCount: run.componentCount, alpha, seed: run.settings.seed, stream: MaskStream.evaluation, mode: run.settings.sampling }, count);
}

export async function evaluateHeldOut(run: RunData, session: AblationSession, options: HeldOutOptions): Promise<HeldOutReport> {
  const masksPerAlpha = options.masksPerAlpha ?? DEFAULT_EVAL_MASKS;
  check(masksPerAlpha >= 3, 'Use at least 3 evaluation masks per alpha (a correlation needs several points).', 'bad-masks');
  const { signal, rowsPerStep, onStep } = options;
  throwIfCancelled(signal);
  const n = run.labels.length;
  const N = session.masked.components.count;
  const baselines = options.baselines ?? [];
  const total = baselines.reduce((sum, name) => sum + baselineSpec(name).maskRows(N), 0) + options.alphas.length * masksPerAlpha;
  let done = 0;
  const stepsFor = (stage: string) => ({
    rowsPerStep, signal,
    onStep: onStep && ((rows: number) => onStep({ stage, done: done + rows, total })),
  });
  const methods: Record<string, Attributions> = { coar: runAttributions(run) };
  for (const name of baselines) {
    const spec = baselineSpec(name);
    options.onProgress?.(`baseline ${name}`);
    const rows = spec.maskRows(N);
    // A baseline that runs masks reports per step; one that runs none reports its start and end.
    if (rows === 0) onStep?.({ stage: spec.stage(N), done, total });
    methods[name] = await computeBaseline(name, session, run.baseOutputs, { route: options.route, steps: stepsFor(spec.stage(N)) });
    done += rows;
    if (rows === 0) onStep?.({ stage: `${spec.label} done`, done, total });
    await yieldToEventLoop();
    throwIfCancelled(signal);
  }
  const scores: AlphaScore[] = [];
  for (const alpha of options.alphas) {
    options.onProgress?.(`alpha ${alpha}: ${masksPerAlpha} masks`);
    const masks = evaluationMasks(run, alpha, masksPerAlpha);
    const actual = await runMaskRowsInSteps(session, masks, { ...stepsFor(`Held-out masks at alpha ${alpha}`), route: options.route ?? 'shared' });
    done += masks.count;
    const score: AlphaScore = { alpha, masks: masks.count, mean: {}, perExample: {} };
    for (const [name, attributions] of Object.entries(methods)) {
      const perExample = correlationPerExample(predictOutputs(attributions, masks), actual, masks.count, n);
      score.mean[name] = meanCorrelation(perExample).mean;
      score.perExample[name] = Array.from(perExample);
    }
    scores.push(score);
  }
  return { trainedAlpha: run.settings.alpha, scores };
}
