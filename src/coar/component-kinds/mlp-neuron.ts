/**
 * Units of a Dense layer applied to every token of a sequence: a transformer's MLP neurons (the
 * paper's ViT and GPT-2 components). Switching one off zeroes it at every position.
 */
import { lastAxisSize, runChannelsMasked, runChannelsWithKernelKeep, zeroChannels } from './channel-layers';
import type { ComponentKind } from './kind';

export const mlpNeuron: ComponentKind = {
  id: 'mlp-neuron',
  unit: 'neuron',
  units: 'neurons',
  description: 'a neuron of a dense layer applied to every token (a transformer MLP): switching it off zeroes its incoming weights at every position',
  layerClasses: ['Dense'],
  matches(layer) {
    const shape = layer.outputShape as number[];
    return layer.getClassName() === 'Dense' && Array.isArray(shape) && !Array.isArray(shape[0]) && shape.length >= 3;
  },
  count: lastAxisSize,
  runMasked: runChannelsMasked,
  runWithWeightKeep: (layer, input, keep, maskBias, linearActivation) =>
    runChannelsWithKernelKeep(layer, input, keep, maskBias, linearActivation, 'kernel'),
  ablateWeights: (weights, units, maskBias) => zeroChannels(weights, units, maskBias, (k) => k.shape[k.shape.length - 1]),
};
