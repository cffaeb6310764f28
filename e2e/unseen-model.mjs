// A model and images the app has never seen, made here: a small CNN trained in Node on
// coloured patterns, and PNGs of the same patterns at another size.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export const CLASSES = ['hstripes', 'vstripes', 'square', 'checker'];

/** RGB in 0–1 of class `c`'s pattern at (x, y) in [0, 1)², with noise. */
function patternPixel(c, x, y, noise) {
  const on = [
    Math.floor(y * 4) % 2 === 0,
    Math.floor(x * 4) % 2 === 0,
    x > 0.25 && x < 0.75 && y > 0.25 && y < 0.75,
    (Math.floor(x * 3) + Math.floor(y * 3)) % 2 === 0,
  ][c];
  const colour = [[0.9, 0.2, 0.2], [0.2, 0.8, 0.3], [0.2, 0.3, 0.9], [0.85, 0.8, 0.2]][c];
  return colour.map((v) => Math.min(1, Math.max(0, (on ? v : 0.1) + noise())));
}

/** A seeded generator, so the images are the same on every run. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function image(c, size, rand) {
  const noise = () => (rand() - 0.5) * 0.3;
  const shift = [rand() * 0.1, rand() * 0.1];
  const out = new Float32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) out.set(patternPixel(c, (x + 0.5) / size + shift[0], (y + 0.5) / size + shift[1], noise), (y * size + x) * 3);
  }
  return out;
}

/**
 * Trains a small CNN (6 + 8 conv filters, dense logits) on 12×12 RGB patterns; writes model.json +
 * weights.bin. With `softmax`, the saved model ends in a softmax, as most Keras classifiers do.
 */
export async function writeModel(dir, { softmax = false } = {}) {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const build = (activation = 'linear') => tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 6, kernelSize: 3, activation: 'relu', name: 'conv_a' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'conv_b' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: CLASSES.length, name: 'logits', activation }),
    ],
  });
  const rand = random(7);
  const count = 320;
  const xs = new Float32Array(count * 12 * 12 * 3);
  const ys = new Float32Array(count * CLASSES.length);
  for (let k = 0; k < count; k++) {
    const c = k % CLASSES.length;
    xs.set(image(c, 12, rand), k * 12 * 12 * 3);
    ys[k * CLASSES.length + c] = 1;
  }
  const trained = build();
  trained.compile({ optimizer: tf.train.adam(0.01), loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits) });
  const x = tf.tensor4d(xs, [count, 12, 12, 3]);
  const y = tf.tensor2d(ys, [count, CLASSES.length]);
  const history = await trained.fit(x, y, { epochs: 20, batchSize: 32, shuffle: true, verbose: 0 });
  const predicted = trained.predict(x).argMax(-1).dataSync();
  const accuracy = predicted.filter((p, k) => p === k % CLASSES.length).length / count;
  // A compiled model with a custom loss cannot be serialised: save an uncompiled copy of the weights.
  const model = build(softmax ? 'softmax' : 'linear');
  model.setWeights(trained.getWeights());
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const json = { format: 'layers-model', generatedBy: 'e2e', convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    await writeFile(join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return { loss: history.history.loss.at(-1), accuracy };
}

/** 6 PNGs per class at 16×16 RGB (the model takes 12×12: the app must resize), one sub-folder per class. */
export async function writeImages(dir) {
  const rand = random(99);
  for (const [c, name] of CLASSES.entries()) {
    await mkdir(join(dir, name), { recursive: true });
    for (let k = 1; k <= 6; k++) {
      const pixels = image(c, 16, rand);
      const png = new PNG({ width: 16, height: 16, colorType: 2 });
      for (let p = 0; p < 16 * 16; p++) png.data.set([...pixels.subarray(p * 3, p * 3 + 3)].map((v) => Math.round(v * 255)).concat(255), p * 4);
      await writeFile(join(dir, name, `${name}_${String(k).padStart(2, '0')}.png`), PNG.sync.write(png, { colorType: 2 }));
    }
  }
}
