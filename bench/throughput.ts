/**
 * Ablated (example, mask) pairs per second on a bundled model (the demo by default), one backend, one process:
 * the plain unmasked forward of the same examples (the ceiling: the faster of the two batch
 * shapes), each masked route, the route
 * the engine picks, and the paper's loop (zero the weights of one model per mask, predict, restore).
 * Each figure is the median of several interleaved repetitions.
 */
import * as tf from '@tensorflow/tfjs';
import { chooseRoute, createSession, disposeSession, runMaskRows, type Route } from '../src/coar/ablate';
import { discoverComponents } from '../src/coar/components';
import { inputTensor, labelsOf } from '../src/coar/dataset';
import { MaskStream, ablatedIndices, sampleMasks } from '../src/coar/masks';
import { zeroComponentsInPlace } from '../src/coar/weight-edit';
import { loadModel } from '../src/node/files';
import { loadDatasetDir } from '../src/node/dataset-files';

export interface ThroughputOptions { examples?: number; masks?: number; repetitions?: number; pairsPerBatch?: number; model?: string; data?: string }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchThroughput(o: ThroughputOptions = {}): Promise<Record<string, number | string>> {
  const n = o.examples ?? 64;
  const m = o.masks ?? 48;
  const reps = o.repetitions ?? 5;
  const pairsPerBatch = o.pairsPerBatch ?? 512;
  const model = await loadModel(o.model ?? 'public/models/fashion-resnet/model.json');
  const data = await loadDatasetDir(o.data ?? 'public/data/fashion-mnist-test');
  const components = discoverComponents(model);
  const examples = Array.from({ length: n }, (_, i) => i);
  const session = createSession(model, components, inputTensor(data, examples), labelsOf(data, examples), 'zero-weights', 'margin', 'as-is');
  const masks = sampleMasks({ componentCount: components.count, alpha: 0.05, seed: 1, stream: MaskStream.train }, m);
  const pairs = n * m;

  // The ceiling: the same number of examples through model.predict with no masks, in either
  // batch shape the routes use (n examples per call, or pairsPerBatch copies per call).
  const plainForward = (rowsPerBatch: number) => async () => {
    const batch = rowsPerBatch === 1 ? session.inputs : tf.tile(session.inputs, [rowsPerBatch, 1, 1, 1]);
    const outs: tf.Tensor[] = [];
    for (let r = 0; r < m; r += rowsPerBatch) outs.push(model.predict(batch) as tf.Tensor);
    const all = tf.concat(outs);
    await all.data();
    tf.dispose([...outs, all]);
    if (batch !== session.inputs) batch.dispose();
  };
  const route = (r: Route) => () => runMaskRows(session, masks, 0, m, r, pairsPerBatch).then(() => undefined);
  const paperLoop = async () => {
    const outs: tf.Tensor[] = [];
    for (let r = 0; r < m; r++) {
      const restore = zeroComponentsInPlace(components, ablatedIndices(masks, r));
      outs.push(model.predict(session.inputs) as tf.Tensor);
      await outs[outs.length - 1].data(); // the prediction must finish before the weights change back
      restore();
    }
    tf.dispose(outs);
  };
  const picked = (await chooseRoute(session, masks, pairsPerBatch))[0].route;
  const cases: Record<string, () => Promise<void>> = {
    plainPerMask: plainForward(1), plainBatched: plainForward(Math.max(1, Math.floor(pairsPerBatch / n))),
    perSample: route('per-sample'), shared: route('shared'), picked: route(picked), paperLoop,
  };
  const seconds: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) await fn(); // warm-up
  for (let rep = 0; rep < reps; rep++) {
    for (const [name, fn] of Object.entries(cases)) {
      const t0 = performance.now();
      await fn();
      seconds[name].push((performance.now() - t0) / 1000);
    }
  }
  disposeSession(session);
  const rate = (name: string) => pairs / median(seconds[name]);
  const result: Record<string, number | string> = { backend: tf.getBackend(), examples: n, masks: m, components: components.count, pickedRoute: picked };
  for (const name of Object.keys(cases)) result[`${name}PairsPerSecond`] = Math.round(rate(name));
  const ceiling = Math.max(rate('plainPerMask'), rate('plainBatched'));
  for (const name of ['perSample', 'shared', 'picked', 'paperLoop']) result[`${name}VsPlain`] = Math.round((rate(name) / ceiling) * 1000) / 1000;
  return result;
}
