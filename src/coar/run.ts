/**
 * A COAR run from start to attributions: draw the masks, run them through the masked model in
 * chunks (resumable: rows already done are skipped; shardable: each shard takes a contiguous
 * share of every block), then fit the estimator on what has been computed.
 */
import type * as tf from '@tensorflow/tfjs';
import { chooseRoute, createSession, runBaseOutputs, runMaskRows, yieldToEventLoop, type AblationSession, type Route, type RouteTiming } from './ablate';
import type { ComponentIndex } from './components';
import { checkDatasetFitsModel, inputTensor, labelsOf, type ImageDataset } from './dataset';
import { CoarError, check } from './errors';
import { fitAttributions, type FitOptions, type FitReport } from './estimate';
import { checkAlpha, selectMasks } from './masks';
import { newRun, type MaskBlock, type RunData } from './runfile';
import type { RunSettings } from './settings';
import { ENGINE_TUNING } from './tuning';

export function checkSettings(settings: RunSettings, data: ImageDataset): void {
  checkAlpha(settings.alpha);
  check(settings.examples.length > 0, 'Choose at least one example to study (zero examples given).', 'empty-data');
  const bad = settings.examples.find((i) => !Number.isInteger(i) || i < 0 || i >= data.meta.count);
  check(bad === undefined, `Example index ${bad} is outside the data set (0–${data.meta.count - 1}).`, 'bad-example');
  check(Number.isInteger(settings.trainMasks) && settings.trainMasks > 0, `The number of masks must be a positive integer (got ${settings.trainMasks}).`, 'bad-masks');
  check(Number.isInteger(settings.valMasks) && settings.valMasks >= 0, `The number of validation masks must be a non-negative integer (got ${settings.valMasks}).`, 'bad-masks');
}

/** Model-ready tensors for the run's examples, checked against the model. */
export function sessionFor(model: tf.LayersModel, components: ComponentIndex, data: ImageDataset, settings: RunSettings): AblationSession {
  checkDatasetFitsModel(data, model);
  checkSettings(settings, data);
  return createSession(model, components, inputTensor(data, settings.examples), labelsOf(data, settings.examples), settings.ablation, settings.output, settings.scores);
}

export interface StartRunInput {
  session: AblationSession;
  components: ComponentIndex;
  settings: RunSettings;
  model: RunData['model'];
  data: RunData['data'];
  labels: Int32Array;
  shard?: RunData['shard'];
}

export async function startRun(input: StartRunInput): Promise<RunData> {
  return newRun({
    settings: input.settings,
    model: input.model,
    data: input.data,
    layers: input.components.layers.map(({ name, className, kind, count, offset }) => ({ name, className, kind: kind.id, count, offset })),
    labels: input.labels,
    baseOutputs: await runBaseOutputs(input.session),
    shard: input.shard,
  });
}

export interface SampleProgress {
  block: 'train' | 'validation';
  /** Rows done over both blocks (within this shard's share), and the total to do. */
  done: number;
  total: number;
  pairsPerSecond: number;
  etaSeconds: number;
  route: Route;
}

