/**
 * Ablating a chosen set of components: the actual model with those components switched off,
 * on every example of the run, next to what the fitted attributions predict for it (COAR's
 * prediction, predictWithAblated); and, as a separate slower request, the accuracy on the data set.
 */
import { ablationKind } from '../../coar/ablation-kinds';
import { predictWithAblated } from '../../coar/edit';
import { CoarError } from '../../coar/errors';
import { APP_CONFIG } from '../../app-config';
import type { AblationView, DatasetAccuracyView } from '../protocol/protocol';
import { transferablesOf } from '../protocol/protocol';
import { keepVector, predictWithKeep } from '../../coar/predict';
import { attributionsOf, basePredictedClass } from './run-view';
import { accuracy, checkComponentList } from './views';
import { yieldToEventLoop } from '../../coar/ablate';
import type { RunState, Workspace } from '../workspace/workspace';

async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  if (signal.aborted) throw new CoarError('Cancelled (a newer ablation replaced it).', 'cancelled');
}

export async function ablateComponents(ws: Workspace, state: RunState, components: unknown, signal: AbortSignal): Promise<{ view: AblationView; transfer: ArrayBuffer[] }> {
  const started = performance.now();
  const ablated = checkComponentList(components, state.run.componentCount);
  const attributions = attributionsOf(state);
  const before = await basePredictedClass(ws, state);
  await checkpoint(signal);
  const after = await predictWithKeep(ws.sessionOf(state), keepVector(state.run.componentCount, ablated), { signal });
  const view: AblationView = {
    slot: state.slot,
    components: ablated,
    actual: after.outputs,
    predicted: predictWithAblated(attributions, ablated),
    predictedClass: after.predictedClass,
    accuracyBefore: accuracy(before, state.run.labels),
    accuracyAfter: accuracy(after.predictedClass, state.run.labels),
    seconds: (performance.now() - started) / 1000,
  };
  return { view, transfer: transferablesOf(view.actual, view.predicted, view.predictedClass) };
}

/** Accuracy of the first `count` data-set images with these components ablated. */
async function datasetAccuracy(ws: Workspace, state: RunState, ablated: number[], count: number, signal: AbortSignal): Promise<number> {
  const session = ws.datasetSession(ws.componentsOf(state), count, state.run.settings.ablation, state.run.settings.scores);
  try {
    const { predictedClass } = await predictWithKeep(session, keepVector(state.run.componentCount, ablated), { signal, batch: 200 });
    return accuracy(predictedClass, ws.data.labels.subarray(0, count));
  } finally {
    // The inputs are the workspace's cached tensor: keep them, drop the rest.
    session.masked.dispose();
    session.labels.dispose();
  }
}

/**
 * Data-set accuracy before and after ablating; null under mean ablation (whose means come from
 * the run's own examples) or when the limit is 0.
 */
export async function ablateOnDataset(ws: Workspace, state: RunState, components: unknown, signal: AbortSignal): Promise<DatasetAccuracyView | null> {
  const started = performance.now();
  const ablated = checkComponentList(components, state.run.componentCount);
  const count = Math.min(ws.data.meta.count, APP_CONFIG.ui.datasetAccuracyLimit);
  if (count === 0 || ablationKind(state.run.settings.ablation).needsMean) return null;
  await checkpoint(signal);
  state.datasetAccuracy ??= await datasetAccuracy(ws, state, [], count, signal);
  await checkpoint(signal);
  const after = ablated.length ? await datasetAccuracy(ws, state, ablated, count, signal) : state.datasetAccuracy;
  return { slot: state.slot, components: ablated, count, before: state.datasetAccuracy, after, seconds: (performance.now() - started) / 1000 };
}
