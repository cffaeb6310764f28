/** Units of a Dense layer on flat features (an MLP classifier's hidden units). */
import type * as tf from '@tensorflow/tfjs';
import { lastAxisSize, runChannelsMasked, runChannelsWithKernelKeep, zeroChannels } from './channel-layers';
import type { ComponentKind } from './kind';

/** The rank of a Dense layer's output: 2 on flat features, 3 or more on token sequences. */
export function denseOutputRank(layer: tf.layers.Layer): number | null {
  const shape = layer.outputShape as number[];
  return layer.getClassName() === 'Dense' && Array.isArray(shape) && !Array.isArray(shape[0]) ? shape.length : null;
}

export const denseUnit: ComponentKind = {
  id: 'dense-unit',
  unit: 'unit',
  units: 'units',
  description: 'a unit of a dense layer: switching it off zeroes its incoming weights',
  layerClasses: ['Dense'],
  matches: (layer) => (denseOutputRank(layer) ?? 3) <= 2,
  count: lastAxisSize,
  runMasked: runChannelsMasked,
  runWithWeightKeep: (layer, input, keep, maskBias, linearActivation) =>
    runChannelsWithKernelKeep(layer, input, keep, maskBias, linearActivation, 'kernel'),
  ablateWeights: (weights, units, maskBias) => zeroChannels(weights, units, maskBias, (k) => k.shape[k.shape.length - 1]),
};
