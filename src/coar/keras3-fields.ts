/**
 * The per-layer part of reading a Keras 3 model description: each layer's own fields (dtype
 * policies, InputLayer shape, initializers, regularizers, constraints, activations, and fields
 * whose meaning changed for particular layers), rewritten in the Keras 2 form tfjs builds.
 * keras3-topology.ts walks the model's structure and calls this for every layer.
 */
import * as tf from '@tensorflow/tfjs';
import { CoarError } from './errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Keras 3 activation names that tfjs knows under another name. */
const ACTIVATION_ALIASES: Record<string, string> = { silu: 'swish' };
/** Keras 3 activations whose formula differs from tfjs's function of the same name. */
export const CHANGED_ACTIVATIONS: Record<string, string> = {
  hard_sigmoid: 'Keras 3 computes hard_sigmoid as relu6(x + 3) / 6, tfjs as clip(0.2x + 0.5)',
};
/** tfjs activation identifiers, in the snake_case that model.json uses. */
const TFJS_ACTIVATIONS = new Set(['elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hard_sigmoid', 'softplus', 'softsign',
  'tanh', 'softmax', 'log_softmax', 'gelu', 'gelu_new', 'mish', 'swish']);

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

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


/** Rewrites one layer's fields in place; the log says what changed, `fail` refuses what cannot be rewritten. */
export class FieldUpgrader {
  readonly log = new ChangeLog();
  /** Activations that mean something else in Keras 3; only an error once the file is known to be Keras 3. */
  readonly changedActivations: [layer: string, activation: string][] = [];
  private readonly known = tf.serialization.SerializationMap.getMap().classNameMap;
  constructor(private readonly source: string) {}

  fail(layer: string, what: string): never {
    throw new CoarError(`${this.source}: layer "${layer}" ${what}`, 'unsupported-layer');
  }

  /** A (non-model) layer's config, in place. */
  protected upgradeConfig(className: string, config: JsonObject, name: string): void {
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
      if (key.endsWith('_initializer') || key === 'initializer') config[key] = this.initializer(value, key, name);
      else if (key.endsWith('_regularizer')) config[key] = this.regularizer(value, key, name);
      else if (key.endsWith('_constraint')) config[key] = this.constraint(value, key, name);
      else if (key === 'activation' || key === 'recurrent_activation') config[key] = this.activation(value, key, name);
    }
    this.layerSpecific(className, config, name);
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
      case 'LayerNormalization':
        if (config.rms_scaling === true) this.fail(name, 'is a LayerNormalization with rms_scaling=True, which tfjs does not support.');
        if ('rms_scaling' in config) {
          delete config.rms_scaling;
          this.log.add('dropped LayerNormalization rms_scaling=False', name);
        }
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
  protected dtype(config: JsonObject, name: string): void {
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
  protected dropMetadata(obj: JsonObject, name: string): void {
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
}
