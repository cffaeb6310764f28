/** Turns a fitted run into what the page displays (RunView), plus the buffers to transfer. */
import { CoarError } from '../../coar/errors';
import { predictOutputs, type Attributions } from '../../coar/estimate';
import { correlationPerExample, meanCorrelation } from '../../coar/evaluate';
import { completedPart } from '../../coar/run';
import type { RunView } from '../protocol/protocol';
import { transferablesOf } from '../protocol/protocol';
import { keepVector, predictWithKeep } from '../../coar/predict';
import { accuracy, countDone } from './views';
import type { RunState, Workspace } from '../workspace/workspace';

export function attributionsOf(state: RunState): Attributions {
  const { run } = state;
  if (!run.fit) throw new CoarError('This run has no fitted attributions yet.', 'not-fitted');
  return { componentCount: run.componentCount, exampleCount: run.labels.length, weights: run.fit.weights, bias: run.fit.bias, lambda: run.fit.lambda };
}

/** Base predicted classes of the run's examples (computed once per run). */
export async function basePredictedClass(ws: Workspace, state: RunState): Promise<Int32Array> {
  if (!state.predictedClass) {
    const session = ws.sessionOf(state);
    state.predictedClass = (await predictWithKeep(session, keepVector(state.run.componentCount, []))).predictedClass;
  }
  return state.predictedClass;
}

export async function buildRunView(ws: Workspace, state: RunState): Promise<{ view: RunView; transfer: ArrayBuffer[] }> {
  const { run } = state;
  const attributions = attributionsOf(state);
  const n = run.labels.length;
  const predictedClass = (await basePredictedClass(ws, state)).slice();
  const validation = completedPart(run.validation, n);
  const m = validation.masks.count;
  const predicted = m > 0 ? predictOutputs(attributions, validation.masks) : new Float32Array(0);
  const perExample = m > 1 ? Float32Array.from(correlationPerExample(predicted, validation.outputs, m, n)) : new Float32Array(n).fill(NaN);
  const mean = m > 1 ? meanCorrelation(perExample).mean : NaN;
  const view: RunView = {
    slot: state.slot,
    source: state.source,
    createdAt: run.createdAt,
    settings: run.settings,
    layers: run.layers.map(({ name, className, kind, count, offset }) => ({ name, className, kind, count, offset })),
    componentCount: run.componentCount,
    examples: run.settings.examples.slice(),
    labels: run.labels.slice(),
    baseOutputs: run.baseOutputs.slice(),
    predictedClass,
    weights: attributions.weights.slice(),
    bias: attributions.bias.slice(),
    lambda: attributions.lambda,
    trainDone: countDone(run.train.done),
    trainTotal: run.train.done.length,
    validationDone: countDone(run.validation.done),
    validationTotal: run.validation.done.length,
    validation: { count: m, predicted, actual: validation.outputs.slice(), perExample, mean: Number.isFinite(mean) ? mean : null },
    accuracy: accuracy(predictedClass, run.labels),
    pairsPerSecond: state.pairsPerSecond,
    route: state.route,
    fitSeconds: state.fitSeconds,
    storedId: state.saver?.id ?? null,
  };
  const transfer = transferablesOf(view.labels, view.baseOutputs, view.predictedClass, view.weights, view.bias,
    view.validation.predicted, view.validation.actual, view.validation.perExample);
  return { view, transfer };
}
