/**
 * One COAR-Edit, start to finish — what the worker's edit jobs and `coar edit` both run, so the
 * page and the command line give the same numbers: the target and reference examples chosen from
 * their descriptions, components ranked by the Welch score, the top k ablated (or the smallest k
 * searched for a goal) on the run's examples, actual beside COAR-predicted, and then the data set
 * beyond the run: the images outside the target and, for a subset target, the whole subset.
 *
 * The caller brings the tensors (the run's session, the data-set images) and, optionally,
 * progress in words, a cancel signal and a wrapper for each step that computes on the model
 * (the worker retries a step on the next backend after a GPU failure).
 */
import { throwIfCancelled, yieldToEventLoop, type AblationSession } from './ablate';
import { rankForEdit, type AttributionMatrix, type EditDirection } from './edit';
import { defaultGoalMaxK, type EditGoal, type EditOutcome, type GroupOutcome } from './edit-judge';
import { evaluateEdit, GOAL_DIRECTION, groupOutcome, searchSmallestK, type EditProblem, type GoalSearch } from './edit-outcome';
import { CoarError, check } from './errors';
import { keepVector, predictWithKeep } from './predict';
import type { RunData } from './runfile';
import { selectForEdit, targetMembership, type SelectionContext } from './selection';

/** What to edit: descriptions as `selectExamples` reads them (see selection.ts). */
export interface EditRunSpec {
  /** The behaviour to change: example:J, class:C, misclassified[:C] or subset:NAME. */
  target: string;
  /** The behaviour to keep: rest, sample:S or any target description (targets left out). */
  reference: string;
  /** Raise or lower the target's margin (a goal sets its own). */
  direction: EditDirection;
}

/**
 * Margins of data-set images 0 … count − 1, beyond the run's examples: unablated (computed once
 * and kept) and with components ablated.
 */
export interface DatasetMargins {
  readonly count: number;
  /** Whether the unablated margins are already computed. */
  readonly hasBase: boolean;
  base(signal?: AbortSignal): Promise<Float32Array>;
  withAblated(ablated: number[], signal?: AbortSignal): Promise<Float32Array>;
}

/** Images per forward pass when measuring an edit on the data set. */
export const DATASET_BATCH = 200;

/** DatasetMargins over a session of data-set images 0 … n − 1 (margins output), in batches of `batch`. */
export function datasetMargins(session: AblationSession, batch = DATASET_BATCH): DatasetMargins {
  check(session.output === 'margin', 'Edits are judged by the correct-class margin: the data-set session must output margins.', 'internal');
  const componentCount = session.masked.components.count;
  const margins = async (ablated: number[], signal?: AbortSignal) => (await predictWithKeep(session, keepVector(componentCount, ablated), { batch, signal })).outputs;
  let base: Float32Array | null = null;
  return {
    count: session.exampleCount,
    get hasBase() { return base !== null; },
    async base(signal) { return (base ??= await margins([], signal)); },
    async withAblated(ablated, signal) { return ablated.length ? margins(ablated, signal) : this.base(signal); },
  };
}

/** Everything an edit is computed from. */
export interface EditSource {
  /** The run: its settings (examples, seed, output), labels, unablated margins and N. */
  run: Pick<RunData, 'settings' | 'labels' | 'baseOutputs' | 'componentCount'>;
  attributions: AttributionMatrix;
  /** The data set's class names and named subsets (class:C, subset:NAME). */
  classNames: string[];
  subsets?: Record<string, [number, number]>;
  /** The run's examples on the model; asked at every step, so a caller that rebuilt its tensors hands the new session. */
  session: () => AblationSession;
  /** The data set beyond the run, asked at its step; null (or absent) measures the run's examples only. */
  dataset?: () => DatasetMargins | null;
}

/** Progress in words; `done`/`total` count the k a goal search has tried. */
export interface EditProgress {
  stage: string;
  done?: number;
  total?: number;
}

