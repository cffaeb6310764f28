/** Conv2D output channels: switching one off zeroes its filter (the paper's ResNet components). */
import type * as tf from '@tensorflow/tfjs';
import { lastAxisSize, refuseChannelsFirst, runChannelsMasked, runChannelsWithKernelKeep, zeroChannels } from './channel-layers';
import type { ComponentKind } from './kind';

export const convFilter: ComponentKind = {
  id: 'conv-filter',
  unit: 'filter',
  units: 'filters',
  description: 'an output channel of a convolution: switching it off zeroes its filter weights',
  layerClasses: ['Conv2D'],
  matches: (layer) => layer.getClassName() === 'Conv2D',
  count(layer) {
    refuseChannelsFirst(layer);
    return lastAxisSize(layer);
  },
  runMasked: runChannelsMasked,
  runWithWeightKeep: (layer: tf.layers.Layer, input, keep, maskBias, linearActivation) =>
    runChannelsWithKernelKeep(layer, input, keep, maskBias, linearActivation, 'kernel'),
  // kernel [kh, kw, in, out]: the channel is the last axis.
  ablateWeights: (weights, channels, maskBias) => zeroChannels(weights, channels, maskBias, (k) => k.shape[k.shape.length - 1]),
};
