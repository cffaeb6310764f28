/**
 * Masked execution: run a LayersModel with some components switched off, by walking its graph
 * eagerly and scaling each component layer's output channels by a keep-mask.
 *
 * The keep-mask has one row per batch item ([B, N]: a different mask per sample, so one forward
 * pass covers many (example, mask) pairs) or a single row ([1, N]: one mask shared by the batch).
 * A component layer is run without its bias and activation, masked, then given both back:
 *   zero-weights  y = act(keep · Wx + b)            (the paper: weights zeroed, bias kept)
 *   zero-output   y = act(keep · (Wx + b))
 *   mean          y = act(keep · (Wx + b) + (1 − keep) · mean(Wx + b))
 * which equals zeroing the component's weights in a copy of the model (tested).
 * With one shared mask and a weight ablation, the mask goes on the kernel instead (kernel ·
 * keep, and bias · keep for zero-output): a tiny op in place of one over every activation, so
 * the layer keeps its fused conv + bias + activation and runs as fast as the plain model.
 */
import * as tf from '@tensorflow/tfjs';
import type { ComponentIndex, ComponentLayer } from './components';
import type { AblationKind } from './settings';
import { CoarError } from './errors';
import { findFinalActivation, scoreSourceProblem, type ScoreSource } from './scores';

interface GraphStep {
  layer: tf.layers.Layer;
  inputIds: number[];
  outputIds: number[];
  component?: ComponentLayer;
  /** The final softmax/sigmoid is bypassed here: 'skip' passes the input on, 'linear' runs the layer without its activation. */
  bypass?: 'skip' | 'linear';
}

/** Layer fields we switch off temporarily to get a component layer's pre-bias linear output. */
interface BiasedLayer {
  kernel?: tf.LayerVariable;
  depthwiseKernel?: tf.LayerVariable;
  useBias: boolean;
  activation: { apply(t: tf.Tensor): tf.Tensor; getClassName(): string };
  bias: tf.LayerVariable | null;
}

const linear = { apply: (t: tf.Tensor) => t, getClassName: () => 'linear' };

/** The order in which the model's nodes run, each after its inputs. */
function planGraph(model: tf.LayersModel, components: ComponentIndex): GraphStep[] {
  const byLayer = new Map(components.layers.map((c) => [c.layer, c]));
  const inModel = (model as unknown as { containerNodes: Set<string> }).containerNodes;
  const pending: GraphStep[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    layer.inboundNodes.forEach((node, i) => {
      if (inModel.size > 0 && !inModel.has(`${layer.name}_ib-${i}`)) return;
      pending.push({ layer, inputIds: node.inputTensors.map((t) => t.id), outputIds: node.outputTensors.map((t) => t.id), component: byLayer.get(layer) });
    });
  }
  const available = new Set(model.inputs.map((t) => t.id));
  const plan: GraphStep[] = [];
  while (pending.length) {
    const next = pending.findIndex((s) => s.inputIds.every((id) => available.has(id)));
    if (next < 0) break;
    const [step] = pending.splice(next, 1);
    step.outputIds.forEach((id) => available.add(id));
    plan.push(step);
  }
  if (!model.outputs.every((t) => available.has(t.id))) {
    throw new CoarError('The model graph could not be ordered for execution (a cycle or a disconnected output).', 'unsupported-model');
  }
  return plan;
}

export class MaskedModel {
  private readonly plan: GraphStep[];
  private meanActivations = new Map<ComponentLayer, tf.Tensor>();

  constructor(
    readonly model: tf.LayersModel,
    readonly components: ComponentIndex,
    readonly ablation: AblationKind = 'zero-weights',
    /** Which numbers come out of forward(): see scores.ts. */
    readonly scores: ScoreSource = 'as-is',
  ) {
    this.plan = planGraph(model, components);
    const final = findFinalActivation(model);
    const problem = scoreSourceProblem(scores, final);
    if (problem) throw new CoarError(`Scores "${scores}" do not fit this model: ${problem}.`, 'bad-scores');
    if (scores === 'before-activation') {
      const last = this.plan[this.plan.length - 1];
      const className = last.layer.getClassName();
      last.bypass = className === 'Softmax' || className === 'Activation' ? 'skip' : 'linear';
    }
  }

