/**
 * Rewrites a Keras 3 model description (as tensorflowjs_converter writes it from TensorFlow ≥ 2.16)
 * into the Keras 2 form that tfjs 4.x builds. Keras 3 renamed or restructured several fields
 * (InputLayer `batch_shape`, DTypePolicy objects for `dtype`, `{args, kwargs}` inbound nodes,
 * `module`/`registered_name` metadata, LeakyReLU `negative_slope`, …); tfjs either rejects them with
 * an unhelpful message or, worse, silently builds a different model. This is a pure transform of
 * JSON data: nothing in the file is evaluated. Anything without a faithful Keras 2 equivalent is
 * refused with a CoarError naming the layer and the construct. This module follows the model's
 * structure (models, layers, their connections, weight names); keras3-fields.ts rewrites each
 * layer's own fields.
 */
import { CHANGED_ACTIVATIONS, FieldUpgrader, isObject, type Json, type JsonObject } from './keras3-fields';

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);
const WRAPPER_CLASSES = new Set(['TimeDistributed', 'Bidirectional']);
/** Keras 2 names registered custom layers "package>Class"; these packages' layers are built by src/coar/layers. */
const PACKAGED_CLASSES: Record<string, string> = {
  'keras_nlp>PositionEmbedding': 'PositionEmbedding',
  'keras_hub>PositionEmbedding': 'PositionEmbedding',
};
/** MultiHeadAttention's tensor arguments, in its call order; they become the node's input list. */
const ATTENTION_INPUTS = ['query', 'value', 'key'] as const;
/** MultiHeadAttention call options this tfjs layer does not implement (a tensor or True refused). */
const ATTENTION_OPTIONS = ['attention_mask', 'query_mask', 'value_mask', 'key_mask', 'use_causal_mask', 'return_attention_scores'];

const isKerasTensor = (v: unknown): v is JsonObject => isObject(v) && v.class_name === '__keras_tensor__';
/** A Keras 2 tensor reference: [layerName, nodeIndex, tensorIndex]. */
const isEndpoint = (v: unknown): v is [string, number, number] =>
  Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number';

class Upgrader extends FieldUpgrader {
  /** One serialized model (Sequential or Functional), in place. */
  model(model: JsonObject, name: string): void {
    this.dropMetadata(model, name);
    const config = model.config;
    // Very old Sequential files hold the layer list directly as config.
    const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
    if (isObject(config)) this.dtype(config, name);
    if (!Array.isArray(layers)) return;
    for (const layer of layers) if (isObject(layer)) this.layer(layer);
    if (!isObject(config)) return;
    if (model.class_name === 'Sequential') this.sequentialInput(config, layers, name);
    for (const key of ['input_layers', 'output_layers'] as const) {
      if (key in config) config[key] = this.endpoints(config[key], key, name);
    }
  }

  /** Keras 3 Sequential lists an InputLayer (or a build_input_shape) instead of batch_input_shape on the first layer. */
  private sequentialInput(config: JsonObject, layers: Json[], name: string): void {
    const first = layers[0];
    if (!isObject(first) || first.class_name === 'InputLayer' || !isObject(first.config)) return;
    const shape = config.build_input_shape;
    if (!('batch_input_shape' in first.config) && Array.isArray(shape)) {
      first.config.batch_input_shape = shape;
      this.log.add('took the input shape from build_input_shape', String(first.config.name ?? name));
    }
  }

  /** Keras 3 writes one input as a bare [name, 0, 0] and named inputs as a dict; tfjs wants a list. */
  private endpoints(value: Json, key: string, model: string): Json {
    if (isEndpoint(value)) {
      this.log.add(`wrapped the single ${key === 'input_layers' ? 'input' : 'output'} in a list`, model);
      return [value];
    }
    if (isObject(value)) {
      const entries = Object.values(value);
      if (!entries.every(isEndpoint)) this.fail(model, `lists its ${key} as a nested structure, which tfjs cannot build.`);
      this.log.add(`turned named ${key} into a list`, model);
      return entries;
    }
    if (Array.isArray(value) && !value.every(isEndpoint)) {
      this.fail(model, `lists its ${key} as a nested structure, which tfjs cannot build.`);
    }
    return value;
  }

