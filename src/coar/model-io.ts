/**
 * Loading and saving tfjs LayersModels from plain bytes, with checks that name what is wrong.
 * The caller supplies how files are read (fetch in the browser, fs in Node, File objects
 * from a picker), so the same validation runs everywhere. Files are parsed as data only.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError, check } from './errors';
import { checkModelTopology } from './model-summary';
import { upgradeKerasModelJson } from './keras3-topology';
import { registerTransformerLayers } from './layers';
import { LIMITS } from './limits';
import { printable } from './printable';
import { parseJsonWithinLimits } from './safe-json';
import { checkRelativePath } from './safe-paths';

export type ReadFile = (relativePath: string) => Promise<ArrayBuffer>;

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

export function parseModelJson(text: string, source = 'model.json'): ModelJson {
  source = printable(source);
  const json = parseJsonWithinLimits(text, source, 'malformed-model');
  check(json && typeof json === 'object', `${source} must hold a JSON object.`, 'malformed-model');
  const m = json as Partial<ModelJson>;
  check(m.modelTopology && typeof m.modelTopology === 'object',
    `${source} has no "modelTopology": it is not a tfjs LayersModel file (a graph model or another format?).`, 'malformed-model');
  check(Array.isArray(m.weightsManifest),
    `${source} has no "weightsManifest": the list of weight files is missing.`, 'malformed-model');
  for (const group of m.weightsManifest) {
    check(Array.isArray(group?.paths) && Array.isArray(group?.weights),
      `${source}: every weightsManifest entry needs "paths" and "weights".`, 'malformed-model');
  }
  checkWeightsManifest(m as ModelJson, source);
  return m as ModelJson;
}

/**
 * The weight files a model.json lists, judged before any is read: each path beside the model.json
 * (checkRelativePath), no path twice, at most LIMITS.weightFiles files and LIMITS.weightBytes bytes declared.
 */
export function checkWeightsManifest(json: Pick<ModelJson, 'weightsManifest'>, source = 'model.json'): void {
  const paths = json.weightsManifest.flatMap((group) => group.paths);
  check(paths.length <= LIMITS.weightFiles,
    `${source} lists ${paths.length.toLocaleString('en-US')} weight files, over the limit of ${LIMITS.weightFiles.toLocaleString('en-US')} (docs/LIMITS.md).`, 'too-large');
  const seen = new Set<string>();
  for (const path of paths) {
    checkRelativePath(path, `Weight file listed in ${source}`);
    check(!seen.has(path), `${source} lists the weight file "${printable(path)}" more than once: each file may be listed once.`, 'malformed-model');
    seen.add(path);
  }
  let declared = 0;
  for (const group of json.weightsManifest) {
    for (const w of group.weights) {
      check(w && typeof w === 'object' && Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0),
        `${source}: weight "${printable(w?.name)}" needs a shape of non-negative whole numbers.`, 'malformed-model');
      declared += manifestBytes(w);
    }
  }
  check(declared <= LIMITS.weightBytes,
    `${source} declares ${declared.toLocaleString('en-US')} bytes of weights, over the limit of ${LIMITS.weightBytes.toLocaleString('en-US')} bytes (docs/LIMITS.md).`, 'too-large');
}

function manifestBytes(entry: tf.io.WeightsManifestEntry): number {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  if (entry.quantization) {
    return count * (BYTES_PER_DTYPE[entry.quantization.dtype] ?? 4);
  }
  const bytes = BYTES_PER_DTYPE[entry.dtype];
  if (bytes === undefined) throw new CoarError(`Weight "${printable(entry.name)}" has unsupported dtype "${printable(entry.dtype)}".`, 'malformed-model');
  return count * bytes;
}

/** Reads model.json plus its weight files and returns a ready tfjs LayersModel; a Keras 3 file is first rewritten in Keras 2 form (onUpgrade hears what changed). */
export async function loadLayersModelFromFiles(modelJsonText: string, readFile: ReadFile, source = 'model.json', onUpgrade?: (changes: string[]) => void): Promise<tf.LayersModel> {
  source = printable(source);
  registerTransformerLayers();
  const { json, changes } = upgradeKerasModelJson(parseModelJson(modelJsonText, source), source);
  if (changes.length > 0) onUpgrade?.(changes);
  checkModelTopology(json, source);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    const expected = group.weights.reduce((sum, w) => sum + manifestBytes(w), 0);
    const parts: ArrayBuffer[] = [];
    for (const path of group.paths) {
      try {
        parts.push(await readFile(path));
      } catch (e) {
        if (e instanceof CoarError) throw e; // a refusal (path, redirect, size) says what it is itself
        throw new CoarError(`Weight file "${printable(path)}" listed in ${source} could not be read (${printable((e as Error).message)}).`, 'missing-weights');
      }
    }
    const got = parts.reduce((sum, p) => sum + p.byteLength, 0);
    check(got === expected,
      `Weight files ${group.paths.map(printable).join(', ')} hold ${got} bytes but ${source} describes ${expected} bytes: ` +
      (got < expected ? 'the weights are truncated or belong to another model.' : 'they belong to another model.'), 'weights-mismatch');
    weightSpecs.push(...group.weights);
    buffers.push(...parts);
  }
  const weightData = concatBuffers(buffers);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs, weightData }));
  } catch (e) {
    const msg = (e as Error).message;
    const unknown = /Unknown layer: (\w+)/.exec(msg);
    if (unknown) throw new CoarError(`${source} uses the layer type "${unknown[1]}", which tfjs cannot build (a custom or Lambda layer?). Only built-in Keras layers can be loaded.`, 'unsupported-layer');
    throw new CoarError(`${source} could not be built as a tfjs LayersModel: ${msg}`, 'malformed-model');
  }
}

export function concatBuffers(buffers: ArrayBuffer[]): ArrayBuffer {
  const total = buffers.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out.buffer;
}

export interface SavedModelFiles {
  modelJson: string;
  weights: ArrayBuffer;
  weightsFileName: string;
}

/** Serialises a model as model.json + one weights file, the layout tf.loadLayersModel(url) reads. */
export async function modelToFiles(model: tf.LayersModel, weightsFileName = 'weights.bin'): Promise<SavedModelFiles> {
  let saved: SavedModelFiles | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData;
    const weights = Array.isArray(weightData) ? concatBuffers(weightData) : (weightData as ArrayBuffer);
    const json = {
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs }],
    };
    saved = { modelJson: JSON.stringify(json), weights, weightsFileName };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}
