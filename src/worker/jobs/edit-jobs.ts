/**
 * COAR-Edit in the worker: the engine's edit run (src/coar/edit-run.ts, which `coar edit` runs
 * too, so the numbers are the same) on the workspace's tensors — rank components by the Welch
 * score of target against reference attributions, ablate the top k (or search the smallest k for
 * a goal), and report before/after on the target, the reference, the data set without the
 * targets and, for a subset target, the whole subset. Also the export of the edited model
 * (weights zeroed) as model.json + weights.bin.
 */
import { ablationKind } from '../../coar/ablation-kinds';
import type * as tf from '@tensorflow/tfjs';
import type { AblationSession } from '../../coar/ablate';
import type { EditGoal } from '../../coar/edit-outcome';
import { datasetMargins, runEditAtK, runEditForGoal, type DatasetMargins, type EditHooks, type EditRunResult, type EditSource } from '../../coar/edit-run';
import { CoarError } from '../../coar/errors';
import { modelToFiles } from '../../coar/model-io';
import { modelWithAblatedWeights } from '../../coar/weight-edit';
import { APP_CONFIG } from '../../app-config';
import type { EditedModelFiles, EditSpec, EditView, GoalView, Progress, RunSlot } from '../protocol/protocol';
import { attributionsOf } from './run-view';
import { checkComponentList } from './views';
import type { RunState, Workspace } from '../workspace/workspace';

type Report = (p: Progress) => void;

/** Unablated margins of the data set's first images, kept while the model and the run stay the same. */
let datasetCache: { model: tf.LayersModel; state: RunState; session: AblationSession; margins: DatasetMargins } | null = null;

/** Drops the cached data-set session (its inputs belong to the workspace and are left alone). */
export function forgetEditCache(): void {
  if (!datasetCache) return;
  datasetCache.session.masked.dispose();
  datasetCache.session.labels.dispose();
  datasetCache = null;
}

function runState(ws: Workspace, slot: RunSlot): RunState {
  const state = ws.runs[slot];
  if (!state) throw new CoarError(`There is no ${slot} run to edit.`, 'no-run');
  return state;
}

/** The data set's first `datasetAccuracyLimit` images (not under an ablation that needs the run's means). */
function datasetOf(ws: Workspace, state: RunState): DatasetMargins | null {
  const { settings } = state.run;
  const count = Math.min(ws.data.meta.count, APP_CONFIG.ui.datasetAccuracyLimit);
  if (count === 0 || ablationKind(settings.ablation).needsMean) return null;
  if (!datasetCache || datasetCache.model !== ws.model || datasetCache.state !== state) {
    forgetEditCache();
    const session = ws.datasetSession(ws.componentsOf(state), count, settings.ablation, settings.scores);
    datasetCache = { model: ws.model, state, session, margins: datasetMargins(session) };
  }
  return datasetCache.margins;
}

function sourceOf(ws: Workspace, slot: RunSlot): EditSource {
  const state = runState(ws, slot);
  return {
    run: state.run, attributions: attributionsOf(state), classNames: ws.data.meta.classNames, subsets: ws.data.meta.subsets,
    // Asked at each step: after a GPU failure the workspace rebuilds its tensors on another backend.
    session: () => ws.sessionOf(state),
    dataset: () => datasetOf(ws, state),
  };
}

const hooksOf = (ws: Workspace, signal: AbortSignal, report: Report): EditHooks => ({ signal, report, step: (fn) => ws.recovering(fn) });

function view(spec: EditSpec, r: EditRunResult, started: number): EditView {
  const p = r.prepared;
  const shown = p.ranked.slice(0, APP_CONFIG.edit.rankedShown);
  return {
    spec,
    targetExamples: p.targetExamples,
    referenceCount: p.reference.length,
    rankedCount: p.ranked.length,
    ranked: shown,
    scores: shown.map((i) => p.scores[i]),
    outcome: r.outcome,
    datasetCount: r.datasetCount,
    seconds: (performance.now() - started) / 1000,
  };
}

export async function runEdit(ws: Workspace, spec: EditSpec, k: number, signal: AbortSignal, report: Report): Promise<EditView> {
  const started = performance.now();
  const result = await runEditAtK(sourceOf(ws, spec.slot), spec, k, hooksOf(ws, signal, report));
  return view(spec, result, started);
}

export async function runEditGoal(ws: Workspace, spec: EditSpec, goal: EditGoal, maxK: number, signal: AbortSignal, report: Report): Promise<GoalView> {
  const started = performance.now();
  const r = await runEditForGoal(sourceOf(ws, spec.slot), spec, goal, maxK, hooksOf(ws, signal, report));
  return { ...view({ ...spec, direction: r.prepared.spec.direction }, r, started), goal, maxK, reached: r.reached, curve: r.curve };
}

export async function exportEditedModel(ws: Workspace, slot: RunSlot, components: unknown): Promise<{ result: EditedModelFiles; transfer: ArrayBuffer[] }> {
  const state = runState(ws, slot);
  const ablated = checkComponentList(components, state.run.componentCount);
  const { model } = await modelWithAblatedWeights(ws.model, ws.componentsOf(state), ablated, state.run.settings.ablation);
  try {
    const files = await modelToFiles(model);
    const result: EditedModelFiles = { modelName: ws.modelBytes.name, modelJson: files.modelJson, weights: files.weights, weightsFileName: files.weightsFileName, components: ablated };
    return { result, transfer: [files.weights] };
  } finally {
    model.dispose();
  }
}
