/**
 * Edits as weights: a copy of the model whose ablated components have their weights zeroed
 * (and, for zero-output, their bias too). This is what COAR-Edit exports, and the reference
 * that masked execution is tested against.
 */
import * as tf from '@tensorflow/tfjs';
import { ABLATION_KIND_SPECS, ablationKind, type AblationKind } from './ablation-kinds';
import type { FlatWeight } from './component-kinds';
import { locateComponent, type ComponentIndex, type ComponentLayer } from './components';
import { CoarError } from './errors';

/** A structurally identical, independent copy of the model (weights included). */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return tf.loadLayersModel(tf.io.fromMemory(artifacts!));
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
  const spec = ablationKind(kind);
  if (!spec.inWeights) throw new CoarError(`${kind} ablation cannot be written into the weights; use ${ABLATION_KIND_SPECS.filter((k) => k.inWeights).map((k) => k.id).join(' or ')}.`, 'unsupported-edit');
  const { maskBias } = spec.inWeights;
  const byLayer = new Map<ComponentLayer, number[]>();
  for (const i of ablated) {
    const { layer, channel } = locateComponent(components, i);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), channel]);
  }
  const saved: [tf.layers.Layer, tf.Tensor[]][] = [];
  for (const [c, indices] of byLayer) {
    // getWeights() returns the live variables; clone so the originals survive setWeights.
    const original = c.layer.getWeights().map((w) => w.clone());
    saved.push([c.layer, original]);
    const names = c.layer.weights.map((w) => w.originalName ?? w.name);
    const flat: FlatWeight[] = original.map((w, k) => ({ name: names[k], shape: w.shape, values: w.dataSync() as Float32Array }));
    const edited = c.kind.ablateWeights(flat, indices, maskBias).map((w) => tf.tensor(w.values, w.shape));
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
