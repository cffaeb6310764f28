/**
 * The run file: one COAR run's ablation data set (masks and the outputs they produced) plus,
 * once fitted, its attributions. It is what gets saved, resumed, merged from shards and
 * exported. The layout is described in docs/RUNFILE.md; keep the two in step.
 *
 * Bytes in, bytes out (Uint8Array only), so the same code runs in Node and in a Web Worker.
 * Arrays are stored in the platform's byte order, which is little-endian on every platform
 * COAR Explorer runs on (x86, ARM; browsers and Node).
 */
import { kindOfLayerInfo } from './component-kinds';
import { CoarError, check } from './errors';
import { MaskStream, sampleMasks, type MaskSet } from './masks';
import { LIMITS } from './limits';
import { printable } from './printable';
import { parseJsonWithinLimits } from './safe-json';
import { SCORE_SOURCES } from './scores';
import { ABLATION_KINDS, OUTPUT_KINDS, SAMPLING_MODES, type RunSettings } from './settings';

/** Format version written by this code. See docs/RUNFILE.md for when it changes. */
export const RUN_FILE_VERSION = 1;

/** One model layer whose components (output channels or rows) are studied. */
export interface ComponentLayerInfo {
  /** The layer's name in the model. */
  name: string;
  /** Its tfjs class, e.g. "Conv2D" or "Dense". */
  className: string;
  /**
   * Its component kind's id (src/coar/component-kinds), e.g. "conv-filter" or "attention-head".
   * Files written before kinds were recorded get the first kind that can own the class.
   */
  kind: string;
  /** Number of components in the layer. */
  count: number;
  /** Global index of its first component: the layer owns indices offset .. offset + count − 1. */
  offset: number;
}

/** A block of ablation masks and the model outputs recorded under each of them. */
export interface MaskBlock {
  /** The masks, drawn from the run's seed; a shard holds all of them, not only its own rows. */
  masks: MaskSet;
  /** masks.count × n outputs, mask-major: outputs[r * n + j] is example j under mask r. */
  outputs: Float32Array;
  /** One flag per mask: 1 once that row of outputs is computed, 0 while it is still to do. */
  done: Uint8Array;
}

/** Attributions fitted to the training block: f(example j, mask) ≈ bias[j] + Σ_{i kept} weights[j·N + i]. */
export interface RunFit {
  /** n × N, example-major. */
  weights: Float32Array;
  /** n intercepts. */
  bias: Float32Array;
  /** Ridge penalty chosen on the validation block. */
  lambda: number;
  /** Mean over examples of the Pearson correlation on the validation block; null without validation masks. */
  validationCorrelation: number | null;
}

export interface RunData {
  /** Run file format version the data was read from (RUN_FILE_VERSION for new runs). */
  version: number;
  /** ISO 8601 time the run was started. */
  createdAt: string;
  settings: RunSettings;
  /** The model studied; the fingerprint is fingerprintBytes over its weights and topology. */
  model: { name: string; fingerprint: string };
  /** The data set the examples come from; the fingerprint is fingerprintBytes over its contents. */
  data: { name: string; fingerprint: string };
  /** Layers in component order; their counts add up to componentCount. */
  layers: ComponentLayerInfo[];
  /** N, the number of components. */
  componentCount: number;
  /** n labels, one per studied example (settings.examples, in that order). */
  labels: Int32Array;
  /** n outputs with nothing ablated. */
  baseOutputs: Float32Array;
  /** settings.trainMasks masks the attributions are fitted to. */
  train: MaskBlock;
  /** settings.valMasks held-out masks for choosing the penalty and scoring the fit. */
  validation: MaskBlock;
  /** Present once the attributions are fitted; dropped by a merge, since new rows change it. */
  fit?: RunFit;
  /** Present on a file made as shard `index` (0-based) of `count`; informational, `done` says what is computed. */
  shard?: { index: number; count: number };
}

export interface NewRunInit {
  settings: RunSettings;
  model: RunData['model'];
  data: RunData['data'];
  layers: ComponentLayerInfo[];
  labels: Int32Array;
  baseOutputs: Float32Array;
  createdAt?: string;
  shard?: RunData['shard'];
}

