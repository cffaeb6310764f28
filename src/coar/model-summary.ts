/**
 * What a model is before a run: a per-layer summary, checks of model.json that tfjs would
 * otherwise fail on with a cryptic message, and a memory estimate checked against a device.
 */
import * as tf from '@tensorflow/tfjs';
import { discoverComponents } from './components';
import { CoarError, check } from './errors';
import { describeScores, findFinalActivation, resolveScores, type FinalActivation, type ScoreSource } from './scores';

export interface LayerSummary { name: string; className: string; outputShape: (number | null)[]; params: number; components: number }

export interface ModelSummary {
  name: string;
  inputShape: (number | null)[];
  classCount: number;
  layers: LayerSummary[];
  paramCount: number;
  componentCount: number;
  weightBytes: number;
  /** float32 bytes of the input plus every layer's output, for one example. */
  activationBytesPerExample: number;
  /** The softmax/sigmoid that ends the model, if any. */
  finalActivation: FinalActivation | null;
  /** What margins are taken on by default (logits, bypassing a final softmax where it can be separated). */
  scores: ScoreSource;
  /** That choice in one sentence. */
  scoresNote: string;
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 8 };

/** Elements of one example's tensor of this shape; unknown (null) sizes count as 1. */
const exampleSize = (shape: (number | null)[]) => shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);

function firstShape(shape: tf.Shape | tf.Shape[]): (number | null)[] {
  return Array.isArray(shape[0]) ? (shape as tf.Shape[])[0] : (shape as tf.Shape);
}

/** Layers, parameters, components and sizes; throws (naming the layer) where COAR cannot run the model. */
export function summarizeModel(model: tf.LayersModel, name: string): ModelSummary {
  const components = discoverComponents(model);
  const perLayer = new Map(components.layers.map((l) => [l.name, l.count]));
  const layers = model.layers.map((layer): LayerSummary => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: firstShape(layer.outputShape),
    params: layer.countParams(),
    components: perLayer.get(layer.name) ?? 0,
  }));
  const inputShape = model.inputs[0].shape;
  const outShape = model.outputs[0].shape;
  // Sequential models list no InputLayer, functional ones do: count the input once either way.
  const finalActivation = findFinalActivation(model);
  const scores = resolveScores('auto', finalActivation);
  const activations = exampleSize(inputShape) + layers.filter((l) => l.className !== 'InputLayer').reduce((s, l) => s + exampleSize(l.outputShape), 0);
  return {
    name,
    inputShape,
    classCount: outShape[outShape.length - 1] ?? 0,
    layers,
    paramCount: layers.reduce((s, l) => s + l.params, 0),
    componentCount: components.count,
    weightBytes: model.weights.reduce((s, w) => s + exampleSize([null, ...w.shape]) * (BYTES_PER_DTYPE[w.dtype] ?? 4), 0),
    activationBytesPerExample: 4 * activations,
    finalActivation,
    scores,
    scoresNote: describeScores(scores, finalActivation),
  };
}

/** The image size and channels a model takes: [batch, height, width, channels] with fixed sizes. */
export function imageInputOf(model: tf.LayersModel): { height: number; width: number; channels: number } {
  const shape = model.inputs[0].shape;
  const [height, width, channels] = shape.slice(1);
  check(shape.length === 4 && height !== null && width !== null && channels !== null,
    `The model's input is ${shape.map((d) => d ?? '?').join('×')}; images need a model input of fixed size batch×height×width×channels.`, 'unsupported-input');
  return { height, width, channels };
}

interface LayerJson { class_name?: unknown; name?: unknown; config?: { name?: unknown; layers?: unknown; layer?: unknown; input_layers?: unknown; output_layers?: unknown } }

/** Keras lists model inputs as [[name, 0, 0], …], or as one [name, 0, 0] when there is one. */
function endpointCount(list: unknown): number {
  if (!Array.isArray(list)) return 1;
  return list.length > 0 && !Array.isArray(list[0]) ? 1 : list.length;
}

/**
 * Checks model.json (or its modelTopology) before tfjs builds it: exactly one input and
 * output, no Lambda layers, and only layer classes tfjs has registered, naming the layer at fault.
 */
export function checkModelTopology(json: unknown, source: string): void {
  const root = json as { modelTopology?: unknown; format?: unknown } | null;
  const topology = (root && typeof root === 'object' && 'modelTopology' in root ? root.modelTopology : root) as { model_config?: unknown; node?: unknown } | null;
  check(root?.format !== 'graph-model' && !Array.isArray(topology?.node),
    `${source} is a tfjs graph model (converted from a SavedModel or frozen graph), which has no layers to ablate; convert the Keras model to a tfjs layers model instead (tensorflowjs_converter --output_format tfjs_layers_model).`, 'unsupported-model');
  const model = (topology?.model_config ?? topology) as LayerJson | null;
  check(model && typeof model === 'object' && typeof model.class_name === 'string',
    `${source}: the model topology has no "class_name": it is not a Keras model description.`, 'malformed-model');
  const inputs = endpointCount(model.config?.input_layers);
  const outputs = endpointCount(model.config?.output_layers);
  check(inputs === 1 && outputs === 1,
    `${source} describes a model with ${inputs} inputs and ${outputs} outputs; COAR Explorer needs exactly one of each (one image in, class scores out).`, 'unsupported-model');
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  const visit = (layer: LayerJson) => {
    const className = String(layer.class_name);
    const name = String(layer.config?.name ?? layer.name ?? '?');
    if (className === 'Lambda') {
      throw new CoarError(`${source} uses a Lambda layer ("${name}"): Lambda layers hold Python code, which cannot run in the browser; rewrite it with built-in layers before converting.`, 'unsupported-layer');
    }
    if (!(className in known)) {
      throw new CoarError(`${source} uses the layer type "${className}", which tfjs cannot build (layer "${name}"; a custom layer?). Only built-in Keras layers can be loaded.`, 'unsupported-layer');
    }
    const { layers, layer: wrapped } = layer.config ?? {};
    if (Array.isArray(layers)) for (const inner of layers) if (inner && typeof inner === 'object') visit(inner as LayerJson);
    if (wrapped && typeof wrapped === 'object' && 'class_name' in wrapped) visit(wrapped as LayerJson);
  };
  visit(model);
}

export interface MemoryEstimate { weightBytes: number; bytesPerPair: number; pairsPerBatch: number; peakBytes: number }

/** Weights plus, per (example, mask) pair, the input and every activation twice (the masked copy beside the plain one). */
export function estimateRunMemory(summary: ModelSummary, pairsPerBatch: number): MemoryEstimate {
  const bytesPerPair = 2 * summary.activationBytesPerExample;
  return { weightBytes: summary.weightBytes, bytesPerPair, pairsPerBatch, peakBytes: summary.weightBytes + bytesPerPair * pairsPerBatch };
}

export function formatBytes(bytes: number): string {
  const mb = bytes / 2 ** 20;
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return mb >= 10 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
}

export function checkFitsMemory(estimate: MemoryEstimate, budgetBytes: number, device: string): void {
  check(estimate.peakBytes <= budgetBytes,
    `The model needs about ${formatBytes(estimate.peakBytes)} (${formatBytes(estimate.weightBytes)} of weights + ${estimate.pairsPerBatch} pairs per batch × ${formatBytes(estimate.bytesPerPair)}) ` +
    `but ${device} offers about ${formatBytes(budgetBytes)}; use a smaller batch (fewer pairs per pass), a smaller model, or a device with more memory.`, 'too-large');
}
