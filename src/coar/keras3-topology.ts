/**
 * Rewrites a Keras 3 model description (as tensorflowjs_converter writes it from TensorFlow ≥ 2.16)
 * into the Keras 2 form that tfjs 4.x builds. Keras 3 renamed or restructured several fields
 * (InputLayer `batch_shape`, DTypePolicy objects for `dtype`, `{args, kwargs}` inbound nodes,
 * `module`/`registered_name` metadata, LeakyReLU `negative_slope`, …); tfjs either rejects them with
 * an unhelpful message or, worse, silently builds a different model. This is a pure transform of
 * JSON data: nothing in the file is evaluated. Anything without a faithful Keras 2 equivalent is
 * refused with a CoarError naming the layer and the construct.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from './errors';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);
const WRAPPER_CLASSES = new Set(['TimeDistributed', 'Bidirectional']);

/** Keras 3 activation names that tfjs knows under another name. */
const ACTIVATION_ALIASES: Record<string, string> = { silu: 'swish' };
/** Keras 3 activations whose formula differs from tfjs's function of the same name. */
const CHANGED_ACTIVATIONS: Record<string, string> = {
  hard_sigmoid: 'Keras 3 computes hard_sigmoid as relu6(x + 3) / 6, tfjs as clip(0.2x + 0.5)',
};
/** tfjs activation identifiers, in the snake_case that model.json uses. */
const TFJS_ACTIVATIONS = new Set(['elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hard_sigmoid', 'softplus', 'softsign',
  'tanh', 'softmax', 'log_softmax', 'gelu', 'gelu_new', 'mish', 'swish']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKerasTensor = (v: unknown): v is JsonObject => isObject(v) && v.class_name === '__keras_tensor__';
/** A Keras 2 tensor reference: [layerName, nodeIndex, tensorIndex]. */
const isEndpoint = (v: unknown): v is [string, number, number] =>
  Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number';

/** Collects what was changed, per kind of change, with the layers it touched. */
class ChangeLog {
  private readonly kinds = new Map<string, Set<string>>();
  add(what: string, layer: string): void {
    const layers = this.kinds.get(what) ?? new Set<string>();
    layers.add(layer);
    this.kinds.set(what, layers);
  }
  list(): string[] {
    return [...this.kinds].map(([what, layers]) => {
      const names = [...layers];
      const shown = names.slice(0, 4).map((n) => `"${n}"`).join(', ') + (names.length > 4 ? `, … (${names.length} layers)` : '');
      return `${what} (${shown})`;
    });
  }
}

class Upgrader {
  readonly log = new ChangeLog();
  /** Activations that mean something else in Keras 3; only an error once the file is known to be Keras 3. */
  readonly changedActivations: [layer: string, activation: string][] = [];
  private readonly known = tf.serialization.SerializationMap.getMap().classNameMap;
  constructor(private readonly source: string) {}

  fail(layer: string, what: string): never {
    throw new CoarError(`${this.source}: layer "${layer}" ${what}`, 'unsupported-layer');
  }

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
    const className = String(layer.class_name ?? '?');
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
    if ('inbound_nodes' in layer) layer.inbound_nodes = this.inboundNodes(layer.inbound_nodes, name);
  }

  private layerConfig(className: string, config: JsonObject, name: string): void {
    this.dtype(config, name);
    if (className === 'InputLayer') {
      if ('batch_shape' in config) {
        if (!('batch_input_shape' in config)) config.batch_input_shape = config.batch_shape;
        delete config.batch_shape;
        this.log.add('renamed InputLayer batch_shape to batch_input_shape', name);
      }
      if (config.optional === true) this.fail(name, 'is an optional input (optional=True), which tfjs does not support.');
      if ('optional' in config) {
        delete config.optional;
        this.log.add('dropped InputLayer optional=False', name);
      }
    }
    for (const [key, value] of Object.entries(config)) {
      if (key.endsWith('_initializer')) config[key] = this.initializer(value, key, name);
      else if (key.endsWith('_regularizer')) config[key] = this.regularizer(value, key, name);
      else if (key.endsWith('_constraint')) config[key] = this.constraint(value, key, name);
      else if (key === 'activation' || key === 'recurrent_activation') config[key] = this.activation(value, key, name);
    }
    this.layerSpecific(className, config, name);
    if (WRAPPER_CLASSES.has(className)) {
      if (isObject(config.layer)) this.layer(config.layer);
      if (isObject(config.backward_layer)) this.layer(config.backward_layer);
    }
  }

  /** Fields whose meaning or name changed between Keras 2 and 3 for particular layers. */
  private layerSpecific(className: string, config: JsonObject, name: string): void {
    const nonzero = (v: Json | undefined) => typeof v === 'number' && v !== 0;
    switch (className) {
      case 'LeakyReLU':
        if ('negative_slope' in config) {
          config.alpha = config.negative_slope;
          delete config.negative_slope;
          this.log.add('renamed LeakyReLU negative_slope to alpha', name);
        }
        break;
      case 'ReLU':
        if (nonzero(config.negative_slope) || nonzero(config.threshold)) {
          this.fail(name, 'is a ReLU with negative_slope or threshold set, which tfjs\'s ReLU layer does not support.');
        }
        break;
      case 'BatchNormalization':
        if (Array.isArray(config.axis) && config.axis.length === 1) {
          config.axis = config.axis[0];
          this.log.add('unwrapped the BatchNormalization axis list', name);
        } else if (Array.isArray(config.axis)) {
          this.fail(name, `normalizes over several axes (${JSON.stringify(config.axis)}), which tfjs does not support.`);
        }
        if (config.renorm === true) this.fail(name, 'uses batch renormalization (renorm=True), which tfjs does not support.');
        break;
      case 'GlobalAveragePooling1D': case 'GlobalAveragePooling2D': case 'GlobalMaxPooling1D': case 'GlobalMaxPooling2D':
        if (config.keepdims === true) this.fail(name, `is a ${className} with keepdims=True, which tfjs does not support.`);
        break;
      default:
        break;
    }
    if (typeof config.groups === 'number' && config.groups > 1) {
      this.fail(name, `is a grouped convolution (groups=${config.groups}), which tfjs does not support.`);
    }
    if (config.lora_rank) this.fail(name, `has LoRA weights (lora_rank=${JSON.stringify(config.lora_rank)}); merge them into the kernel before converting.`);
    if (config.quantization_config != null) this.fail(name, 'is quantized (quantization_config is set), which tfjs cannot build.');
  }

  /** Keras 3 writes dtype as a DTypePolicy object; tfjs wants the dtype name. */
  private dtype(config: JsonObject, name: string): void {
    const policy = config.dtype;
    if (!isObject(policy)) return;
    const className = String(policy.class_name ?? '');
    const policyName = isObject(policy.config) ? policy.config.name : undefined;
    if (!/DTypePolicy$/.test(className) || typeof policyName !== 'string') {
      this.fail(name, `has a dtype written as ${JSON.stringify(policy).slice(0, 120)}, which is not a Keras DTypePolicy.`);
    }
    if (/Quantized/.test(className) || /^(int8|int4|float8)_from_/.test(policyName)) {
      this.fail(name, `is quantized (dtype policy "${policyName}"), which tfjs cannot build.`);
    }
    const mixed = /^mixed_(b?float16)$/.exec(policyName);
    if (mixed) {
      // Mixed precision keeps float32 variables; tfjs computes in float32 throughout.
      config.dtype = 'float32';
      this.log.add(`ran the ${policyName} DTypePolicy as float32`, name);
      return;
    }
    config.dtype = policyName;
    this.log.add('replaced DTypePolicy objects with their dtype name', name);
  }

  /** Removes Keras 3 `module` / `registered_name` fields, which only Python uses to find classes. */
  private dropMetadata(obj: JsonObject, name: string): void {
    let dropped = false;
    for (const key of ['module', 'registered_name'] as const) {
      if (key in obj) {
        delete obj[key];
        dropped = true;
      }
    }
    if (dropped) this.log.add('dropped Keras 3 module/registered_name fields', name);
  }

  private serializedObject(value: Json, name: string): JsonObject | null {
    if (value === null) return null;
    if (!isObject(value) || typeof value.class_name !== 'string') return value as JsonObject;
    this.dropMetadata(value, name);
    if (!isObject(value.config)) value.config = {};
    return value;
  }

  /** Initializers only fill weights that the weight file then overwrites, so an unknown one can safely become Zeros. */
  private initializer(value: Json, key: string, name: string): Json {
    if (typeof value === 'string') return value;
    const init = this.serializedObject(value, name);
    if (!init || typeof init.class_name !== 'string') return init;
    if (!(init.class_name in this.known)) {
      this.log.add(`replaced ${key} ${init.class_name}, which tfjs lacks, with Zeros (the weights file sets the values)`, name);
      return { class_name: 'Zeros', config: {} };
    }
    return init;
  }

  /** Regularizers only shape training; tfjs has one L1L2 class for Keras's L1, L2 and L1L2. */
  private regularizer(value: Json, key: string, name: string): Json {
    const reg = this.serializedObject(value, name);
    if (!reg || typeof reg.class_name !== 'string') return reg;
    const config = reg.config as JsonObject;
    if (reg.class_name === 'L1' || reg.class_name === 'L2') {
      const l1 = reg.class_name === 'L1' ? config.l1 ?? 0.01 : 0;
      const l2 = reg.class_name === 'L2' ? config.l2 ?? 0.01 : 0;
      this.log.add(`rewrote ${reg.class_name} regularizers as L1L2`, name);
      return { class_name: 'L1L2', config: { l1, l2 } };
    }
    if (!(reg.class_name in this.known)) {
      this.log.add(`dropped training-only ${key} (${reg.class_name}) that tfjs lacks`, name);
      return null;
    }
    return reg;
  }

  /** Constraints only act during training, so one tfjs lacks can be dropped for inference. */
  private constraint(value: Json, key: string, name: string): Json {
    const con = this.serializedObject(value, name);
    if (!con || typeof con.class_name !== 'string') return con;
    if (!(con.class_name in this.known)) {
      this.log.add(`dropped training-only ${key} (${con.class_name}) that tfjs lacks`, name);
      return null;
    }
    return con;
  }

  private activation(value: Json, key: string, name: string): Json {
    let id = value;
    if (isObject(value)) {
      // A serialized function: {"class_name": "function", "config": "relu", ...}.
      const inner = value.config;
      id = typeof inner === 'string' ? inner : typeof value.registered_name === 'string' ? value.registered_name : null;
      if (typeof id !== 'string') this.fail(name, `has a ${key} written as an object tfjs cannot read (${JSON.stringify(value).slice(0, 120)}).`);
      this.log.add('replaced serialized activation functions with their names', name);
    }
    if (typeof id !== 'string') return id;
    if (id in CHANGED_ACTIVATIONS) this.changedActivations.push([name, id]);
    const alias = ACTIVATION_ALIASES[id];
    if (alias) {
      this.log.add(`renamed the ${id} activation to ${alias}`, name);
      return alias;
    }
    if (!TFJS_ACTIVATIONS.has(id)) this.fail(name, `uses the activation "${id}", which tfjs does not have.`);
    return id;
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
