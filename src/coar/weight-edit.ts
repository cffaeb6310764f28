/**
 * Edits as weights: a copy of the model whose ablated components have their weights zeroed
 * (and, for zero-output, their bias too). This is what COAR-Edit exports, and the reference
 * that masked execution is tested against.
 */
import * as tf from '@tensorflow/tfjs';
import { locateComponent, type ComponentIndex, type ComponentLayer } from './components';
import { CoarError } from './errors';
import type { AblationKind } from './settings';

/** A structurally identical, independent copy of the model (weights included). */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
}

/** Multiplier over a weight tensor that is 0 where the given channels' weights live. */
function channelKeep(shape: number[], className: ComponentLayer['className'], channels: number[]): tf.Tensor {
  return tf.tidy(() => {
    if (className === 'DepthwiseConv2D') {
      // kernel [kh, kw, inChannels, multiplier]; output channel = in · multiplier + m.
      const [, , inCh, mult] = shape;
      const keep = new Float32Array(inCh * mult).fill(1);
      for (const c of channels) keep[c] = 0;
      return tf.tensor(keep, [1, 1, inCh, mult]);
    }
    const last = shape[shape.length - 1];
    const keep = new Float32Array(last).fill(1);
    for (const c of channels) keep[c] = 0;
    return tf.tensor(keep);
  });
}

/** Zeroes the given components' weights in place. Returns a function that restores them. */
export function zeroComponentsInPlace(components: ComponentIndex, ablated: Iterable<number>, kind: AblationKind = 'zero-weights'): () => void {
  const saved = writeAblation(components, ablated, kind);
  return () => {
    for (const [layer, weights] of saved) {
      layer.setWeights(weights);
      tf.dispose(weights);
    }
  };
}

/** Writes the ablation into the layers' weights; returns the original weights per edited layer. */
function writeAblation(components: ComponentIndex, ablated: Iterable<number>, kind: AblationKind): [tf.layers.Layer, tf.Tensor[]][] {
  if (kind === 'mean') throw new CoarError('Mean ablation cannot be written into the weights; use zero-weights or zero-output.', 'unsupported-edit');
  const byLayer = new Map<ComponentLayer, number[]>();
  for (const i of ablated) {
    const { layer, channel } = locateComponent(components, i);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), channel]);
  }
  const saved: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (const [c, channels] of byLayer) {
    // getWeights() returns the live variables; clone so the originals survive setWeights.
    const original = c.layer.getWeights().map((w) => w.clone());
    saved.push([c.layer, original]);
    const [kernel, bias] = original;
    const edited = tf.tidy(() => {
      const kept = kernel.mul(channelKeep(kernel.shape, c.className, channels));
      if (!bias || kind === 'zero-weights') return bias ? [kept, bias.clone()] : [kept];
      return [kept, bias.mul(channelKeep(bias.shape, 'Dense', channels))];
    });
    c.layer.setWeights(edited);
    tf.dispose(edited);
  }
  return saved;
}

/** A copy of the model with the components ablated in its weights; the original is untouched. */
export async function modelWithAblatedWeights(
  model: tf.LayersModel,
  components: ComponentIndex,
  ablated: number[],
  kind: AblationKind = 'zero-weights',
): Promise<{ model: tf.LayersModel; components: ComponentIndex }> {
  const copy = await cloneModel(model);
  const names = new Set(components.layers.map((l) => l.name));
  const copyComponents: ComponentIndex = {
    count: components.count,
    layers: components.layers.map((l) => ({ ...l, layer: copy.getLayer(l.name) })),
  };
  if (copyComponents.layers.some((l) => !names.has(l.layer.name))) throw new CoarError('The copied model lost a layer.', 'internal');
  for (const [, originals] of writeAblation(copyComponents, ablated, kind)) tf.dispose(originals);
  return { model: copy, components: copyComponents };
}
