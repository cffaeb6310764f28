/**
 * Keras's MultiHeadAttention (tf.keras 2.x and Keras 3) as a tfjs layer, for sequences [B, T, D].
 *
 * Weights, named and shaped as Keras's EinsumDense sub-layers write them (so a file from
 * tensorflowjs_converter loads as it is), in this order:
 *   query/kernel [Dq, H, key_dim]   query/bias [H, key_dim]
 *   key/kernel   [Dk, H, key_dim]   key/bias   [H, key_dim]
 *   value/kernel [Dv, H, value_dim] value/bias [H, value_dim]
 *   attention_output/kernel [H, value_dim, Dout]  attention_output/bias [Dout]
 * (no biases with use_bias=false; Dout is output_shape, else Dq).
 *
 * Computation (Keras's): q = x_q·Wq + bq scaled by 1/√key_dim, k = x_k·Wk + bk, v = x_v·Wv + bv;
 * per head, softmax(q kᵀ) over the key positions (dropout on it in training), times v; the heads'
 * contexts [B, Tq, H, value_dim] projected by attention_output to [B, Tq, Dout]. Written with
 * reshape / transpose / matMul only, so gradients work on every backend (wasm included).
 *
 * Inputs: [query, value] or [query, value, key] (key defaults to value). Not supported, refused
 * with an Error naming the layer and the option: attention over other axes (attention_axes other
 * than the sequence axis), inputs not of rank 3, attention masks, causal masks, returning the
 * attention scores, a multi-dimensional output_shape.
 *
 * For COAR's masking code: headOutputs() (per-head contexts, before the output projection),
 * project() (the output projection of given head contexts), attentionScores(), numHeads,
 * keyDim, valueDim, outputKernel (the attention_output/kernel variable), isSelfAttention.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type Constraint, type Identifier, type Initializer, type LayerArgs, type Regularizer,
  resolveConstraint, resolveInitializer, resolveRegularizer, serialize, shapeList,
} from './serial';

type Shape = (number | null)[];

export interface MultiHeadAttentionArgs extends LayerArgs {
  numHeads: number;
  keyDim: number;
  valueDim?: number | null;
  dropout?: number;
  useBias?: boolean;
  /** Output feature size (Keras: an int or a one-element tuple); default the query's feature size. */
  outputShape?: number | (number | null)[] | null;
  /** Only null or the sequence axis (1, [1], -2 or [-2]) is supported. */
  attentionAxes?: number | number[] | null;
  kernelInitializer?: Identifier<Initializer>;
  biasInitializer?: Identifier<Initializer>;
  kernelRegularizer?: Identifier<Regularizer>;
  biasRegularizer?: Identifier<Regularizer>;
  activityRegularizer?: Identifier<Regularizer>;
  kernelConstraint?: Identifier<Constraint>;
  biasConstraint?: Identifier<Constraint>;
  /** Keras 2.13+ writes the build shapes into the config; kept for the round trip. */
  queryShape?: Shape | null;
  keyShape?: Shape | null;
  valueShape?: Shape | null;
  /** Keras 3: dropout seed, flash attention (a speed choice; same result). Kept for the round trip. */
  seed?: number | null;
  flashAttention?: boolean | null;
}

/** Keyword arguments Keras passes to MultiHeadAttention's call, camel-cased as tfjs hands them over. */
const CALL_OPTIONS = ['attentionMask', 'queryMask', 'valueMask', 'keyMask', 'useCausalMask', 'returnAttentionScores'] as const;

