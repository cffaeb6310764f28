/** DepthwiseConv2D output channels (input channel × depth multiplier), each with its own filter. */
import { lastAxisSize, refuseChannelsFirst, runChannelsMasked, runChannelsWithKernelKeep, zeroChannels } from './channel-layers';
import type { ComponentKind } from './kind';

export const depthwiseChannel: ComponentKind = {
  id: 'depthwise-channel',
  unit: 'channel',
  units: 'channels',
  description: 'an output channel of a depthwise convolution: switching it off zeroes its filter weights',
  layerClasses: ['DepthwiseConv2D'],
  matches: (layer) => layer.getClassName() === 'DepthwiseConv2D',
  count(layer) {
    refuseChannelsFirst(layer);
    return lastAxisSize(layer);
  },
  runMasked: runChannelsMasked,
  runWithWeightKeep: (layer, input, keep, maskBias, linearActivation) =>
    runChannelsWithKernelKeep(layer, input, keep, maskBias, linearActivation, 'depthwiseKernel'),
  // kernel [kh, kw, in, multiplier]; output channel = in · multiplier + m, so channels repeat every in × multiplier values.
  ablateWeights: (weights, channels, maskBias) => zeroChannels(weights, channels, maskBias, (k) => k.shape[2] * k.shape[3]),
};
