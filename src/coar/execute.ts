/**
 * Masked execution: run a LayersModel with some components switched off, by walking its graph
 * eagerly and letting each component layer's kind (./component-kinds) mask its per-component
 * signal with the run's ablation kind (./ablation-kinds).
 *
 * The keep-mask has one row per batch item ([B, N]: a different mask per sample, so one forward
 * pass covers many (example, mask) pairs) or a single row ([1, N]: one mask shared by the batch).
 * For a channel layer the kind runs it without bias and activation, masks, then gives both back:
 *   zero-weights  y = act(keep · Wx + b)            (the paper: weights zeroed, bias kept)
 *   zero-output   y = act(keep · (Wx + b))
 *   mean          y = act(keep · (Wx + b) + (1 − keep) · mean(Wx + b))
 * which equals zeroing the component's weights in a copy of the model (tested). An attention
 * head's signal is its output before the output projection.
 * With one shared mask and an ablation that can live in the weights, kinds that can fold the
 * mask into their kernel do so: a tiny op in place of one over every activation, so the layer
 * keeps its fused kernel and runs as fast as the plain model.
 */
import * as tf from '@tensorflow/tfjs';
import { ablationKind, type AblationKind } from './ablation-kinds';
import type { SignalMask } from './component-kinds';
import type { ComponentIndex, ComponentLayer } from './components';
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

const linear = { apply: (t: tf.Tensor) => t, getClassName: () => 'linear' };

/** How one component layer runs in a masked pass: through its kind with a SignalMask, or by a step runner. */
type ComponentRun = { mask: SignalMask } | { run: (step: GraphStep, arg: tf.Tensor | tf.Tensor[]) => tf.Tensor };

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
    const layer = step.layer as unknown as { activation: unknown };
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
    const spec = ablationKind(this.ablation);
    if (spec.needsMean && this.meanActivations.size === 0) {
      throw new CoarError(`${this.ablation} ablation needs the mean activations first (setMeanActivationsFrom).`, 'internal');
    }
    const rows = keep.shape[0];
    return this.walk(x, (c) => {
      const layerKeep = keep.slice([0, c.offset], [rows, c.count]);
      if (rows === 1 && spec.inWeights && c.kind.runWithWeightKeep) {
        const { maskBias } = spec.inWeights;
        return { run: (step, arg) => c.kind.runWithWeightKeep!(step.layer, arg, layerKeep.reshape([c.count]), maskBias, step.bypass === 'linear') };
      }
      return { mask: (signal, bias, keepShape) => spec.apply({ signal, bias, keep: layerKeep.reshape(keepShape(rows)), mean: this.meanActivations.get(c) }) };
    });
  }

  /**
   * Runs the graph. For each component layer, `maskFor` gives either the SignalMask its kind
   * runs it with, or a function that runs the step itself (a kind's weight-folding fast path).
   */
  private walk(x: tf.Tensor, maskFor: (c: ComponentLayer) => ComponentRun): tf.Tensor;
  /** …or stops before `until` and returns the tensors it would be called on. */
  private walk(x: tf.Tensor, maskFor: (c: ComponentLayer) => ComponentRun, until: GraphStep): tf.Tensor[];
  private walk(x: tf.Tensor, maskFor: (c: ComponentLayer) => ComponentRun, until?: GraphStep): tf.Tensor | tf.Tensor[] {
    const values = new Map<number, tf.Tensor>([[this.model.inputs[0].id, x]]);
    for (const step of this.plan) {
      const inputs = step.inputIds.map((id) => values.get(id)!);
      if (step === until) return inputs;
      const arg = inputs.length === 1 ? inputs[0] : inputs;
      let out: tf.Tensor | tf.Tensor[];
      const c = step.component;
      if (c) {
        const how = maskFor(c);
        out = 'run' in how ? how.run(step, arg) : c.kind.runMasked(step.layer, arg, how.mask, step.bypass === 'linear');
      } else {
        out = this.runStep(step, arg, () => step.layer.apply(arg, { training: false }) as tf.Tensor | tf.Tensor[]);
      }
      const outs = Array.isArray(out) ? out : [out];
      step.outputIds.forEach((id, k) => values.set(id, outs[k]));
    }
    return this.finish(values.get(this.model.outputs[0].id)!);
  }

  /**
   * The tensors a layer is called on, with components masked by `keep` ([1, N] or [B, N]) in the
   * layers before it (an attention pattern under the current ablation). Call inside tf.tidy.
   */
  layerInputs(x: tf.Tensor, keep: tf.Tensor2D, layerName: string): tf.Tensor[] {
    const target = this.plan.find((s) => s.layer.name === layerName);
    if (!target) throw new CoarError(`The model has no layer named "${layerName}" in its graph.`, 'unknown-layer');
    const spec = ablationKind(this.ablation);
    const rows = keep.shape[0];
    return this.walk(x, (c) => ({
      mask: (signal, bias, keepShape) => spec.apply({ signal, bias, keep: keep.slice([0, c.offset], [rows, c.count]).reshape(keepShape(rows)), mean: this.meanActivations.get(c) }),
    }), target);
  }

  /** Records each component layer's mean pre-activation output over these inputs (for 'mean' ablation). */
  setMeanActivationsFrom(x: tf.Tensor): void {
    this.disposeMeans();
    const sums = new Map<ComponentLayer, tf.Tensor>();
    tf.tidy(() => {
      this.walk(x, (c) => ({
        mask: (signal, bias) => {
          const pre = bias ? signal.add(bias) : signal;
          sums.set(c, tf.keep(pre.mean(0, true)));
          return pre;
        },
      }));
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
