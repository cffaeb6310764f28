/**
 * The evaluation views, computed in steps so that progress shows and a cancel gets through:
 *   - held-out correlation at several alphas, COAR beside leave-one-out and Grad×Param on the
 *     same fresh masks: the protocol of the engine's evaluateHeldOut (src/coar/heldout.ts), run
 *     a few mask rows at a time (one un-yielding call takes ~35 s for leave-one-out on wasm);
 *   - validation correlation after refitting on the first m computed masks (maskCountCurve).
 * Same masks, same 'shared' route and the same arithmetic as evaluateHeldOut and leaveOneOut, so
 * the numbers equal `coar eval --alphas … --masks … --baselines loo,gradxparam --mask-curve auto`.
 */
import { runMaskRows, type AblationSession } from '../coar/ablate';
import { gradTimesParam } from '../coar/baselines';
import { defaultCurveSizes, maskCountCurve, type MaskCurvePoint } from '../coar/curves';
import { predictOutputs, type Attributions } from '../coar/estimate';
import { CoarError } from '../coar/errors';
import { correlationPerExample, meanCorrelation } from '../coar/evaluate';
import { evaluationMasks, runAttributions } from '../coar/heldout';
import { emptyMaskSet, type MaskSet } from '../coar/masks';
import { completedPart } from '../coar/run';
import { APP_CONFIG } from '../app-config';
import type { EvaluationOptions, EvaluationView, Progress } from './protocol';
import { yieldToEvents } from './yield';
import type { RunState, Workspace } from './workspace';

type Report = (p: Progress) => void;

interface Steps {
  signal: AbortSignal;
  report: Report;
  done: number;
  total: number;
}

async function step(s: Steps, rows: number, stage: string): Promise<void> {
  s.done += rows;
  s.report({ stage, done: s.done, total: s.total });
  await yieldToEvents();
  if (s.signal.aborted) throw new CoarError('The evaluation was cancelled.', 'cancelled');
}

/** Outputs for every row of `masks` (mask-major), a few rows per call with a cancel check between. */
async function outputsInSteps(session: AblationSession, masks: MaskSet, s: Steps, stage: string): Promise<Float32Array> {
  const n = session.exampleCount;
  const out = new Float32Array(masks.count * n);
  const chunk = APP_CONFIG.evaluation.rowsPerStep;
  for (let start = 0; start < masks.count; start += chunk) {
    const count = Math.min(chunk, masks.count - start);
    out.set(await runMaskRows(session, masks, start, count, 'shared'), start * n);
    await step(s, count, stage);
  }
  return out;
}

/** Leave-one-out attributions (as src/coar/baselines.ts leaveOneOut computes them), in steps. */
async function leaveOneOutInSteps(session: AblationSession, base: Float32Array, s: Steps): Promise<Attributions> {
  const N = session.masked.components.count;
  const n = session.exampleCount;
  const single = emptyMaskSet(N, N);
  for (let i = 0; i < N; i++) single.ablated[i * single.wordsPerMask + (i >>> 5)] |= 1 << (i & 31);
  const outputs = await outputsInSteps(session, single, s, `Leave-one-out: ablating each of the ${N} components alone`);
  const weights = new Float32Array(n * N);
  const bias = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < N; i++) {
      weights[j * N + i] = base[j] - outputs[i * n + j];
      sum += weights[j * N + i];
    }
    bias[j] = base[j] - sum;
  }
  return { componentCount: N, exampleCount: n, weights, bias, lambda: 0 };
}

export function checkEvaluationOptions(o: EvaluationOptions): void {
  if (!Array.isArray(o.alphas) || o.alphas.length === 0 || o.alphas.some((a) => !(a > 0 && a < 1))) throw new CoarError('Evaluation alphas must be numbers between 0 and 1.', 'bad-settings');
  if (!Number.isInteger(o.masksPerAlpha) || o.masksPerAlpha < 3 || o.masksPerAlpha > 1000) throw new CoarError('Use 3 to 1,000 held-out masks per alpha.', 'bad-settings');
  if (!Array.isArray(o.baselines) || o.baselines.some((b) => b !== 'loo' && b !== 'gradxparam')) throw new CoarError('Baselines are "loo" and "gradxparam".', 'bad-settings');
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
  const s: Steps = { signal, report, done: 0, total: (options.baselines.includes('loo') ? N : 0) + options.alphas.length * options.masksPerAlpha + sizes.length };

  const methods: Record<string, Attributions> = { coar: runAttributions(run) };
  for (const name of options.baselines) {
    if (name === 'loo') methods.loo = await leaveOneOutInSteps(session, run.baseOutputs, s);
    else {
      report({ stage: 'Grad×Param: one backward pass per batch of examples', done: s.done, total: s.total });
      methods.gradxparam = await gradTimesParam(session, run.baseOutputs);
      await step(s, 0, 'Grad×Param done');
    }
  }

  const alpha: EvaluationView['alpha'] = [];
  const perExampleByAlpha: Record<string, number[]>[] = [];
  for (const a of options.alphas) {
    const masks = evaluationMasks(run, a, options.masksPerAlpha);
    const actual = await outputsInSteps(session, masks, s, `Held-out masks at alpha ${a}`);
    const mean: Record<string, number> = {};
    const values: Record<string, number[]> = {};
    for (const [name, attributions] of Object.entries(methods)) {
      const perExample = correlationPerExample(predictOutputs(attributions, masks), actual, masks.count, n);
      mean[name] = meanCorrelation(perExample).mean;
      values[name] = Array.from(perExample);
    }
    alpha.push({ alpha: a, masks: masks.count, mean });
    perExampleByAlpha.push(values);
  }
  const nearest = alpha.reduce((best, x, k) => (Math.abs(x.alpha - run.settings.alpha) < Math.abs(alpha[best].alpha - run.settings.alpha) ? k : best), 0);

  const maskCurve: MaskCurvePoint[] = [];
  let maskCurveProblem: string | null = null;
  try {
    for (const size of sizes) {
      const [point] = await ws.onFitBackend(() => maskCountCurve(run, [size]));
      if (point) maskCurve.push(point);
      await step(s, 1, `Refitting on the first ${size.toLocaleString('en-US')} masks`);
    }
  } catch (e) {
    if (e instanceof CoarError && e.code === 'cancelled') throw e;
    maskCurveProblem = e instanceof Error ? e.message : String(e);
  }
  if (sizes.length === 0) maskCurveProblem = 'The run has too few computed masks to refit.';

  return {
    slot: state.slot, trainedAlpha: run.settings.alpha, masksPerAlpha: options.masksPerAlpha, exampleCount: n,
    methods: Object.keys(methods), alpha,
    perExample: { alpha: alpha[nearest].alpha, values: perExampleByAlpha[nearest] },
    maskCurve, maskCurveProblem, seconds: (performance.now() - started) / 1000,
  };
}
