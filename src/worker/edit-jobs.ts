/**
 * COAR-Edit in the worker, with the same numbers as `coar edit` (src/cli/edit-command.ts): rank
 * components by the Welch score of target against reference attributions, ablate the top k (or
 * search the smallest k for a goal), and report before/after on the target, the reference, the
 * data set without the targets and, for a subset target, the whole subset. Also the export of
 * the edited model (weights zeroed) as model.json + weights.bin.
 */
import { ablationKind } from '../coar/ablation-kinds';
import type * as tf from '@tensorflow/tfjs';
import { topComponents, welchScores } from '../coar/edit';
import { evaluateEdit, GOAL_DIRECTION, groupOutcome, searchSmallestK, type EditGoal, type EditOutcome, type EditProblem, type GroupOutcome } from '../coar/edit-outcome';
import { targetMembership } from '../coar/selection';
import { CoarError } from '../coar/errors';
import { modelToFiles } from '../coar/model-io';
import { modelWithAblatedWeights } from '../coar/weight-edit';
import { APP_CONFIG } from '../app-config';
import { selectForEdit } from './edit-selection';
import { keepVector, predictWithKeep } from './predict';
import type { EditedModelFiles, EditSpec, EditView, GoalView, Progress, RunSlot } from './protocol';
import { attributionsOf } from './run-view';
import { checkComponentList } from './views';
import { yieldToEventLoop, type AblationSession } from '../coar/ablate';
import type { RunState, Workspace } from './workspace';

type Report = (p: Progress) => void;

/** Unablated margins of the data set's first images, kept while the model and the run stay the same. */
let datasetCache: { model: tf.LayersModel; state: RunState; session: AblationSession; base: Float32Array } | null = null;

/** Drops the cached data-set session (its inputs belong to the workspace and are left alone). */
export function forgetEditCache(): void {
  if (!datasetCache) return;
  datasetCache.session.masked.dispose();
  datasetCache.session.labels.dispose();
  datasetCache = null;
}

async function checkpoint(signal: AbortSignal): Promise<void> {
  await yieldToEventLoop();
  if (signal.aborted) throw new CoarError('Cancelled (a newer edit replaced it).', 'cancelled');
}

function runState(ws: Workspace, slot: RunSlot): RunState {
  const state = ws.runs[slot];
  if (!state) throw new CoarError(`There is no ${slot} run to edit.`, 'no-run');
  return state;
}

interface Prepared {
  state: RunState;
  problem: EditProblem;
  inTarget: (datasetIndex: number) => boolean;
  subset: string | null;
  ranked: number[];
  scores: Float64Array;
}

function prepare(ws: Workspace, spec: EditSpec, direction: EditProblem['direction']): Prepared {
  const state = runState(ws, spec.slot);
  const { run } = state;
  if (run.settings.output !== 'margin') throw new CoarError('Edits are judged by the correct-class margin: this run records another output.', 'bad-edit');
  const ctx = { examples: run.settings.examples, labels: run.labels, baseMargins: run.baseOutputs, classNames: ws.data.meta.classNames, subsets: ws.data.meta.subsets };
  const selection = selectForEdit(spec.target, spec.reference, ctx, run.settings.seed);
  const { inTarget, subset } = targetMembership(spec.target, selection.target, ctx);
  const attributions = attributionsOf(state);
  const problem: EditProblem = {
    session: ws.sessionOf(state), baseMargins: run.baseOutputs, attributions,
    target: selection.target, reference: selection.reference, direction,
  };
  const scores = welchScores(attributions, selection.target, selection.reference);
  return { state, problem, inTarget, subset, ranked: topComponents(scores, run.componentCount, direction), scores };
}

function group(before: number[], after: number[]): GroupOutcome | null {
  return before.length ? groupOutcome(before, after, null) : null;
}