/** A run with all of its masks drawn from the settings and no outputs computed yet. */
export function newRun(init: NewRunInit): RunData {
  const { settings, layers } = init;
  const componentCount = layers.reduce((sum, layer) => sum + layer.count, 0);
  const n = settings.examples.length;
  const block = (stream: number, count: number): MaskBlock => ({
    masks: sampleMasks({ componentCount, alpha: settings.alpha, seed: settings.seed, stream, mode: settings.sampling }, count),
    outputs: new Float32Array(count * n),
    done: new Uint8Array(count),
  });
  const run: RunData = {
    version: RUN_FILE_VERSION,
    createdAt: init.createdAt ?? new Date().toISOString(),
    settings,
    model: init.model,
    data: init.data,
    layers,
    componentCount,
    labels: init.labels,
    baseOutputs: init.baseOutputs,
    train: block(MaskStream.train, settings.trainMasks),
    validation: block(MaskStream.validation, settings.valMasks),
    ...(init.shard ? { shard: init.shard } : {}),
  };
  checkRunShape(run);
  return run;
}

export function runProgress(run: RunData): { trainDone: number; trainTotal: number; validationDone: number; validationTotal: number } {
  return {
    trainDone: countDone(run.train.done),
    trainTotal: run.train.done.length,
    validationDone: countDone(run.validation.done),
    validationTotal: run.validation.done.length,
  };
}

function countDone(done: Uint8Array): number {
  let total = 0;
  for (const flag of done) total += flag;
  return total;
}

// ---------------------------------------------------------------------------------------------
// Encoding

const MAGIC = 'COARRUN\0';
/** Magic (8 bytes), uint32 version, uint32 header length. */
const PREAMBLE_BYTES = 16;

type Dtype = 'uint8' | 'int32' | 'uint32' | 'float32';
type TypedArray = Uint8Array | Int32Array | Uint32Array | Float32Array;
const ARRAY_OF: Record<Dtype, { BYTES_PER_ELEMENT: number; new (buffer: ArrayBuffer): TypedArray }> = {
  uint8: Uint8Array, int32: Int32Array, uint32: Uint32Array, float32: Float32Array,
};

interface SectionEntry { offset: number; byteLength: number; dtype: Dtype; shape: number[] }

/** Everything but the big arrays, as stored in the JSON header. */
interface RunHeader {
  createdAt: string;
  settings: RunSettings;
  model: RunData['model'];
  data: RunData['data'];
  layers: ComponentLayerInfo[];
  componentCount: number;
  fit?: { lambda: number; validationCorrelation: number | null };
  shard?: RunData['shard'];
  /** Bytes from the start of the data area to the end of the file. */
  dataByteLength: number;
  /** Offsets are from the start of the data area (the first 8-byte boundary after the header). */
  sections: Record<string, SectionEntry>;
}

/** The sections a run with this header must have, with their types and shapes. */
function expectedSections(h: Pick<RunHeader, 'settings' | 'componentCount' | 'fit'>): Record<string, { dtype: Dtype; shape: number[] }> {
  const n = h.settings.examples.length;
  const N = h.componentCount;
  const words = Math.ceil(N / 32);
  const block = (name: string, count: number) => ({
    [`${name}.masks`]: { dtype: 'uint32' as const, shape: [count, words] },
    [`${name}.outputs`]: { dtype: 'float32' as const, shape: [count, n] },
    [`${name}.done`]: { dtype: 'uint8' as const, shape: [count] },
  });
  return {
    labels: { dtype: 'int32', shape: [n] },
    baseOutputs: { dtype: 'float32', shape: [n] },
    ...block('train', h.settings.trainMasks),
    ...block('validation', h.settings.valMasks),
    ...(h.fit ? { 'fit.weights': { dtype: 'float32' as const, shape: [n, N] }, 'fit.bias': { dtype: 'float32' as const, shape: [n] } } : {}),
  };
}

function sectionArrays(run: RunData): Record<string, TypedArray> {
  return {
    labels: run.labels,
    baseOutputs: run.baseOutputs,
    'train.masks': run.train.masks.ablated,
    'train.outputs': run.train.outputs,
    'train.done': run.train.done,
    'validation.masks': run.validation.masks.ablated,
    'validation.outputs': run.validation.outputs,
    'validation.done': run.validation.done,
    ...(run.fit ? { 'fit.weights': run.fit.weights, 'fit.bias': run.fit.bias } : {}),
  };
}

