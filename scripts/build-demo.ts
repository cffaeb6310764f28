/**
 * Builds the bundled demo: trains the small ResNet on Fashion-MNIST (tfjs wasm backend in Node)
 * and writes public/models/fashion-resnet/ and public/data/fashion-mnist-test/.
 *
 *   npm run build:demo -- [--idx-dir DIR] [--epochs 2] [--seed 1] [--train-limit N] [--data-only]
 *
 * The IDX files come from Debian's `dataset-fashion-mnist` package by default
 * (FASHION_MNIST_DIR or --idx-dir overrides the folder).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../src/node/backend';
import { saveModel } from '../src/node/files';
import { Rng } from '../src/coar/random';
import { readIdx } from './lib/idx';
import { registerWasmGradientKernels } from '../src/coar/wasm-gradients';
import { buildDemoModel } from './lib/demo-model';

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const { values: args } = parseArgs({
  options: {
    'idx-dir': { type: 'string', default: process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist' },
    epochs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    'train-limit': { type: 'string' },
    'bundle-count': { type: 'string', default: '1000' },
    out: { type: 'string', default: 'public' },
    'data-only': { type: 'boolean', default: false },
  },
});

function loadSplit(prefix: 'train' | 't10k') {
  const images = readIdx(join(args['idx-dir']!, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(join(args['idx-dir']!, `${prefix}-labels-idx1-ubyte.gz`));
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}

function batchTensors(images: Uint8Array, labels: Uint8Array, idx: ArrayLike<number>) {
  const x = new Float32Array(idx.length * 784);
  const y = new Float32Array(idx.length * 10);
  for (let k = 0; k < idx.length; k++) {
    const src = idx[k] * 784;
    for (let j = 0; j < 784; j++) x[k * 784 + j] = images[src + j] / 255;
    y[k * 10 + labels[idx[k]]] = 1;
  }
  return { x: tf.tensor4d(x, [idx.length, 28, 28, 1]), y: tf.tensor2d(y, [idx.length, 10]) };
}

function accuracy(model: tf.LayersModel, split: ReturnType<typeof loadSplit>, count = split.count): number {
  let correct = 0;
  for (let start = 0; start < count; start += 500) {
    const idx = Array.from({ length: Math.min(500, count - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(split.images, split.labels, idx);
    const pred = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).dataSync());
    idx.forEach((i, k) => { if (pred[k] === split.labels[i]) correct++; });
    tf.dispose([x, y]);
  }
  return correct / count;
}

async function main() {
  if (args['data-only']) {
    writeBundledData(join(args.out!, 'data', 'fashion-mnist-test'), loadSplit('t10k'), Number(args['bundle-count']));
    return;
  }
  await initNodeBackend('wasm');
  registerWasmGradientKernels();
  const seed = Number(args.seed);
  const epochs = Number(args.epochs);
  const train = loadSplit('train');
  const test = loadSplit('t10k');
  const trainCount = args['train-limit'] ? Number(args['train-limit']) : train.count;
  const model = buildDemoModel(seed);
  const optimizer = tf.train.adam(2e-3);
  model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const rng = new Rng(seed);
  const batchSize = 64;
  const modelDir = join(args.out!, 'models', 'fashion-resnet');
  let testAccuracy = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Step decay: full rate first, then a tenth-ish for the last epoch to settle BN statistics.
    (optimizer as unknown as { learningRate: number }).learningRate = epoch === epochs - 1 && epochs > 1 ? 3e-4 : 2e-3 / (1 + epoch);
    const order = Int32Array.from({ length: trainCount }, (_, i) => i);
    rng.shuffle(order);
    const started = Date.now();
    let lossSum = 0;
    for (let b = 0; b * batchSize < trainCount; b++) {
      const idx = order.subarray(b * batchSize, Math.min(trainCount, (b + 1) * batchSize));
      const { x, y } = batchTensors(train.images, train.labels, idx);
      lossSum += (await model.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      if ((b + 1) % 100 === 0) {
        const done = (b + 1) * batchSize;
        const rate = done / ((Date.now() - started) / 1000);
        process.stderr.write(`epoch ${epoch + 1}/${epochs}: ${done}/${trainCount} loss ${(lossSum / (b + 1)).toFixed(4)} ${rate.toFixed(0)} img/s\n`);
      }
    }
    testAccuracy = accuracy(model, test, epoch === epochs - 1 ? test.count : 2000);
    process.stderr.write(`epoch ${epoch + 1} done in ${((Date.now() - started) / 1000).toFixed(0)} s; test accuracy ${(100 * testAccuracy).toFixed(2)}%${epoch === epochs - 1 ? '' : ' (first 2,000)'}\n`);
    await saveModel(model, modelDir);
  }
  writeModelCard(modelDir, testAccuracy, trainCount, epochs, seed, model.countParams());
  writeBundledData(join(args.out!, 'data', 'fashion-mnist-test'), test, Number(args['bundle-count']));
  console.log(JSON.stringify({ testAccuracy, params: model.countParams(), epochs, trainCount }));
}

function writeModelCard(dir: string, acc: number, trainCount: number, epochs: number, seed: number, params: number) {
  writeFileSync(join(dir, 'MODEL_CARD.md'), `# fashion-resnet

A small ResNet-style CNN for Fashion-MNIST, built for COAR Explorer's demo by \`npm run build:demo\`
(scripts/build-demo.ts, architecture in scripts/lib/demo-model.ts).

- Input: 28×28×1 grey-scale image, pixel values scaled to 0–1. Output: 10 logits (no softmax).
- Layers: conv(16)+BN+ReLU stem; residual block of two conv(16) with identity Add; max-pool;
  conv(32)+BN+ReLU; residual block of two conv(32); max-pool; conv(64)+BN+ReLU; flatten;
  dense(64, ReLU); dropout 0.2; dense(10).
- Components for COAR: 208 conv filters in 7 conv layers + 64 hidden dense units = 272.
- Parameters: ${params.toLocaleString('en-US')}.
- Training: ${trainCount.toLocaleString('en-US')} Fashion-MNIST training images, ${epochs} epochs, batch 64, Adam
  (2e-3, decayed; 3e-4 in the last epoch), softmax cross-entropy, seed ${seed}; tfjs wasm backend.
- **Test accuracy: ${(100 * acc).toFixed(2)}%** on the full 10,000 Fashion-MNIST test images.
- Data: Fashion-MNIST (Zalando Research), MIT licence.
`);
}

function writeBundledData(dir: string, test: ReturnType<typeof loadSplit>, count: number) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'images.u8'), test.images.subarray(0, count * 784));
  writeFileSync(join(dir, 'labels.u8'), test.labels.subarray(0, count));
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify({
    format: 'coar-images-v1', name: 'fashion-mnist-test', count, height: 28, width: 28, channels: 1,
    classNames: FASHION_CLASSES, normalize: { kind: '0-1' }, images: 'images.u8', labels: 'labels.u8',
    source: `The first ${count} images of the Fashion-MNIST test set (t10k), uint8, MIT licence.`,
  }, null, 2) + '\n');
}

await main();
