/**
 * Every component kind, in the order they are tried on a layer (the first that matches owns
 * it). Adding a kind: one file implementing ComponentKind, one line here.
 */
import { attentionHead } from './attention-head';
import { convFilter } from './conv-filter';
import { denseUnit } from './dense-unit';
import { depthwiseChannel } from './depthwise-channel';
import type { ComponentKind } from './kind';
import { mlpNeuron } from './mlp-neuron';

export const COMPONENT_KINDS: readonly ComponentKind[] = [
  convFilter,
  depthwiseChannel,
  denseUnit,
  mlpNeuron,
  attentionHead,
];

export type { ComponentKind, FlatWeight, SignalMask } from './kind';

/** Every layer class some kind can own. */
export const COMPONENT_LAYER_CLASSES: readonly string[] = [...new Set(COMPONENT_KINDS.flatMap((k) => k.layerClasses))];

export function componentKindById(id: string): ComponentKind | undefined {
  return COMPONENT_KINDS.find((k) => k.id === id);
}

/**
 * The kind recorded for a layer of a run file; files written before kinds were recorded name
 * only the layer class, which maps to the first kind that can own it.
 */
export function kindOfLayerInfo(layer: { className: string; kind?: string }): ComponentKind | undefined {
  return (layer.kind !== undefined ? componentKindById(layer.kind) : undefined) ?? COMPONENT_KINDS.find((k) => k.layerClasses.includes(layer.className));
}