/** Checks that every array of an in-memory run has the size its settings call for. */
function checkRunShape(run: RunData): void {
  const layerTotal = run.layers.reduce((sum, layer) => {
    check(layer.offset === sum, `Layer "${printable(layer.name)}" starts at component ${layer.offset}, expected ${sum} (layers must be contiguous, in order).`, 'malformed-run');
    return sum + layer.count;
  }, 0);
  check(layerTotal === run.componentCount, `The layers hold ${layerTotal} components but the run says ${run.componentCount}.`, 'malformed-run');
  for (const block of [run.train, run.validation]) {
    check(block.masks.componentCount === run.componentCount, `A mask block covers ${block.masks.componentCount} components, not the run's ${run.componentCount}.`, 'malformed-run');
  }
  // JSON would silently turn a non-finite penalty into null.
  check(!run.fit || Number.isFinite(run.fit.lambda), `The fit's ridge penalty must be a finite number (got ${run.fit?.lambda}).`, 'malformed-run');
  const arrays = sectionArrays(run);
  for (const [name, { dtype, shape }] of Object.entries(expectedSections(run))) {
    const array = arrays[name];
    check(array instanceof ARRAY_OF[dtype], `Run field "${name}" must be a ${dtype} array.`, 'malformed-run');
    check(array.length === product(shape), `Run field "${name}" has ${array.length} values; the settings call for ${shape.join(' × ')}.`, 'malformed-run');
  }
}

export function encodeRunFile(run: RunData): Uint8Array {
  checkRunShape(run);
  const arrays = sectionArrays(run);
  const expected = expectedSections(run);
  const sections: Record<string, SectionEntry> = {};
  let dataByteLength = 0;
  for (const [name, array] of Object.entries(arrays)) {
    sections[name] = { offset: dataByteLength, byteLength: array.byteLength, dtype: expected[name].dtype, shape: expected[name].shape };
    dataByteLength = align8(dataByteLength + array.byteLength);
  }
  const header: RunHeader = {
    createdAt: run.createdAt,
    settings: run.settings,
    model: run.model,
    data: run.data,
    layers: run.layers,
    componentCount: run.componentCount,
    ...(run.fit ? { fit: { lambda: run.fit.lambda, validationCorrelation: run.fit.validationCorrelation } } : {}),
    ...(run.shard ? { shard: run.shard } : {}),
    dataByteLength,
    sections,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREAMBLE_BYTES + headerBytes.length);
  const out = new Uint8Array(dataStart + dataByteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, RUN_FILE_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  for (const [name, array] of Object.entries(arrays)) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), dataStart + sections[name].offset);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

export function decodeRunFile(bytes: Uint8Array): RunData {
  const magicOk = bytes.length >= MAGIC.length && [...MAGIC].every((c, i) => bytes[i] === c.charCodeAt(0));
  check(magicOk, 'This is not a COAR run file (it does not start with "COARRUN").', 'malformed-run');
  check(bytes.length >= PREAMBLE_BYTES, 'The run file is truncated: it ends inside its preamble.', 'malformed-run');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  check(version >= 1, `The run file declares format version ${version}, which does not exist.`, 'malformed-run');
  check(version <= RUN_FILE_VERSION,
    `This run file uses format version ${version}, newer than this COAR Explorer reads (up to version ${RUN_FILE_VERSION}). Update COAR Explorer to open it.`, 'run-version');
  const headerLength = view.getUint32(12, true);
  check(PREAMBLE_BYTES + headerLength <= bytes.length,
    `The run file is truncated: its header needs ${headerLength} bytes but only ${bytes.length - PREAMBLE_BYTES} follow.`, 'malformed-run');
  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength));
  const dataStart = align8(PREAMBLE_BYTES + headerLength);
  check(dataStart + header.dataByteLength <= bytes.length,
    `The run file is truncated: it should be ${dataStart + header.dataByteLength} bytes long but has ${bytes.length}.`, 'malformed-run');

  const expected = expectedSections(header);
  const read = (name: string): TypedArray => {
    const { dtype, shape } = expected[name];
    const entry = header.sections[name];
    check(entry, `The run file has no "${name}" section.`, 'malformed-run');
    check(entry.dtype === dtype, `Section "${name}" holds ${entry.dtype}, expected ${dtype}.`, 'malformed-run');
    check(sameShape(entry.shape, shape),
      `Section "${name}" has shape [${entry.shape}], inconsistent with the run's settings, which call for [${shape}].`, 'malformed-run');
    check(entry.byteLength === product(shape) * ARRAY_OF[dtype].BYTES_PER_ELEMENT,
      `Section "${name}" is ${entry.byteLength} bytes, inconsistent with its shape [${shape}].`, 'malformed-run');
    check(Number.isInteger(entry.offset) && entry.offset >= 0 && entry.offset % ARRAY_OF[dtype].BYTES_PER_ELEMENT === 0
      && entry.offset + entry.byteLength <= header.dataByteLength,
      `Section "${name}" (offset ${entry.offset}, ${entry.byteLength} bytes) is out of bounds of the file's ${header.dataByteLength}-byte data area.`, 'malformed-run');
    // Copied, so the result owns aligned memory and does not pin the input (not bytes.slice:
    // on a Node Buffer that is a view).
    const start = dataStart + entry.offset;
    return new ARRAY_OF[dtype](new Uint8Array(bytes.subarray(start, start + entry.byteLength)).buffer);
  };
  const block = (name: string, count: number): MaskBlock => {
    const done = read(`${name}.done`) as Uint8Array;
    check(done.every((flag) => flag <= 1), `Section "${name}.done" holds flags other than 0 and 1.`, 'malformed-run');
    const wordsPerMask = Math.ceil(header.componentCount / 32);
    return {
      masks: { componentCount: header.componentCount, count, wordsPerMask, ablated: read(`${name}.masks`) as Uint32Array },
      outputs: read(`${name}.outputs`) as Float32Array,
      done,
    };
  };

  const run: RunData = {
    version,
    createdAt: header.createdAt,
    // Runs from before `scores` existed took the model's outputs as they were.
    settings: { ...header.settings, scores: header.settings.scores ?? 'as-is' },
    model: header.model,
    data: header.data,
    layers: header.layers.map((l) => ({ ...l, kind: kindOfLayerInfo(l)!.id })),
    componentCount: header.componentCount,
    labels: read('labels') as Int32Array,
    baseOutputs: read('baseOutputs') as Float32Array,
    train: block('train', header.settings.trainMasks),
    validation: block('validation', header.settings.valMasks),
    ...(header.fit ? {
      fit: {
        weights: read('fit.weights') as Float32Array,
        bias: read('fit.bias') as Float32Array,
        lambda: header.fit.lambda,
        validationCorrelation: header.fit.validationCorrelation,
      },
    } : {}),
    ...(header.shard ? { shard: header.shard } : {}),
  };
  checkRunShape(run);
  checkFinite(run);
  return run;
}

