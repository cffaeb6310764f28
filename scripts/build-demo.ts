/**
 * Builds the bundled demo: trains the small ResNet on Fashion-MNIST (tfjs wasm backend in Node)
 * and writes public/models/fashion-resnet/ and public/data/fashion-mnist-test/.
 *
 *   npm run build:demo -- [--idx-dir DIR] [--epochs 2] [--seed 1] [--train-limit N] [--data-only]
 *
 * The IDX files come from Debian's `dataset-fashion-mnist` package by default
 * (FASHION_MNIST_DIR or --idx-dir overrides the folder).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../src/node/backend';
import { saveModel } from '../src/node/files';
import { registerWasmGradientKernels } from '../src/coar/wasm-gradients';
import { buildDemoModel } from './lib/demo-model';
import { accuracy, DEFAULT_IDX_DIR, loadSplit, writeBundledData } from './lib/fashion';
import { train } from './lib/train';

const { values: args } = parseArgs({
  options: {
    'idx-dir': { type: 'string', default: DEFAULT_IDX_DIR },
    epochs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    'train-limit': { type: 'string' },
    'bundle-count': { type: 'string', default: '1000' },
    out: { type: 'string', default: 'public' },
    'data-only': { type: 'boolean', default: false },
  },
});

const test = loadSplit(args['idx-dir']!, 't10k');
const bundle = () => writeBundledData(join(args.out!, 'data', 'fashion-mnist-test'), test, Number(args['bundle-count']), 'fashion-mnist-test',
  `The first ${args['bundle-count']} images of the Fashion-MNIST test set (t10k), uint8, MIT licence.`);

if (args['data-only']) {
  bundle();
} else {
  await initNodeBackend('wasm');
  registerWasmGradientKernels();
  const seed = Number(args.seed);
  const epochs = Number(args.epochs);
  const trainSplit = loadSplit(args['idx-dir']!, 'train');
  const trainCount = args['train-limit'] ? Number(args['train-limit']) : trainSplit.count;
  const model = buildDemoModel(seed);
  const modelDir = join(args.out!, 'models', 'fashion-resnet');
  let testAccuracy = 0;
  await train(model, trainSplit, {
    epochs, seed, trainCount,
    onEpoch: async (epoch) => {
      const last = epoch === epochs - 1;
      testAccuracy = accuracy(model, test, last ? test.count : 2000);
      process.stderr.write(`epoch ${epoch + 1}: test accuracy ${(100 * testAccuracy).toFixed(2)}%${last ? '' : ' (first 2,000)'}\n`);
      await saveModel(model, modelDir);
    },
  });
  writeFileSync(join(modelDir, 'MODEL_CARD.md'), `# fashion-resnet

A small ResNet-style CNN for Fashion-MNIST, built for COAR Explorer's demo by \`npm run build:demo\`
(scripts/build-demo.ts, architecture in scripts/lib/demo-model.ts).

- Input: 28×28×1 grey-scale image, pixel values scaled to 0–1. Output: 10 logits (no softmax).
- Layers: conv(16)+BN+ReLU stem; residual block of two conv(16) with identity Add; max-pool;
  conv(32)+BN+ReLU; residual block of two conv(32); max-pool; conv(64)+BN+ReLU; flatten;
  dense(64, ReLU); dropout 0.2; dense(10).
- Components for COAR: 208 conv filters in 7 conv layers + 64 hidden dense units = 272.
- Parameters: ${model.countParams().toLocaleString('en-US')}.
- Training: ${trainCount.toLocaleString('en-US')} Fashion-MNIST training images, ${epochs} epochs, batch 64, Adam
  (2e-3, then 3e-4 in the last epoch), softmax cross-entropy, seed ${seed}; tfjs wasm backend.
- **Test accuracy: ${(100 * testAccuracy).toFixed(2)}%** on the full 10,000 Fashion-MNIST test images.
- Data: Fashion-MNIST (Zalando Research), MIT licence.
`);
  bundle();
  console.log(JSON.stringify({ testAccuracy, params: model.countParams(), epochs, trainCount }));
}
