/**
 * Units of a Dense layer applied to every token of a sequence: a transformer's MLP neurons (the
 * paper's ViT and GPT-2 components). Switching one off zeroes it at every position; masked and
 * edited exactly as a dense unit, only named differently.
 */
import { denseOutputRank, denseUnit } from './dense-unit';
import type { ComponentKind } from './kind';

export const mlpNeuron: ComponentKind = {
  ...denseUnit,
  id: 'mlp-neuron',
  unit: 'neuron',
  units: 'neurons',
  description: 'a neuron of a dense layer applied to every token (a transformer MLP): switching it off zeroes its incoming weights at every position',
  matches: (layer) => (denseOutputRank(layer) ?? 0) >= 3,
};
