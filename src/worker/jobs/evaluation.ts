/**
 * The evaluation views, computed in steps so that progress shows and a cancel gets through:
 *   - held-out correlation at several alphas, COAR beside leave-one-out and Grad×Param on the
 *     same fresh masks: the engine's evaluateHeldOut (src/coar/heldout.ts), run a few mask rows
 *     at a time with its progress callback and cancel signal;
 *   - validation correlation after refitting on the first m computed masks (maskCountCurve).
 * The numbers equal `coar eval --alphas … --masks … --baselines loo,gradxparam --mask-curve auto`.
 */
import { defaultCurveSizes, maskCountCurve, type MaskCurvePoint } from '../../coar/curves';
import { CoarError } from '../../coar/errors';
import { evaluateHeldOut } from '../../coar/heldout';
import { completedPart } from '../../coar/run';
import { APP_CONFIG } from '../../app-config';
import type { EvaluationOptions, EvaluationView, Progress } from '../protocol/protocol';
import { yieldToEventLoop } from '../../coar/ablate';
import { BASELINE_NAMES, baselineSpec, isBaselineName } from '../../coar/baselines';
import type { RunState, Workspace } from '../workspace/workspace';

type Report = (p: Progress) => void;

export function checkEvaluationOptions(o: EvaluationOptions): void {
  if (!Array.isArray(o.alphas) || o.alphas.length === 0 || o.alphas.some((a) => !(a > 0 && a < 1))) throw new CoarError('Evaluation alphas must be numbers between 0 and 1.', 'bad-settings');
  if (!Number.isInteger(o.masksPerAlpha) || o.masksPerAlpha < 3 || o.masksPerAlpha > 1000) throw new CoarError('Use 3 to 1,000 held-out masks per alpha.', 'bad-settings');
  if (!Array.isArray(o.baselines) || !o.baselines.every(isBaselineName)) throw new CoarError(`Baselines are ${BASELINE_NAMES.map((b) => `"${b}"`).join(', ')}.`, 'bad-settings');
}

export async function evaluateRun(ws: Workspace, state: RunState, options: EvaluationOptions, signal: AbortSignal, report: Report): Promise<EvaluationView> {
  checkEvaluationOptions(options);
  if (signal.aborted) throw new CoarError('The evaluation was cancelled.', 'cancelled');
  const started = performance.now();
  const { run } = state;
  const n = run.labels.length;
  const N = run.componentCount;
  const session = ws.sessionOf(state);
  const trainDone = completedPart(run.train, n).masks.count;
  const sizes = defaultCurveSizes(trainDone).filter((k) => k > 1);

  const heldOut = await evaluateHeldOut(run, session, {
    alphas: options.alphas, masksPerAlpha: options.masksPerAlpha, baselines: options.baselines, route: 'shared',
    rowsPerStep: APP_CONFIG.evaluation.rowsPerStep, signal,
    onStep: (p) => report({ stage: p.stage, done: p.done, total: p.total + sizes.length }),
  });
  const alpha: EvaluationView['alpha'] = heldOut.scores.map((x) => ({ alpha: x.alpha, masks: x.masks, mean: x.mean }));
  const nearest = alpha.reduce((best, x, k) => (Math.abs(x.alpha - run.settings.alpha) < Math.abs(alpha[best].alpha - run.settings.alpha) ? k : best), 0);
  let done = options.baselines.reduce((sum, name) => sum + baselineSpec(name).maskRows(N), 0) + options.alphas.length * options.masksPerAlpha;
  const total = done + sizes.length;

  const maskCurve: MaskCurvePoint[] = [];
  let maskCurveProblem: string | null = null;
  try {
    for (const size of sizes) {
      const [point] = await ws.onFitBackend(() => maskCountCurve(run, [size]));
      if (point) maskCurve.push(point);
      report({ stage: `Refitting on the first ${size.toLocaleString('en-US')} masks`, done: ++done, total });
      await yieldToEventLoop();
      if (signal.aborted) throw new CoarError('The evaluation was cancelled.', 'cancelled');
    }
  } catch (e) {
    if (e instanceof CoarError && e.code === 'cancelled') throw e;
    maskCurveProblem = e instanceof Error ? e.message : String(e);
  }
  if (sizes.length === 0) maskCurveProblem = 'The run has too few computed masks to refit.';

  return {
    slot: state.slot, trainedAlpha: run.settings.alpha, masksPerAlpha: options.masksPerAlpha, exampleCount: n,
    methods: Object.keys(heldOut.scores[0].mean), alpha,
    perExample: { alpha: alpha[nearest].alpha, values: heldOut.scores[nearest].perExample },
    maskCurve, maskCurveProblem, seconds: (performance.now() - started) / 1000,
  };
}