  layer(layer: JsonObject): void {
    const config = isObject(layer.config) ? layer.config : undefined;
    const name = String(layer.name ?? config?.name ?? '?');
    let className = String(layer.class_name ?? '?');
    if (className in PACKAGED_CLASSES) {
      this.log.add(`read the registered class ${className} as ${PACKAGED_CLASSES[className]}`, name);
      className = PACKAGED_CLASSES[className];
      layer.class_name = className;
    }
    const module = typeof layer.module === 'string' ? layer.module : '';
    if (/(^|\.)ops(\.|$)/.test(module)) {
      this.fail(name, `is the Keras operation ${module.replace(/^keras\.src\./, 'keras.')}.${className} applied directly in the model (not a layer); tfjs can only build layers. Replace it with a layer (e.g. keras.layers.${className}) before converting.`);
    }
    if (MODEL_CLASSES.has(className)) {
      this.model(layer, name);
    } else {
      this.dropMetadata(layer, name);
      if (config) this.layerConfig(className, config, name);
    }
    if ('inbound_nodes' in layer) {
      layer.inbound_nodes = className === 'MultiHeadAttention'
        ? this.attentionNodes(layer.inbound_nodes, name)
        : this.inboundNodes(layer.inbound_nodes, name);
    }
  }

  /**
   * MultiHeadAttention is called as mha(query, value[, key]): Keras 3 lists the tensors as
   * positional args (or kwargs), Keras 2 puts the first in the node and the others in its kwargs
   * as [layer, node, tensor]. tfjs's layer takes them as one input list [query, value(, key)].
   */
  private attentionNodes(nodes: Json, name: string): Json {
    if (!Array.isArray(nodes)) return nodes;
    return nodes.map((node) => {
      if (isObject(node)) {
        this.log.add('converted Keras 3 inbound_nodes to the Keras 2 form', name);
        return this.attentionNode(Array.isArray(node.args) ? node.args : [], isObject(node.kwargs) ? node.kwargs : {}, name, isKerasTensor);
      }
      // Keras 2: [[query layer, node, tensor, kwargs]] with value/key endpoints inside kwargs.
      if (!Array.isArray(node) || node.length !== 1 || !Array.isArray(node[0]) || !isEndpoint(node[0].slice(0, 3))) return node;
      const [layerName, nodeIndex, tensorIndex, kwargs] = node[0] as [string, number, number, Json?];
      const moved = isObject(kwargs) && ATTENTION_INPUTS.some((k) => isEndpoint(kwargs[k]));
      if (!moved && !(isObject(kwargs) && ATTENTION_OPTIONS.some((k) => k in kwargs))) return node;
      if (moved) this.log.add('moved MultiHeadAttention\'s value/key tensors from the call\'s keyword arguments into its input list', name);
      return this.attentionNode([[layerName, nodeIndex, tensorIndex]], isObject(kwargs) ? kwargs : {}, name, isEndpoint);
    });
  }