  /** Runs one graph step, honouring a bypassed final activation; `apply` runs the layer itself. */
  private runStep(step: GraphStep, arg: tf.Tensor | tf.Tensor[], apply: () => tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    if (step.bypass === 'skip') return arg;
    if (step.bypass !== 'linear') return apply();
    const layer = step.layer as unknown as BiasedLayer;
    const { activation } = layer;
    layer.activation = linear;
    try {
      return apply();
    } finally {
      layer.activation = activation;
    }
  }

  /** The scores the margin is computed on, from the graph's final output. */
  private finish(out: tf.Tensor): tf.Tensor {
    // Clamped so a probability that underflowed to 0 gives a large negative score, not −∞.
    return this.scores === 'log' ? out.maximum(1e-30).log() : out;
  }

  /**
   * Logits for input x [B, ...] with keep-masks [B, N] (per sample) or [1, N] (shared).
   * Call inside tf.tidy; the result is an ordinary tensor.
   */
  forward(x: tf.Tensor, keep: tf.Tensor2D): tf.Tensor {
    if (keep.shape[1] !== this.components.count) {
      throw new CoarError(`Keep-mask has ${keep.shape[1]} columns for ${this.components.count} components.`, 'shape-mismatch');
    }
    if (this.ablation === 'mean' && this.meanActivations.size === 0) {
      throw new CoarError('Mean ablation needs the mean activations first (setMeanActivationsFrom).', 'internal');
    }
    if (keep.shape[0] === 1 && this.ablation !== 'mean') return this.walkWithMaskedWeights(x, keep);
    return this.walk(x, (component, linearOut, bias) => this.applyMask(component, linearOut, bias, keep));
  }

  /** One mask for the whole batch: run each component layer with its kernel (and bias) masked. */
  private walkWithMaskedWeights(x: tf.Tensor, keep: tf.Tensor2D): tf.Tensor {
    const values = new Map<number, tf.Tensor>([[this.model.inputs[0].id, x]]);
    for (const step of this.plan) {
      const inputs = step.inputIds.map((id) => values.get(id)!);
      const arg = inputs.length === 1 ? inputs[0] : inputs;
      let out: tf.Tensor | tf.Tensor[];
      const c = step.component;
      if (c) {
        const layer = step.layer as unknown as BiasedLayer;
        const field = c.className === 'DepthwiseConv2D' ? 'depthwiseKernel' : 'kernel';
        const kernel = layer[field]!;
        const { bias } = layer;
        const channelKeep = keep.slice([0, c.offset], [1, c.count]).reshape([c.count]);
        const kernelKeep = c.className === 'DepthwiseConv2D' ? channelKeep.reshape(kernel.shape.slice(2) as number[]) : channelKeep;
        // tfjs layers read their variables at call time: lend masked stand-ins for one call.
        layer[field] = { read: () => kernel.read().mul(kernelKeep) } as unknown as tf.LayerVariable;
        if (bias && this.ablation === 'zero-output') layer.bias = { read: () => bias.read().mul(channelKeep) } as unknown as tf.LayerVariable;
        try {
          out = this.runStep(step, arg, () => step.layer.apply(arg, { training: false }) as tf.Tensor);
        } finally {
          layer[field] = kernel;
          layer.bias = bias;
        }
      } else {
        out = this.runStep(step, arg, () => step.layer.apply(arg, { training: false }) as tf.Tensor | tf.Tensor[]);
      }
      const outs = Array.isArray(out) ? out : [out];
      step.outputIds.forEach((id, k) => values.set(id, outs[k]));
    }
    return this.finish(values.get(this.model.outputs[0].id)!);
  }