/** Refuses NaN or ±Infinity where a run holds numbers: unablated outputs, done rows, the fit. */
function checkFinite(run: RunData): void {
  const n = run.settings.examples.length;
  const refuse = (section: string, index: number, value: number, where: string) => new CoarError(
    `The run file's "${section}" section holds ${value} at index ${index} (${where}): a run holds finite numbers only; the file is corrupt.`, 'malformed-run');
  const scan = (section: string, values: Float32Array, where: (i: number) => string, rows?: Uint8Array) => {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]) && (!rows || rows[Math.floor(i / n)])) throw refuse(section, i, values[i], where(i));
    }
  };
  scan('baseOutputs', run.baseOutputs, (i) => `example ${i}`);
  for (const [name, block] of [['train', run.train], ['validation', run.validation]] as const) {
    scan(`${name}.outputs`, block.outputs, (i) => `mask ${Math.floor(i / n)}, example ${i % n}`, block.done);
  }
  if (run.fit) {
    scan('fit.weights', run.fit.weights, (i) => `example ${Math.floor(i / run.componentCount)}, component ${i % run.componentCount}`);
    scan('fit.bias', run.fit.bias, (i) => `example ${i}`);
  }
}

function parseHeader(bytes: Uint8Array): RunHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new CoarError(`The run file's header is corrupt (${(e as Error).message}).`, 'malformed-run');
  }
  const h = parseJsonWithinLimits(text, "The run file's header", 'malformed-run', (reason) => `The run file's header is corrupt (${reason}).`) as RunHeader;
  const bad = (field: string) => `The run file's header has a missing or invalid "${field}".`;
  check(h && typeof h === 'object', bad('header'), 'malformed-run');
  const s = h.settings;
  check(s && typeof s === 'object' && Array.isArray(s.examples) && Array.isArray(s.layers), bad('settings'), 'malformed-run');
  check(isCount(s.trainMasks) && isCount(s.valMasks), bad('settings.trainMasks/valMasks'), 'malformed-run');
  // Choices come from the lists in settings.ts; a value outside them would be run as something else.
  const choice = (key: 'ablation' | 'output' | 'sampling' | 'scores', allowed: readonly string[]) => check(allowed.includes(s[key] as string),
    `The run file's setting "${key}" is ${printable(JSON.stringify(s[key]) ?? 'missing')}, not one of ${allowed.join(', ')}: the file is corrupt or from elsewhere.`, 'malformed-run');
  choice('ablation', ABLATION_KINDS);
  choice('output', OUTPUT_KINDS);
  choice('sampling', SAMPLING_MODES);
  if (s.scores !== undefined) choice('scores', SCORE_SOURCES);
  check(typeof s.alpha === 'number' && Number.isFinite(s.alpha) && s.alpha > 0 && s.alpha < 1,
    `The run file's setting "alpha" must be a number strictly between 0 and 1 (got ${printable(JSON.stringify(s.alpha) ?? 'nothing')}).`, 'malformed-run');
  check(typeof s.seed === 'number' && Number.isFinite(s.seed), `The run file's setting "seed" must be a finite number (got ${printable(JSON.stringify(s.seed) ?? 'nothing')}).`, 'malformed-run');
  check(s.layers.every((l) => typeof l === 'string'), bad('settings.layers'), 'malformed-run');
  for (const [key, count] of [['trainMasks', s.trainMasks], ['valMasks', s.valMasks]] as const) {
    check(count <= LIMITS.masks, `The run file asks for ${count.toLocaleString('en-US')} ${key}, over the limit of ${LIMITS.masks.toLocaleString('en-US')} (docs/LIMITS.md).`, 'too-large');
  }
  check(s.examples.length <= LIMITS.examples,
    `The run file studies ${s.examples.length.toLocaleString('en-US')} examples, over the limit of ${LIMITS.examples.toLocaleString('en-US')} (docs/LIMITS.md).`, 'too-large');
  check((s.trainMasks + s.valMasks) * s.examples.length <= LIMITS.outputsPerRun,
    `The run file holds ${(s.trainMasks + s.valMasks).toLocaleString('en-US')} masks × ${s.examples.length.toLocaleString('en-US')} examples, over the limit of ${LIMITS.outputsPerRun.toLocaleString('en-US')} outputs per run (docs/LIMITS.md).`, 'too-large');
  const seen = new Set<number>();
  for (const [k, e] of s.examples.entries()) {
    check(isCount(e), `The run file's example ${k} is ${printable(JSON.stringify(e))}, not an index into the data set.`, 'malformed-run');
    check(!seen.has(e), `The run file lists example ${e} more than once (at positions ${s.examples.indexOf(e)} and ${k}): the file is corrupt.`, 'malformed-run');
    seen.add(e);
  }
  check(isCount(h.componentCount) && h.componentCount > 0, bad('componentCount'), 'malformed-run');
  check(Array.isArray(h.layers) && h.layers.every((l) => typeof l?.name === 'string' && typeof l?.className === 'string' && isCount(l.count) && isCount(l.offset)), bad('layers'), 'malformed-run');
  for (const l of h.layers as Partial<ComponentLayerInfo>[]) {
    const kind = kindOfLayerInfo(l as ComponentLayerInfo);
    check(kind !== undefined && (l.kind === undefined || l.kind === kind.id),
      `The run file's layer "${printable(l.name)}" has ${l.kind === undefined ? `the class ${printable(l.className)}` : `the component kind ${printable(JSON.stringify(l.kind))}`}, which this version of COAR Explorer does not know.`, 'malformed-run');
    check(kind.layerClasses.includes(l.className!),
      `The run file's layer "${printable(l.name)}" is a ${printable(l.className)} with components of kind "${kind.id}", which only ${kind.layerClasses.join(', ')} layers have: the file is corrupt.`, 'malformed-run');
  }
  check(!h.fit || h.fit.validationCorrelation === null || Number.isFinite(h.fit.validationCorrelation), bad('fit.validationCorrelation'), 'malformed-run');
  for (const key of ['model', 'data'] as const) {
    check(typeof h[key]?.name === 'string' && typeof h[key]?.fingerprint === 'string', bad(key), 'malformed-run');
  }
  check(typeof h.createdAt === 'string', bad('createdAt'), 'malformed-run');
  check(isCount(h.dataByteLength), bad('dataByteLength'), 'malformed-run');
  check(h.sections && typeof h.sections === 'object', bad('sections'), 'malformed-run');
  for (const [name, entry] of Object.entries(h.sections)) {
    check(isCount(entry?.offset) && isCount(entry.byteLength) && Array.isArray(entry.shape) && entry.shape.every(isCount), bad(`sections.${name}`), 'malformed-run');
  }
  return h;
}

const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;
const align8 = (x: number) => Math.ceil(x / 8) * 8;
const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