/** The data set without the targets, and a subset target's whole subset: actual margins only. */
async function widen(ws: Workspace, p: Prepared, outcome: EditOutcome, signal: AbortSignal, report: Report): Promise<number> {
  const { run } = p.state;
  const count = Math.min(ws.data.meta.count, APP_CONFIG.ui.datasetAccuracyLimit);
  if (count === 0 || ablationKind(run.settings.ablation).needsMean) return 0;
  const batch = { signal, batch: 200 };
  if (!datasetCache || datasetCache.model !== ws.model || datasetCache.state !== p.state) {
    forgetEditCache();
    report({ stage: `Running the model on ${count.toLocaleString('en-US')} data-set images (once)` });
    const session = ws.datasetSession(ws.componentsOf(p.state), count, run.settings.ablation, run.settings.scores);
    try {
      datasetCache = { model: ws.model, state: p.state, session, base: (await predictWithKeep(session, keepVector(run.componentCount, []), batch)).outputs };
    } catch (e) {
      session.masked.dispose();
      session.labels.dispose();
      throw e;
    }
  }
  const { session, base } = datasetCache;
  await checkpoint(signal);
  report({ stage: `Measuring the edit on ${count.toLocaleString('en-US')} data-set images` });
  const after = outcome.components.length ? (await predictWithKeep(session, keepVector(run.componentCount, outcome.components), batch)).outputs : base;
  const all = Array.from({ length: count }, (_, i) => i);
  const side = (inside: boolean) => all.filter((i) => p.inTarget(i) === inside);
  const pick = (values: Float32Array, indices: number[]) => indices.map((i) => values[i]);
  const others = side(false);
  outcome.evaluation = group(pick(base, others), pick(after, others));
  if (p.subset) {
    const members = side(true);
    outcome.targetEvaluation = group(pick(base, members), pick(after, members));
  }
  return count;
}

function view(spec: EditSpec, p: Prepared, outcome: EditOutcome, datasetCount: number, started: number): EditView {
  const shown = p.ranked.slice(0, APP_CONFIG.edit.rankedShown);
  return {
    spec,
    targetExamples: p.problem.target.map((j) => p.state.run.settings.examples[j]),
    referenceCount: p.problem.reference.length,
    rankedCount: p.ranked.length,
    ranked: shown,
    scores: shown.map((i) => p.scores[i]),
    outcome,
    datasetCount,
    seconds: (performance.now() - started) / 1000,
  };
}

export async function runEdit(ws: Workspace, spec: EditSpec, k: number, signal: AbortSignal, report: Report): Promise<EditView> {
  const started = performance.now();
  const p = prepare(ws, spec, spec.direction);
  if (!Number.isInteger(k) || k < 0) throw new CoarError(`k must be a whole number ≥ 0 (got ${k}).`, 'bad-edit');
  if (k > p.ranked.length) throw new CoarError(`Only ${p.ranked.length} components would ${spec.direction} the target's margin relative to the reference; k = ${k} is too many.`, 'bad-edit');
  report({ stage: `Ablating the top ${k} components on the run's examples` });
  const outcome = await ws.recovering(() => evaluateEdit(p.problem, p.ranked.slice(0, k)));
  await checkpoint(signal);
  const datasetCount = await ws.recovering(() => widen(ws, p, outcome, signal, report));
  return view(spec, p, outcome, datasetCount, started);
}

export async function runEditGoal(ws: Workspace, spec: EditSpec, goal: EditGoal, maxK: number, signal: AbortSignal, report: Report): Promise<GoalView> {
  const started = performance.now();
  if (!(goal in GOAL_DIRECTION)) throw new CoarError(`Unknown goal "${String(goal)}" (use fix, forget or backdoor).`, 'bad-edit');
  const direction = GOAL_DIRECTION[goal];
  const p = prepare(ws, { ...spec, direction }, direction);
  const N = p.state.run.componentCount;
  if (!Number.isInteger(maxK) || maxK < 1 || maxK > N) throw new CoarError(`The largest k to try must be a whole number from 1 to ${N} (got ${maxK}).`, 'bad-edit');
  report({ stage: `Searching the smallest k ≤ ${maxK} that reaches the goal` });
  const search = await ws.recovering(() => searchSmallestK(p.problem, goal, maxK, async (k, last) => {
    report({ stage: `Trying the top k = ${k} (at most ${last})`, done: k - 1, total: last });
    await checkpoint(signal);
  }));
  await checkpoint(signal);
  const datasetCount = await ws.recovering(() => widen(ws, p, search.outcome, signal, report));
  return { ...view({ ...spec, direction }, p, search.outcome, datasetCount, started), goal, maxK, reached: search.reached, curve: search.curve };
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