  /** One MultiHeadAttention call → Keras 2 node entries [[query…], [value…](, [key…])] sharing the kept kwargs. */
  private attentionNode(args: Json[], kwargs: JsonObject, name: string, isTensor: (v: unknown) => boolean): Json {
    const tensors: Record<string, Json> = {};
    args.forEach((arg, i) => {
      if (arg === null) return;
      if (i >= ATTENTION_INPUTS.length || !isTensor(arg)) {
        this.fail(name, `is a MultiHeadAttention called with positional argument ${i + 1} = ${JSON.stringify(arg).slice(0, 80)}; only query, value and key tensors are supported.`);
      }
      tensors[ATTENTION_INPUTS[i]] = arg;
    });
    const kept: JsonObject = {};
    for (const [key, value] of Object.entries(kwargs)) {
      if ((ATTENTION_INPUTS as readonly string[]).includes(key)) {
        if (value === null) continue;
        if (!isTensor(value)) this.fail(name, `is a MultiHeadAttention called with ${key}=${JSON.stringify(value).slice(0, 80)}, not a tensor.`);
        tensors[key] = value;
      } else if (ATTENTION_OPTIONS.includes(key)) {
        if (value === null || value === false) continue;
        this.fail(name, `is a MultiHeadAttention called with ${key}=${value === true ? 'True' : 'a tensor'}, which is not supported (no attention masks, no causal masking, no returned attention scores).`);
      } else if (isTensor(value) || (Array.isArray(value) && value.some(isTensor))) {
        this.fail(name, `is called with the tensor keyword argument "${key}", which tfjs cannot pass.`);
      } else {
        kept[key] = value;
      }
    }
    if (!tensors.query || !tensors.value) this.fail(name, 'is a MultiHeadAttention called without both a query and a value tensor.');
    const order = tensors.key ? ATTENTION_INPUTS : (['query', 'value'] as const);
    return order.map((k) => {
      const t = tensors[k];
      const history = isEndpoint(t) ? t : isObject(t) && isObject(t.config) ? t.config.keras_history : undefined;
      if (!isEndpoint(history)) this.fail(name, `has a ${k} tensor without a valid keras_history [layer, node, tensor].`);
      return [history[0], history[1], history[2], kept];
    });
  }

  private layerConfig(className: string, config: JsonObject, name: string): void {
    this.upgradeConfig(className, config, name);
    if (WRAPPER_CLASSES.has(className)) {
      if (isObject(config.layer)) this.layer(config.layer);
      if (isObject(config.backward_layer)) this.layer(config.backward_layer);
    }
  }

  /** Keras 3 nodes are {args, kwargs} with __keras_tensor__ references; Keras 2 lists [name, node, tensor, kwargs] per input. */
  private inboundNodes(nodes: Json, name: string): Json {
    if (!Array.isArray(nodes)) return nodes;
    let converted = false;
    const out = nodes.map((node) => {
      if (!isObject(node)) return node;
      converted = true;
      return this.node(node, name);
    });
    if (converted) this.log.add('converted Keras 3 inbound_nodes to the Keras 2 form', name);
    return out;
  }

  private node(node: JsonObject, name: string): Json {
    const args = Array.isArray(node.args) ? node.args : [];
    const kwargs = isObject(node.kwargs) ? node.kwargs : {};
    const hasTensor = (v: unknown): boolean =>
      isKerasTensor(v) || (Array.isArray(v) && v.some(hasTensor)) || (isObject(v) && !isKerasTensor(v) && Object.values(v).some(hasTensor));
    if (args.length === 0) this.fail(name, 'is called without input tensors in inbound_nodes.');
    const [first, ...rest] = args;
    if (rest.some((a) => a !== null)) {
      this.fail(name, `is called with ${args.length} positional arguments (${rest.some(hasTensor) ? 'several tensor arguments' : 'extra constant arguments'}); tfjs passes a layer one input (or one list of inputs).`);
    }
    const inputs = isKerasTensor(first) ? [first] : Array.isArray(first) ? first : null;
    if (!inputs || !inputs.every(isKerasTensor)) {
      this.fail(name, `is called on ${JSON.stringify(first).slice(0, 120)}, not on a tensor or a flat list of tensors.`);
    }
    const keptKwargs: JsonObject = {};
    for (const [key, value] of Object.entries(kwargs)) {
      if (hasTensor(value)) this.fail(name, `is called with the tensor keyword argument "${key}", which tfjs cannot pass.`);
      keptKwargs[key] = value;
    }
    return inputs.map((tensor) => {
      const history = isObject(tensor.config) ? tensor.config.keras_history : undefined;
      if (!isEndpoint(history)) this.fail(name, 'has an input tensor without a valid keras_history [layer, node, tensor].');
      return [history[0], history[1], history[2], keptKwargs];
    });
  }
}

