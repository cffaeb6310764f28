/** Units of a Dense layer on flat features (an MLP classifier's hidden units). */
import type * as tf from '@tensorflow/tfjs';
import { lastAxisSize, runChannelsMasked, runChannelsWithKernelKeep, zeroChannels } from './channel-layers';
import type { ComponentKind } from './kind';

/** Dense on [batch, features]; on token sequences the units are MLP neurons (./mlp-neuron.ts). */
export function isDenseOnFeatures(layer: tf.layers.Layer): boolean {
  const shape = layer.outputShape as number[];
  return layer.getClassName() === 'Dense' && Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length <= 2;
}

export const denseUnit: ComponentKind = {
  id: 'dense-unit',
  unit: 'unit',
  units: 'units',
  description: 'a unit of a dense layer: switching it off zeroes its incoming weights',
  layerClasses: ['Dense'],
  matches: isDenseOnFeatures,
  count: lastAxisSize,
  runMasked: runChannelsMasked,
  runWithWeightKeep: (layer, input, keep, maskBias, linearActivation) =>
    runChannelsWithKernelKeep(layer, input, keep, maskBias, linearActivation, 'kernel'),
  ablateWeights: (weights, units, maskBias) => zeroChannels(weights, units, maskBias, (k) => k.shape[k.shape.length - 1]),
};