export interface SampleOptions {
  route?: Route;
  shard?: { index: number; count: number };
  rowsPerChunk?: number;
  pairsPerBatch?: number;
  onProgress?: (p: SampleProgress) => void;
  /** Called after each chunk is stored in the run (for checkpoints). */
  onChunk?: (run: RunData) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface SampleResult {
  route: Route;
  routeTimings?: RouteTiming[];
  cancelled: boolean;
  pairsPerSecond: number;
}

/** Rows of a block that belong to a shard: a contiguous range. */
export function shardRange(total: number, shard?: { index: number; count: number }): [number, number] {
  if (!shard) return [0, total];
  check(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count,
    `Shard ${shard.index + 1}/${shard.count} is not valid: use i/k with 1 ≤ i ≤ k.`, 'bad-shard');
  return [Math.floor((shard.index * total) / shard.count), Math.floor(((shard.index + 1) * total) / shard.count)];
}

/** Pending [start, count) chunks of a block within [from, to). */
function pendingChunks(block: MaskBlock, from: number, to: number, rowsPerChunk: number): [number, number][] {
  const chunks: [number, number][] = [];
  let r = from;
  while (r < to) {
    if (block.done[r]) { r++; continue; }
    let end = r;
    while (end < to && !block.done[end] && end - r < rowsPerChunk) end++;
    chunks.push([r, end - r]);
    r = end;
  }
  return chunks;
}

/** Computes every row of the run (or of its shard) not yet done. Safe to call again to resume. */
export async function sampleRun(run: RunData, session: AblationSession, options: SampleOptions = {}): Promise<SampleResult> {
  const n = run.settings.examples.length;
  check(session.exampleCount === n, `The session holds ${session.exampleCount} examples, the run ${n}.`, 'internal');
  const pairsPerBatch = options.pairsPerBatch ?? ENGINE_TUNING.pairsPerBatch;
  const rowsPerChunk = options.rowsPerChunk ?? Math.max(ENGINE_TUNING.rowsPerChunk, Math.ceil(pairsPerBatch / n));
  const work = (['train', 'validation'] as const).flatMap((name) => {
    const block = run[name];
    const [from, to] = shardRange(block.masks.count, options.shard);
    return pendingChunks(block, from, to, rowsPerChunk).map(([start, count]) => ({ name, block, start, count }));
  });
  const total = work.reduce((s, w) => s + w.count, 0);
  let routeTimings: RouteTiming[] | undefined;
  let route = options.route;
  if (!route) {
    if (total === 0) route = 'shared';
    else {
      routeTimings = await chooseRoute(session, run.train.masks, pairsPerBatch);
      route = routeTimings[0].route;
    }
  }
  const started = performance.now();
  let done = 0;
  for (const w of work) {
    if (options.signal?.aborted) return { route, routeTimings, cancelled: true, pairsPerSecond: rate(done, n, started) };
    const values = await runMaskRows(session, w.block.masks, w.start, w.count, route, pairsPerBatch);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new CoarError(`The model produced a non-finite output (${values[bad]}) for example ${run.settings.examples[bad % n]} under ${w.name} mask ${w.start + Math.floor(bad / n)}; the rows computed so far are kept.`, 'non-finite');
    }
    w.block.outputs.set(values, w.start * n);
    w.block.done.fill(1, w.start, w.start + w.count);
    done += w.count;
    const pairsPerSecond = rate(done, n, started);
    // Checkpoint first: what is reported done is then already saved.
    await options.onChunk?.(run);
    options.onProgress?.({ block: w.name, done, total, pairsPerSecond, etaSeconds: ((total - done) * n) / pairsPerSecond, route });
    await yieldToEventLoop();
  }
  return { route, routeTimings, cancelled: false, pairsPerSecond: rate(done, n, started) };
}

function rate(rows: number, n: number, started: number): number {
  const seconds = (performance.now() - started) / 1000;
  return seconds > 0 ? (rows * n) / seconds : 0;
}

function doneRows(block: MaskBlock): number[] {
  const rows: number[] = [];
  block.done.forEach((d, r) => { if (d) rows.push(r); });
  return rows;
}

/** The computed rows of a block, as a compact (masks, outputs) pair. */
export function completedPart(block: MaskBlock, n: number): { masks: ReturnType<typeof selectMasks>; outputs: Float32Array } {
  const rows = doneRows(block);
  if (rows.length === block.masks.count) return { masks: block.masks, outputs: block.outputs };
  const outputs = new Float32Array(rows.length * n);
  rows.forEach((r, k) => outputs.set(block.outputs.subarray(r * n, (r + 1) * n), k * n));
  return { masks: selectMasks(block.masks, rows), outputs };
}

/** Fits attributions to the rows computed so far and stores them in the run. */
export async function fitRun(run: RunData, onStep?: FitOptions['onStep']): Promise<FitReport> {
  const n = run.settings.examples.length;
  const train = completedPart(run.train, n);
  check(train.masks.count > 0, 'No masks have been run yet: nothing to fit.', 'nothing-to-fit');
  const validation = completedPart(run.validation, n);
  const report = await fitAttributions({ train, exampleCount: n, onStep, ...(validation.masks.count > 1 ? { validation } : {}) });
  const a = report.attributions;
  run.fit = { weights: a.weights, bias: a.bias, lambda: a.lambda, validationCorrelation: report.validationCorrelation };
  return report;
}