export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropoutRate: number;
  readonly useBias: boolean;
  /** The configured output feature size (null: the query's feature size). */
  readonly outputDim: number | null;
  private readonly attentionAxes: number | number[] | null;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;
  private readonly kernelConstraint: Constraint | null;
  private readonly biasConstraint: Constraint | null;
  private readonly extra: { queryShape?: Shape | null; keyShape?: Shape | null; valueShape?: Shape | null; seed?: number | null; flashAttention?: boolean | null };

  queryKernel!: tf.LayerVariable;
  queryBias: tf.LayerVariable | null = null;
  keyKernel!: tf.LayerVariable;
  keyBias: tf.LayerVariable | null = null;
  valueKernel!: tf.LayerVariable;
  valueBias: tf.LayerVariable | null = null;
  /** attention_output/kernel [H, value_dim, Dout]: row (h, ·) is head h's contribution to the output. */
  outputKernel!: tf.LayerVariable;
  outputBias: tf.LayerVariable | null = null;

  constructor(args: MultiHeadAttentionArgs) {
    const {
      numHeads, keyDim, valueDim, dropout, useBias, outputShape, attentionAxes,
      kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, activityRegularizer,
      kernelConstraint, biasConstraint, queryShape, keyShape, valueShape, seed, flashAttention, ...base
    } = args;
    const activity = resolveRegularizer(activityRegularizer, 'MultiHeadAttention');
    super({ ...base, ...(activity ? { activityRegularizer: activity } : {}) } as LayerArgs);
    const where = `MultiHeadAttention "${this.name}"`;
    const positiveInt = (v: unknown, option: string) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${where}: ${option} must be a positive integer (got ${JSON.stringify(v)})`);
      return v;
    };
    this.numHeads = positiveInt(numHeads, 'num_heads');
    this.keyDim = positiveInt(keyDim, 'key_dim');
    this.valueDim = valueDim == null ? this.keyDim : positiveInt(valueDim, 'value_dim');
    this.dropoutRate = dropout ?? 0;
    if (!(this.dropoutRate >= 0 && this.dropoutRate < 1)) throw new Error(`${where}: dropout must be in [0, 1) (got ${dropout})`);
    this.useBias = useBias ?? true;
    const out = outputShape == null ? null : shapeList(outputShape);
    if (outputShape != null && (!out || out.length !== 1 || out[0] == null)) {
      throw new Error(`${where}: output_shape ${JSON.stringify(outputShape)} is not supported (only one output feature size)`);
    }
    this.outputDim = out ? positiveInt(out[0], 'output_shape') : null;
    const axes = attentionAxes == null ? null : Array.isArray(attentionAxes) ? attentionAxes : [attentionAxes];
    if (axes && !(axes.length === 1 && (axes[0] === 1 || axes[0] === -2))) {
      throw new Error(`${where}: attention_axes ${JSON.stringify(attentionAxes)} is not supported (only attention over the sequence axis of [batch, sequence, features] inputs)`);
    }
    this.attentionAxes = attentionAxes ?? null;
    this.kernelInitializer = resolveInitializer(kernelInitializer, 'glorotUniform', where);
    this.biasInitializer = resolveInitializer(biasInitializer, 'zeros', where);
    this.kernelRegularizer = resolveRegularizer(kernelRegularizer, where);
    this.biasRegularizer = resolveRegularizer(biasRegularizer, where);
    this.kernelConstraint = resolveConstraint(kernelConstraint, where);
    this.biasConstraint = resolveConstraint(biasConstraint, where);
    this.extra = { queryShape, keyShape, valueShape, seed, flashAttention };
    this.supportsMasking = false;
  }

  private get where(): string {
    return `MultiHeadAttention "${this.name}"`;
  }

  /** [query, value] or [query, value, key] shapes, each of rank 3. */
  private shapes(inputShape: tf.Shape | tf.Shape[]): [tf.Shape, tf.Shape, tf.Shape] {
    const list = Array.isArray(inputShape[0]) || inputShape[0] === undefined ? inputShape as tf.Shape[] : null;
    if (!list || list.length < 2 || list.length > 3) {
      throw new Error(`${this.where}: expects the inputs [query, value] or [query, value, key] (a self-attention layer is called as mha(x, x))`);
    }
    for (const [i, s] of list.entries()) {
      if (s.length !== 3) {
        throw new Error(`${this.where}: input ${['query', 'value', 'key'][i]} has rank ${s.length} (shape ${JSON.stringify(s)}); only [batch, sequence, features] inputs (rank 3) are supported`);
      }
    }
    return [list[0], list[1], list[2] ?? list[1]];
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const [q, v, k] = this.shapes(inputShape);
    const dim = (s: tf.Shape, which: string) => {
      const d = s[2];
      if (d == null) throw new Error(`${this.where}: the ${which} feature size must be known`);
      return d;
    };
    const dq = dim(q, 'query');
    const dk = dim(k, 'key');
    const dv = dim(v, 'value');
    const dOut = this.outputDim ?? dq;
    const H = this.numHeads;
    const kernel = (name: string, shape: number[]) =>
      this.addWeight(name, shape, 'float32', this.kernelInitializer, this.kernelRegularizer ?? undefined, true, this.kernelConstraint ?? undefined);
    const bias = (name: string, shape: number[]) => this.useBias
      ? this.addWeight(name, shape, 'float32', this.biasInitializer, this.biasRegularizer ?? undefined, true, this.biasConstraint ?? undefined)
      : null;
    this.queryKernel = kernel('query/kernel', [dq, H, this.keyDim]);
    this.queryBias = bias('query/bias', [H, this.keyDim]);
    this.keyKernel = kernel('key/kernel', [dk, H, this.keyDim]);
    this.keyBias = bias('key/bias', [H, this.keyDim]);
    this.valueKernel = kernel('value/kernel', [dv, H, this.valueDim]);
    this.valueBias = bias('value/bias', [H, this.valueDim]);
    this.outputKernel = kernel('attention_output/kernel', [H, this.valueDim, dOut]);
    this.outputBias = bias('attention_output/bias', [dOut]);
    this.built = true;
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [q] = this.shapes(inputShape);
    return [q[0], q[1], this.outputDim ?? q[2]];
  }

  /** Self-attention: every call of the layer in its model takes the same tensor as query, value (and key). */
  get isSelfAttention(): boolean {
    if (this.inboundNodes.length === 0) return false;
    return this.inboundNodes.every((node) => node.inputTensors.length >= 2 && node.inputTensors.every((t) => t === node.inputTensors[0]));
  }

  private checkRank(t: tf.Tensor, which: string): void {
    if (t.rank !== 3) throw new Error(`${this.where}: input ${which} has rank ${t.rank} (shape ${JSON.stringify(t.shape)}); only [batch, sequence, features] inputs (rank 3) are supported`);
  }

  /** x [B, T, D] · kernel [D, H, E] + bias [H, E] → [B, H, T, E]. */
  private projectHeads(x: tf.Tensor, kernel: tf.LayerVariable, bias: tf.LayerVariable | null): tf.Tensor4D {
    const [B, T, D] = x.shape;
    const [, H, E] = kernel.shape as number[];
    let y = tf.matMul(x.reshape([B * T, D]) as tf.Tensor2D, kernel.read().reshape([D, H * E]) as tf.Tensor2D);
    if (bias) y = y.add(bias.read().reshape([1, H * E]));
    return y.reshape([B, T, H, E]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
  }

  /** Softmax attention weights [B, H, Tq, Tk] (the probabilities, before dropout). */
  attentionScores(query: tf.Tensor, value: tf.Tensor, key?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.probabilities(query, key ?? value));
  }

  private probabilities(query: tf.Tensor, key: tf.Tensor): tf.Tensor4D {
    this.checkRank(query, 'query');
    this.checkRank(key, 'key');
    const q = this.projectHeads(query, this.queryKernel, this.queryBias).mul(1 / Math.sqrt(this.keyDim));
    const k = this.projectHeads(key, this.keyKernel, this.keyBias);
    return tf.softmax(tf.matMul(q as tf.Tensor4D, k, false, true), -1) as tf.Tensor4D;
  }

  private contexts(query: tf.Tensor, value: tf.Tensor, key: tf.Tensor | undefined, training: boolean): tf.Tensor {
    this.checkRank(value, 'value');
    let probs: tf.Tensor4D = this.probabilities(query, key ?? value);
    if (training && this.dropoutRate > 0) probs = tf.dropout(probs, this.dropoutRate) as tf.Tensor4D;
    const v = this.projectHeads(value, this.valueKernel, this.valueBias);
    return tf.matMul(probs, v).transpose([0, 2, 1, 3]); // [B, Tq, H, value_dim]
  }

  /** Per-head attention contexts [B, Tq, H, value_dim], before the output projection (inference: no dropout). */
  headOutputs(query: tf.Tensor, value: tf.Tensor, key?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.contexts(query, value, key, false));
  }

  /** Head contexts [B, Tq, H, value_dim] → [B, Tq, Dout]: the sum over heads and value_dim with attention_output/kernel, plus its bias. */
  project(heads: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [H, E, dOut] = this.outputKernel.shape as number[];
      if (heads.rank !== 4 || heads.shape[2] !== H || heads.shape[3] !== E) {
        throw new Error(`${this.where}: project() takes head contexts [batch, sequence, ${H}, ${E}], got ${JSON.stringify(heads.shape)}`);
      }
      const [B, T] = heads.shape;
      let y = tf.matMul(heads.reshape([B * T, H * E]) as tf.Tensor2D, this.outputKernel.read().reshape([H * E, dOut]) as tf.Tensor2D);
      if (this.outputBias) y = y.add(this.outputBias.read().reshape([1, dOut]));
      return y.reshape([B, T, dOut]);
    });
  }

  /** Refuses the call options Keras has and this layer does not implement. */
  private checkCallOptions(kwargs: tf.serialization.ConfigDict | undefined): void {
    if (!kwargs) return;
    for (const option of CALL_OPTIONS) {
      const value = kwargs[option];
      if (value == null || value === false) continue;
      const keras = option.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      throw new Error(`${this.where}: the call option ${keras}=${value === true ? 'True' : 'a tensor'} is not supported (no masks, no causal masking, no returned attention scores)`);
    }
  }

  apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    this.checkCallOptions(kwargs);
    return super.apply(inputs, kwargs);
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    this.checkCallOptions(kwargs);
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs.length > 3) {
      throw new Error(`${this.where}: expects the inputs [query, value] or [query, value, key]`);
    }
    const [query, value, key] = inputs;
    return tf.tidy(() => this.project(this.contexts(query, value, key, kwargs?.training === true)));
  }

  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropoutRate,
      useBias: this.useBias,
      outputShape: this.outputDim,
      attentionAxes: this.attentionAxes,
      kernelInitializer: serialize(this.kernelInitializer),
      biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer),
      biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer ?? null),
      kernelConstraint: serialize(this.kernelConstraint),
      biasConstraint: serialize(this.biasConstraint),
    };
    for (const [k, v] of Object.entries(this.extra)) if (v !== undefined) config[k] = v;
    return { ...super.getConfig(), ...config };
  }
}
