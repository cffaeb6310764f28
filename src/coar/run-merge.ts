/**
 * Run files that belong together: refusing a run made with another model or data set, and
 * merging shards (or a run and its resumed copy) into one.
 */
import { CoarError, check } from './errors';
import { printable } from './printable';
import { RUN_FILE_VERSION, runProgress, type ComponentLayerInfo, type MaskBlock, type RunData } from './runfile';
import type { RunSettings } from './settings';

const shortFingerprint = (fingerprint: string) => `${fingerprint.slice(0, 8)}…`;

export interface LoadedRunContext {
  modelFingerprint: string;
  dataFingerprint: string;
  componentCount: number;
  /** The loaded model's component layers for the run's layer selection (name, class, count, offset). */
  layers: readonly Pick<ComponentLayerInfo, 'name' | 'className' | 'count' | 'offset'>[];
  /** Names used in the messages only. */
  modelName?: string;
  dataName?: string;
}

/** Refuses a run made with another model, data set or component selection than the one loaded. */
export function checkRunMatches(run: RunData, loaded: LoadedRunContext): void {
  const loadedName = (name: string | undefined, fingerprint: string) => `${name === undefined ? '' : `"${printable(name)}" `}(fingerprint ${shortFingerprint(fingerprint)})`;
  check(run.model.fingerprint === loaded.modelFingerprint,
    `This run file was made with model "${printable(run.model.name)}" (fingerprint ${shortFingerprint(run.model.fingerprint)}), not the loaded model ${loadedName(loaded.modelName, loaded.modelFingerprint)}.`, 'run-mismatch');
  check(run.data.fingerprint === loaded.dataFingerprint,
    `This run file was made with data set "${printable(run.data.name)}" (fingerprint ${shortFingerprint(run.data.fingerprint)}), not the loaded data set ${loadedName(loaded.dataName, loaded.dataFingerprint)}.`, 'run-mismatch');
  check(run.componentCount === loaded.componentCount,
    `This run file studies ${run.componentCount} components, but the loaded model has ${loaded.componentCount} in the run's layers.`, 'run-mismatch');
  // Fingerprints can be copied into a file; the layers are what its attributions are labelled by.
  const show = (l: Pick<ComponentLayerInfo, 'name' | 'className' | 'count' | 'offset'> | undefined) =>
    (l ? `"${printable(l.name)}" (${printable(l.className)}, ${l.count} components from ${l.offset})` : 'no layer');
  for (let k = 0; k < Math.max(run.layers.length, loaded.layers.length); k++) {
    const [a, b] = [run.layers[k], loaded.layers[k]];
    const same = a && b && a.name === b.name && a.className === b.className && a.count === b.count && a.offset === b.offset;
    check(same, `This run file's layer ${k + 1} is ${show(a)}, but the loaded model's is ${show(b)}: the run belongs to another model (or was edited).`, 'run-mismatch');
  }
}

/** Outputs of one row computed twice (by two shards) must agree to this relative tolerance. */
const MERGE_TOLERANCE = 1e-4;

const agree = (x: number, y: number) => Math.abs(x - y) <= MERGE_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y));

/**
 * Combines shards (or a run and its resumed copy) of one run: a row done in either is done in
 * the result. The fit is dropped, since it no longer covers all rows: refit after merging.
 * The result shares its unchanging parts (settings, masks, labels…) with `a`.
 */
export function mergeRuns(a: RunData, b: RunData): RunData {
  checkSameRun(a, b);
  const n = a.settings.examples.length;
  const merged: RunData = {
    version: RUN_FILE_VERSION,
    createdAt: a.createdAt <= b.createdAt ? a.createdAt : b.createdAt,
    settings: a.settings,
    model: a.model,
    data: a.data,
    layers: a.layers,
    componentCount: a.componentCount,
    labels: a.labels,
    baseOutputs: a.baseOutputs,
    train: mergeBlocks(a.train, b.train, n, 'training'),
    validation: mergeBlocks(a.validation, b.validation, n, 'validation'),
  };
  const progress = runProgress(merged);
  const complete = progress.trainDone === progress.trainTotal && progress.validationDone === progress.validationTotal;
  // Two different shards merged but unfinished are no longer one shard; the same shard twice still is.
  if (!complete && a.shard && b.shard && a.shard.index === b.shard.index && a.shard.count === b.shard.count) merged.shard = { ...a.shard };
  return merged;
}

function checkSameRun(a: RunData, b: RunData): void {
  const refuse = (why: string) => new CoarError(`Cannot merge these runs: ${why}. Only shards of one run (same model, data and settings) can be merged.`, 'merge-mismatch');
  for (const key of ['model', 'data'] as const) {
    if (a[key].fingerprint !== b[key].fingerprint) {
      throw refuse(`they were made with different ${key === 'model' ? 'models' : 'data sets'} ("${printable(a[key].name)}", fingerprint ${shortFingerprint(a[key].fingerprint)} vs "${printable(b[key].name)}", fingerprint ${shortFingerprint(b[key].fingerprint)})`);
    }
  }
  const settingKeys = new Set([...Object.keys(a.settings), ...Object.keys(b.settings)]) as Set<keyof RunSettings>;
  for (const key of settingKeys) {
    const [x, y] = [JSON.stringify(a.settings[key]), JSON.stringify(b.settings[key])];
    if (x !== y) throw refuse(`setting "${printable(key)}" differs (${printable(clip(x))} vs ${printable(clip(y))})`);
  }
  if (JSON.stringify(a.layers) !== JSON.stringify(b.layers) || a.componentCount !== b.componentCount) {
    throw refuse(`their components differ (${a.componentCount} in ${a.layers.length} layers vs ${b.componentCount} in ${b.layers.length})`);
  }
  if (!a.labels.every((label, j) => label === b.labels[j])) throw refuse('the labels of their examples differ');
  if (!a.baseOutputs.every((x, j) => agree(x, b.baseOutputs[j]))) throw refuse('their unablated outputs differ');
  for (const [name, x, y] of [['training', a.train, b.train], ['validation', a.validation, b.validation]] as const) {
    if (!x.masks.ablated.every((word, k) => word === y.masks.ablated[k])) {
      throw refuse(`their ${name} masks differ although their settings match (made by different versions of COAR Explorer?)`);
    }
  }
}

function mergeBlocks(a: MaskBlock, b: MaskBlock, n: number, name: string): MaskBlock {
  const outputs = a.outputs.slice();
  const done = a.done.slice();
  for (let r = 0; r < done.length; r++) {
    if (!b.done[r]) continue;
    const row = b.outputs.subarray(r * n, (r + 1) * n);
    if (done[r]) {
      const j = row.findIndex((y, k) => !agree(outputs[r * n + k], y));
      check(j < 0, `The runs disagree on ${name} mask ${r}, example ${j}: ${outputs[r * n + j]} vs ${row[j]} `
        + `(more than ${MERGE_TOLERANCE} relative). They were not computed by the same model and settings.`, 'merge-mismatch');
    } else {
      outputs.set(row, r * n);
      done[r] = 1;
    }
  }
  return { masks: a.masks, outputs, done };
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