export interface EditHooks {
  report?: (p: EditProgress) => void;
  /** Checked between steps (and between batches on the data set): aborted stops with a 'cancelled' CoarError. */
  signal?: AbortSignal;
  /** Runs each step that computes on the model (default: runs it). */
  step?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** The examples chosen and the ranking, before anything runs on the model. */
export interface PreparedEdit {
  spec: EditRunSpec;
  /** Positions in the run (rows of its attribution matrix), ascending. */
  target: number[];
  reference: number[];
  /** Data-set index of each target example. */
  targetExamples: number[];
  /** Every component that moves the target the wanted way relative to the reference, best first. */
  ranked: number[];
  /** Welch score of every component (index = component). */
  scores: Float64Array;
  /** Whether a data-set image is on the target's side (a subset target: its whole range). */
  inTarget: (datasetIndex: number) => boolean;
  subset: string | null;
}

export interface EditRunResult {
  prepared: PreparedEdit;
  outcome: EditOutcome;
  /** Data-set images the edit was measured on beyond the run (0: none). */
  datasetCount: number;
}

export interface GoalRunResult extends EditRunResult, Pick<GoalSearch, 'goal' | 'reached' | 'curve'> {
  maxK: number;
}

/** Chooses the examples and ranks the components (no tfjs work). */
export function prepareEdit(source: EditSource, spec: EditRunSpec): PreparedEdit {
  const { run } = source;
  if (run.settings.output !== 'margin') throw new CoarError('Edits are judged by the correct-class margin: this run records another output.', 'bad-edit');
  const ctx: SelectionContext = { examples: run.settings.examples, labels: run.labels, baseMargins: run.baseOutputs, classNames: source.classNames, subsets: source.subsets };
  const { target, reference } = selectForEdit(spec.target, spec.reference, ctx, run.settings.seed);
  const { inTarget, subset } = targetMembership(spec.target, target, ctx);
  const { scores, ranked } = rankForEdit(source.attributions, target, reference, spec.direction);
  return { spec, target, reference, targetExamples: target.map((j) => run.settings.examples[j]), ranked, scores, inTarget, subset };
}

/** Ablates the top k ranked components: the outcome on the run's examples, then on the data set. */
export async function runEditAtK(source: EditSource, spec: EditRunSpec, k: number, hooks: EditHooks = {}): Promise<EditRunResult> {
  const prepared = prepareEdit(source, spec);
  if (!Number.isInteger(k) || k < 0) throw new CoarError(`k must be a whole number ≥ 0 (got ${k}).`, 'bad-edit');
  if (k > prepared.ranked.length) throw new CoarError(`Only ${prepared.ranked.length} components would ${spec.direction} the target's margin relative to the reference; k = ${k} is too many.`, 'bad-edit');
  const step = stepper(hooks);
  hooks.report?.({ stage: `Ablating the top ${k} components on the run's examples` });
  const outcome = await step(() => evaluateEdit(problemOf(source, prepared), prepared.ranked.slice(0, k)));
  await checkpoint(hooks.signal);
  const datasetCount = await step(() => measureOnDataset(source, prepared, outcome, hooks));
  return { prepared, outcome, datasetCount };
}

/**
 * Searches the smallest k ≤ maxK (default: `defaultGoalMaxK`) whose top-k ablation reaches the
 * goal on the targets (the goal sets the direction), then measures that edit on the data set.
 */
export async function runEditForGoal(source: EditSource, spec: Omit<EditRunSpec, 'direction'> & { direction?: EditDirection }, goal: EditGoal, maxK?: number, hooks: EditHooks = {}): Promise<GoalRunResult> {
  if (!Object.prototype.hasOwnProperty.call(GOAL_DIRECTION, goal)) throw new CoarError(`Unknown goal "${String(goal)}" (use fix, forget or backdoor).`, 'bad-edit');
  const direction = GOAL_DIRECTION[goal];
  const N = source.run.componentCount;
  const largest = maxK ?? defaultGoalMaxK(goal, N);
  if (!Number.isInteger(largest) || largest < 1 || largest > N) throw new CoarError(`The largest k to try must be a whole number from 1 to ${N} (got ${largest}).`, 'bad-edit');
  const prepared = prepareEdit(source, { ...spec, direction });
  const step = stepper(hooks);
  hooks.report?.({ stage: `Searching the smallest k ≤ ${largest} that reaches the goal` });
  const search = await step(() => searchSmallestK(problemOf(source, prepared), goal, largest, async (k, last) => {
    hooks.report?.({ stage: `Trying the top k = ${k} (at most ${last})`, done: k - 1, total: last });
    await checkpoint(hooks.signal);
  }));
  await checkpoint(hooks.signal);
  const datasetCount = await step(() => measureOnDataset(source, prepared, search.outcome, hooks));
  return { prepared, outcome: search.outcome, datasetCount, goal, maxK: largest, reached: search.reached, curve: search.curve };
}

function problemOf(source: EditSource, p: PreparedEdit): EditProblem {
  return { session: source.session(), baseMargins: source.run.baseOutputs, attributions: source.attributions, target: p.target, reference: p.reference, direction: p.spec.direction };
}

function stepper(hooks: EditHooks): <T>(fn: () => Promise<T>) => Promise<T> {
  return hooks.step ?? ((fn) => fn());
}

/** Lets the event loop run (so a cancel can arrive), then stops if cancelled. */
async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await yieldToEventLoop();
  throwIfCancelled(signal);
}

/** Fills the outcome's evaluation (the data set without the targets) and, for a subset target, targetEvaluation; actual margins only. */
async function measureOnDataset(source: EditSource, p: PreparedEdit, outcome: EditOutcome, hooks: EditHooks): Promise<number> {
  const dataset = source.dataset?.() ?? null;
  if (!dataset || dataset.count === 0) return 0;
  const count = dataset.count;
  const images = `${count.toLocaleString('en-US')} data-set images`;
  if (!dataset.hasBase) hooks.report?.({ stage: `Running the model on ${images} (once)` });
  const base = await dataset.base(hooks.signal);
  await checkpoint(hooks.signal);
  hooks.report?.({ stage: `Measuring the edit on ${images}` });
  const after = await dataset.withAblated(outcome.components, hooks.signal);
  const all = Array.from({ length: count }, (_, i) => i);
  const side = (inside: boolean) => all.filter((i) => p.inTarget(i) === inside);
  const pick = (values: Float32Array, indices: number[]) => indices.map((i) => values[i]);
  const group = (indices: number[]): GroupOutcome | null => (indices.length ? groupOutcome(pick(base, indices), pick(after, indices), null) : null);
  outcome.evaluation = group(side(false));
  if (p.subset) outcome.targetEvaluation = group(side(true));
  return count;
}
