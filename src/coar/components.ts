/**
 * Components: the units COAR ablates, found by the kinds in ./component-kinds (conv filters,
 * depthwise channels, dense units, MLP neurons, attention heads; the logits layer excluded by
 * default). Each component has a stable global index (layers in graph order, components in
 * order) and a name "layer#index".
 */
import * as tf from '@tensorflow/tfjs';
import { COMPONENT_KINDS, COMPONENT_LAYER_CLASSES, type ComponentKind } from './component-kinds';
import { CoarError } from './errors';

export { COMPONENT_LAYER_CLASSES } from './component-kinds';

/** Layers that carry no components and that masked execution runs as they are. */
const PASS_THROUGH_CLASSES = new Set([
  'InputLayer', 'BatchNormalization', 'LayerNormalization', 'Activation', 'ReLU', 'LeakyReLU', 'PReLU', 'ELU',
  'ThresholdedReLU', 'Softmax', 'MaxPooling1D', 'MaxPooling2D', 'AveragePooling1D', 'AveragePooling2D',
  'GlobalAveragePooling1D', 'GlobalAveragePooling2D', 'GlobalMaxPooling1D', 'GlobalMaxPooling2D', 'Flatten',
  'Reshape', 'Permute', 'RepeatVector', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'AlphaDropout',
  'GaussianDropout', 'GaussianNoise', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum',
  'Concatenate', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'Rescaling', 'CenterCrop', 'Resizing', 'Masking',
  'PositionEmbedding',
]);

export interface ComponentLayer {
  name: string;
  /** The layer's tfjs class, e.g. "Conv2D". */
  className: string;
  /** What its components are. */
  kind: ComponentKind;
  /** Number of components (output channels, units, heads). */
  count: number;
  /** Global index of this layer's first component. */
  offset: number;
  layer: tf.layers.Layer;
}

export interface ComponentIndex {
  layers: ComponentLayer[];
  count: number;
}

export interface DiscoverOptions {
  /** Restrict to these layer names (default: every eligible layer). */
  layers?: string[];
  /** Include Dense layers that produce a model output (the logits). Default false. */
  includeOutputLayers?: boolean;
}

/** Layers of the model in an order where every layer comes after its inputs. */
export function layersInGraphOrder(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers;
}

/** Finds the components of a model; throws, naming the layer, on a layer it cannot run. */
export function discoverComponents(model: tf.LayersModel, options: DiscoverOptions = {}): ComponentIndex {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new CoarError(`The model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; COAR Explorer needs exactly one of each.`, 'unsupported-model');
  }
  const outputIds = new Set(model.outputs.map((t) => t.id));
  const known = new Set(layersInGraphOrder(model).map((l) => l.name));
  for (const name of options.layers ?? []) {
    if (!known.has(name)) throw new CoarError(`The model has no layer named "${name}".`, 'unknown-layer');
  }
  const wanted = options.layers?.length ? new Set(options.layers) : undefined;
  const layers: ComponentLayer[] = [];
  let offset = 0;
  for (const layer of layersInGraphOrder(model)) {
    const className = layer.getClassName();
    if (layer instanceof tf.LayersModel) {
      throw new CoarError(`Layer "${layer.name}" is a nested model; flatten it into one functional model so its components can be found.`, 'unsupported-layer');
    }
    const kind = COMPONENT_KINDS.find((k) => k.matches(layer));
    if (!kind) {
      if (!PASS_THROUGH_CLASSES.has(className)) {
        throw new CoarError(`Layer "${layer.name}" has type ${className}, which COAR Explorer cannot run yet. Supported: ${[...COMPONENT_LAYER_CLASSES, ...PASS_THROUGH_CLASSES].join(', ')}.`, 'unsupported-layer');
      }
      continue;
    }
    if (layer.inboundNodes.length > 1) {
      throw new CoarError(`Layer "${layer.name}" is applied ${layer.inboundNodes.length} times (a shared layer); its components would be ambiguous.`, 'unsupported-layer');
    }
    const isOutput = layer.inboundNodes.some((n) => n.outputTensors.some((t) => outputIds.has(t.id)));
    if (isOutput && !options.includeOutputLayers && !wanted?.has(layer.name)) continue;
    if (wanted && !wanted.has(layer.name)) continue;
    const count = kind.count(layer);
    layers.push({ name: layer.name, className, kind, count, offset, layer });
    offset += count;
  }
  if (offset === 0) throw new CoarError(`The model has no layers with components to ablate (besides the output layer): COAR Explorer looks for ${COMPONENT_LAYER_CLASSES.join(', ')}.`, 'no-components');
  return { layers, count: offset };
}

// Names and positions need no tfjs: they live in component-names.ts (the core entry exports them).
export { componentName, componentNames, locateComponent, parseComponentName } from './component-names';
