/**
 * Shared by the kinds whose components are output channels of a layer with a kernel, an
 * optional bias and an activation (Conv2D filters, depthwise channels, Dense units, MLP neurons).
 */
import type * as tf from '@tensorflow/tfjs';
import { CoarError } from '../errors';
import type { FlatWeight, SignalMask } from './kind';

/** Layer fields switched off for one call to get the pre-bias linear output. */
interface BiasedLayer {
  useBias: boolean;
  activation: { apply(t: tf.Tensor): tf.Tensor; getClassName(): string };
  bias: tf.LayerVariable | null;
}

const linear = { apply: (t: tf.Tensor) => t, getClassName: () => 'linear' };

/** The size of the layer's last output axis (its channels); refuses multi-output layers. */
export function lastAxisSize(layer: tf.layers.Layer): number {
  const shape = layer.outputShape as number[];
  if (!Array.isArray(shape) || Array.isArray(shape[0])) throw new CoarError(`Layer "${layer.name}" has several outputs, which COAR cannot mask.`, 'unsupported-layer');
  return shape[shape.length - 1];
}

export function refuseChannelsFirst(layer: tf.layers.Layer): void {
  const config = layer.getConfig() as { dataFormat?: string };
  if (config.dataFormat === 'channelsFirst') {
    throw new CoarError(`Layer "${layer.name}" (${layer.getClassName()}) uses channelsFirst data; only channelsLast convolutions are supported.`, 'unsupported-layer');
  }
}

/**
 * tfjs layers read `useBias`, `bias` and `activation` at call time: unset them for one call,
 * mask the linear output per channel, then add the bias and the activation back.
 */
export function runChannelsMasked(layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[], mask: SignalMask, linearActivation: boolean): tf.Tensor {
  const biased = layer as unknown as BiasedLayer;
  const { useBias, bias, activation } = biased;
  biased.useBias = false;
  biased.bias = null;
  biased.activation = linear;
  let linearOut: tf.Tensor;
  try {
    linearOut = layer.apply(input, { training: false }) as tf.Tensor;
  } finally {
    biased.useBias = useBias;
    biased.bias = bias;
    biased.activation = activation;
  }
  const rank = linearOut.rank;
  const count = linearOut.shape[rank - 1];
  const masked = mask(linearOut, bias ? bias.read() : null, (rows) => [rows, ...Array(rank - 2).fill(1), count]);
  return (linearActivation ? linear : activation).apply(masked);
}

/**
 * One keep row for the whole batch, multiplied into the kernel (and the bias): a tiny op in
 * place of one over every activation, so the layer keeps its fused kernel and runs as fast as
 * the plain model.
 */
export function runChannelsWithKernelKeep(
  layer: tf.layers.Layer, input: tf.Tensor | tf.Tensor[], keep: tf.Tensor1D, maskBias: boolean, linearActivation: boolean,
  kernelField: 'kernel' | 'depthwiseKernel',
): tf.Tensor {
  const fields = layer as unknown as BiasedLayer & Record<string, tf.LayerVariable>;
  const kernel = fields[kernelField];
  const { bias, activation } = fields;
  const kernelKeep = kernelField === 'depthwiseKernel' ? keep.reshape(kernel.shape.slice(2) as number[]) : keep;
  // tfjs layers read their variables at call time: lend masked stand-ins for one call.
  fields[kernelField] = { read: () => kernel.read().mul(kernelKeep) } as unknown as tf.LayerVariable;
  if (bias && maskBias) fields.bias = { read: () => bias.read().mul(keep) } as unknown as tf.LayerVariable;
  if (linearActivation) fields.activation = linear;
  try {
    return layer.apply(input, { training: false }) as tf.Tensor;
  } finally {
    fields[kernelField] = kernel;
    fields.bias = bias;
    fields.activation = activation;
  }
}

/**
 * Zeroes output channels in a kernel (and bias) whose flattened layout repeats the channels
 * every `period` values: the last axis for Conv2D/Dense, in × multiplier for depthwise kernels.
 */
export function zeroChannels(weights: FlatWeight[], channels: readonly number[], maskBias: boolean, period: (kernel: FlatWeight) => number): FlatWeight[] {
  return weights.map((w) => {
    const isKernel = /(^|\/)(depthwise_)?kernel$/.test(w.name);
    const isBias = /(^|\/)bias$/.test(w.name);
    if (!isKernel && !(isBias && maskBias)) return w;
    const values = w.values.slice();
    const p = isKernel ? period(w) : w.values.length;
    for (let base = 0; base < values.length; base += p) for (const c of channels) values[base + c] = 0;
    return { ...w, values };
  });
}