/**
 * Returns a Keras-2-style copy of `topology` (a modelTopology, with or without `model_config`) that
 * tfjs 4.x can build, and what was changed in words. A Keras 2 topology comes back equal, with no changes.
 */
export function upgradeKerasTopology(topology: unknown, source = 'model.json'): { topology: unknown; changes: string[] } {
  if (!isObject(topology)) return { topology, changes: [] };
  const copy = structuredClone(topology) as JsonObject;
  const upgrader = new Upgrader(source);
  const model = isObject(copy.model_config) ? copy.model_config : copy;
  if (typeof model.class_name === 'string') {
    if (MODEL_CLASSES.has(model.class_name)) upgrader.model(model, String((isObject(model.config) && model.config.name) || model.class_name));
    else upgrader.layer(model);
  }
  const changes = upgrader.log.list();
  const keras3 = changes.length > 0 || /^3\./.test(String(copy.keras_version ?? ''));
  if (keras3 && upgrader.changedActivations.length > 0) {
    const [layer, id] = upgrader.changedActivations[0];
    upgrader.fail(layer, `uses the ${id} activation, which tfjs cannot reproduce: ${CHANGED_ACTIVATIONS[id]}.`);
  }
  return changes.length === 0 ? { topology, changes } : { topology: copy, changes };
}

/** Every layer name in the topology, nested models' layers included (the outer model's own name is not a layer). */
function layerNames(topology: unknown): Set<string> {
  const names = new Set<string>();
  const visitLayers = (layers: unknown) => {
    if (!Array.isArray(layers)) return;
    for (const layer of layers) {
      if (!isObject(layer)) continue;
      const config = isObject(layer.config) ? layer.config : undefined;
      for (const n of [layer.name, config?.name]) if (typeof n === 'string') names.add(n);
      if (config) {
        visitLayers(config.layers);
        if (isObject(config.layer)) visitLayers([config.layer]);
      }
    }
  };
  const root = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (isObject(root)) visitLayers(Array.isArray(root.config) ? root.config : isObject(root.config) ? root.config.layers : undefined);
  return names;
}

/**
 * Keras 3 weight paths can start with the model's name ("sequential/conv2d/kernel") where tfjs
 * looks for "conv2d/kernel"; drops such a leading segment when it names no layer but the next does.
 */
export function upgradeKerasWeightNames<W extends { name: string }>(topology: unknown, weights: W[]): { weights: W[]; changes: string[] } {
  const names = layerNames(topology);
  const prefixes = new Set<string>();
  const renamed = weights.map((w) => {
    if (typeof w?.name !== 'string') return w;
    const parts = w.name.split('/');
    if (parts.length >= 3 && !names.has(parts[0]) && names.has(parts[1])) {
      prefixes.add(parts[0]);
      return { ...w, name: parts.slice(1).join('/') };
    }
    return w;
  });
  if (prefixes.size === 0) return { weights, changes: [] };
  return { weights: renamed, changes: [`dropped the model-name prefix ${[...prefixes].map((p) => `"${p}/"`).join(', ')} from weight names`] };
}

interface ModelJsonLike { modelTopology: unknown; weightsManifest: { paths: string[]; weights: { name: string }[] }[] }

/** Upgrades a parsed model.json: its topology and, to match, its weight names. */
export function upgradeKerasModelJson<T extends ModelJsonLike>(json: T, source = 'model.json'): { json: T; changes: string[] } {
  const { topology, changes } = upgradeKerasTopology(json.modelTopology, source);
  const weightChanges: string[] = [];
  const weightsManifest = json.weightsManifest.map((group) => {
    const { weights, changes: c } = upgradeKerasWeightNames(topology, group.weights);
    weightChanges.push(...c);
    return weights === group.weights ? group : { ...group, weights };
  });
  const all = [...changes, ...new Set(weightChanges)];
  if (all.length === 0) return { json, changes: [] };
  return { json: { ...json, modelTopology: topology, weightsManifest }, changes: all };
}