  /** Runs the graph; `onComponent` turns a component layer's pre-bias output into its pre-activation output. */
  private walk(x: tf.Tensor, onComponent: (c: ComponentLayer, linearOut: tf.Tensor, bias: tf.Tensor | null) => tf.Tensor): tf.Tensor {
    const values = new Map<number, tf.Tensor>([[this.model.inputs[0].id, x]]);
    for (const step of this.plan) {
      const inputs = step.inputIds.map((id) => values.get(id)!);
      const arg = inputs.length === 1 ? inputs[0] : inputs;
      let out: tf.Tensor | tf.Tensor[];
      if (step.component) {
        // tfjs layers read `useBias`, `bias` and `activation` at call time: unset them for one call.
        const layer = step.layer as unknown as BiasedLayer;
        const { useBias, bias } = layer;
        const activation = step.bypass === 'linear' ? linear : layer.activation;
        const saved = layer.activation;
        layer.useBias = false;
        layer.bias = null;
        layer.activation = linear;
        let linearOut: tf.Tensor;
        try {
          linearOut = step.layer.apply(arg, { training: false }) as tf.Tensor;
        } finally {
          layer.useBias = useBias;
          layer.bias = bias;
          layer.activation = saved;
        }
        out = activation.apply(onComponent(step.component, linearOut, bias ? bias.read() : null));
      } else {
        out = this.runStep(step, arg, () => step.layer.apply(arg, { training: false }) as tf.Tensor | tf.Tensor[]);
      }
      const outs = Array.isArray(out) ? out : [out];
      step.outputIds.forEach((id, k) => values.set(id, outs[k]));
    }
    return this.finish(values.get(this.model.outputs[0].id)!);
  }

  private applyMask(c: ComponentLayer, linearOut: tf.Tensor, bias: tf.Tensor | null, keep: tf.Tensor2D): tf.Tensor {
    const rank = linearOut.rank;
    const rows = keep.shape[0];
    const layerKeep = keep.slice([0, c.offset], [rows, c.count]).reshape([rows, ...Array(rank - 2).fill(1), c.count]);
    const biased = () => (bias ? linearOut.add(bias) : linearOut);
    switch (this.ablation) {
      case 'zero-weights': {
        const kept = linearOut.mul(layerKeep);
        return bias ? kept.add(bias) : kept;
      }
      case 'zero-output':
        return biased().mul(layerKeep);
      case 'mean': {
        const mean = this.meanActivations.get(c)!;
        return biased().mul(layerKeep).add(mean.mul(tf.scalar(1).sub(layerKeep)));
      }
    }
  }

  /** Records each component layer's mean pre-activation output over these inputs (for 'mean' ablation). */
  setMeanActivationsFrom(x: tf.Tensor): void {
    this.disposeMeans();
    const sums = new Map<ComponentLayer, tf.Tensor>();
    tf.tidy(() => {
      this.walk(x, (c, linearOut, bias) => {
        const pre = bias ? linearOut.add(bias) : linearOut;
        sums.set(c, tf.keep(pre.mean(0, true)));
        return pre;
      });
    });
    this.meanActivations = sums;
  }

  dispose(): void {
    this.disposeMeans();
  }

  private disposeMeans(): void {
    for (const t of this.meanActivations.values()) t.dispose();
    this.meanActivations.clear();
  }
}

/** Per-example output from logits [B, K] and true labels [B]: margin, true logit or log-probability. */
export function outputFromLogits(logits: tf.Tensor, labels: tf.Tensor1D, kind: 'margin' | 'logit' | 'logprob'): tf.Tensor1D {
  const classes = logits.shape[logits.shape.length - 1]!;
  const onehot = tf.oneHot(labels, classes);
  const trueLogit = logits.mul(onehot).sum(-1) as tf.Tensor1D;
  switch (kind) {
    case 'logit':
      return trueLogit;
    case 'logprob':
      return trueLogit.sub(logits.logSumExp(-1)) as tf.Tensor1D;
    case 'margin': {
      // Push the true class far below every logit so max() picks the largest other one.
      const others = logits.sub(onehot.mul(tf.scalar(1e30)));
      return trueLogit.sub(others.max(-1)) as tf.Tensor1D;
    }
  }
}
