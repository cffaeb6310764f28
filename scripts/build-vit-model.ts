/**
 * Builds the bundled small Vision Transformer for Fashion-MNIST (architecture:
 * scripts/lib/vit-model.ts; Keras's MultiHeadAttention and Keras Hub's PositionEmbedding from
 * src/coar/layers), trained with the tfjs wasm backend in Node, one core, like the CNN demos.
 *
 *   npx tsx scripts/build-vit-model.ts [--epochs 15] [--seed 1] [--lr 0.001] [--batch-size 64]
 *       [--no-augment] [--train-limit N] [--test-limit N] [--idx-dir DIR] [--out public]
 *       [--name fashion-vit] [--patch 7 --dim 64 --heads 4 --mlp 128 --blocks 6]
 *       [--resume-epoch K]              (continue from the checkpoint saved after epoch K)
 *
 * Rebuild the shipped model with:
 *   nohup npx tsx scripts/build-vit-model.ts --epochs 15 > /tmp/vit-train.log 2>&1 &
 *
 * Training: Adam, a linear warm-up then a cosine decay of the learning rate to 1% of its peak,
 * random horizontal flips and random shifts of up to 2 pixels (zero padded), softmax cross-entropy
 * on the logits. Input: 28×28×1, pixels scaled to 0–1 (the demo models' preprocessing). The model,
 * MODEL_CARD.md and training-history.json are written to public/models/<name>/ after every epoch,
 * so an interrupted build keeps its last finished epoch (--resume-epoch; the optimizer state
 * starts fresh, the learning-rate schedule continues where it was).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../src/node/backend';
import { loadModel, saveModel } from '../src/node/files';
import { registerWasmGradientKernels } from '../src/coar/wasm-gradients';
import { registerTransformerLayers } from '../src/coar/layers';
import { registerWasmTransformerKernels } from '../src/coar/layers/wasm-kernels';
import { Rng } from '../src/coar/random';
import { accuracy, batchTensors, DEFAULT_IDX_DIR, loadSplit } from './lib/fashion';
import { buildVitModel, VIT_SHAPE, vitHeadCount, vitMacs, vitMlpNeurons, vitTokens, type VitShape } from './lib/vit-model';

const { values: args } = parseArgs({
  options: {
    'idx-dir': { type: 'string', default: DEFAULT_IDX_DIR },
    epochs: { type: 'string', default: '15' },
    seed: { type: 'string', default: '1' },
    lr: { type: 'string', default: '0.001' },
    'batch-size': { type: 'string', default: '64' },
    'no-augment': { type: 'boolean', default: false },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    out: { type: 'string', default: 'public' },
    name: { type: 'string', default: 'fashion-vit' },
    'resume-epoch': { type: 'string' },
    patch: { type: 'string', default: String(VIT_SHAPE.patch) },
    dim: { type: 'string', default: String(VIT_SHAPE.dim) },
    heads: { type: 'string', default: String(VIT_SHAPE.heads) },
    mlp: { type: 'string', default: String(VIT_SHAPE.mlp) },
    blocks: { type: 'string', default: String(VIT_SHAPE.blocks) },
  },
});

const seed = Number(args.seed);
const epochs = Number(args.epochs);
const peakLr = Number(args.lr);
const batchSize = Number(args['batch-size']);
const augment = !args['no-augment'];
const name = args.name!;
const modelDir = join(args.out!, 'models', name);
const historyPath = join(modelDir, 'training-history.json');
const shape: VitShape = { patch: Number(args.patch), dim: Number(args.dim), heads: Number(args.heads), mlp: Number(args.mlp), blocks: Number(args.blocks) };
const SHIFT = 2;

await initNodeBackend('wasm');
registerWasmGradientKernels();
registerWasmTransformerKernels();
registerTransformerLayers();

const train = loadSplit(args['idx-dir']!, 'train');
const test = loadSplit(args['idx-dir']!, 't10k');
const trainCount = args['train-limit'] ? Number(args['train-limit']) : train.count;
const testCount = args['test-limit'] ? Number(args['test-limit']) : test.count;

/** A batch with random flips and shifts (the shift's uncovered border is 0, the background). */
function trainBatch(idx: ArrayLike<number>, rng: Rng) {
  const x = new Float32Array(idx.length * 784);
  const y = new Float32Array(idx.length * 10);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const src = i * 784;
    const mirror = augment && rng.nextFloat() < 0.5;
    const dr = augment ? Math.floor(rng.nextFloat() * (2 * SHIFT + 1)) - SHIFT : 0;
    const dc = augment ? Math.floor(rng.nextFloat() * (2 * SHIFT + 1)) - SHIFT : 0;
    for (let r = 0; r < 28; r++) {
      const sr = r - dr;
      if (sr < 0 || sr >= 28) continue;
      for (let c = 0; c < 28; c++) {
        const sc0 = c - dc;
        if (sc0 < 0 || sc0 >= 28) continue;
        const sc = mirror ? 27 - sc0 : sc0;
        x[k * 784 + r * 28 + c] = train.images[src + sr * 28 + sc] / 255;
      }
    }
    y[k * 10 + train.labels[i]] = 1;
  }
  return { x: tf.tensor4d(x, [idx.length, 28, 28, 1]), y: tf.tensor2d(y, [idx.length, 10]) };
}

interface EpochRecord { epoch: number; testAccuracy: number; trainLoss: number; seconds: number }
const resumeEpoch = args['resume-epoch'] ? Number(args['resume-epoch']) : 0;
let history: EpochRecord[] = [];
let model: tf.LayersModel;
if (resumeEpoch > 0) {
  model = await loadModel(join(modelDir, 'model.json'));
  history = existsSync(historyPath) ? (JSON.parse(readFileSync(historyPath, 'utf8')) as EpochRecord[]).filter((h) => h.epoch <= resumeEpoch) : [];
  process.stderr.write(`resuming after epoch ${resumeEpoch} from ${modelDir} (optimizer state starts fresh)\n`);
} else {
  model = buildVitModel(seed, shape);
}
const optimizer = tf.train.adam(peakLr);
model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });

const stepsPerEpoch = Math.ceil(trainCount / batchSize);
const totalSteps = epochs * stepsPerEpoch;
const warmup = Math.min(Math.max(1, stepsPerEpoch), Math.floor(totalSteps / 10));
const lrAt = (step: number) => step < warmup
  ? peakLr * (0.05 + 0.95 * step / warmup)
  : peakLr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, totalSteps - warmup))));

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const heads = vitHeadCount(shape);
const neurons = vitMlpNeurons(shape);
process.stderr.write(`ViT ${JSON.stringify(shape)}: ${model.countParams().toLocaleString('en-US')} parameters, ${heads} heads + ${neurons} MLP neurons, `
  + `${(vitMacs(shape) / 1e6).toFixed(2)} M multiply-adds per image; ${epochs} epochs of ${trainCount} images, ${stepsPerEpoch} steps each\n`);

for (let epoch = resumeEpoch; epoch < epochs; epoch++) {
  const rng = new Rng(seed * 7919 + epoch);
  const order = Int32Array.from({ length: trainCount }, (_, i) => i);
  rng.shuffle(order);
  const started = Date.now();
  let lossSum = 0;
  for (let b = 0; b < stepsPerEpoch; b++) {
    (optimizer as unknown as { learningRate: number }).learningRate = lrAt(epoch * stepsPerEpoch + b);
    const { x, y } = trainBatch(order.subarray(b * batchSize, Math.min(trainCount, (b + 1) * batchSize)), rng);
    lossSum += (await model.trainOnBatch(x, y)) as number;
    tf.dispose([x, y]);
    if ((b + 1) % 100 === 0) {
      const done = Math.min(trainCount, (b + 1) * batchSize);
      const rate = done / ((Date.now() - started) / 1000);
      process.stderr.write(`epoch ${epoch + 1}/${epochs}: ${done}/${trainCount} loss ${(lossSum / (b + 1)).toFixed(4)} lr ${lrAt(epoch * stepsPerEpoch + b).toExponential(2)} ${rate.toFixed(1)} img/s, epoch ETA ${((trainCount - done) / rate / 60).toFixed(1)} min\n`);
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const record: EpochRecord = { epoch: epoch + 1, testAccuracy: accuracy(model, test, testCount), trainLoss: lossSum / stepsPerEpoch, seconds };
  history.push(record);
  process.stderr.write(`epoch ${epoch + 1}: test accuracy ${pct(record.testAccuracy)} (${testCount.toLocaleString('en-US')} images), train loss ${record.trainLoss.toFixed(4)}, ${record.seconds} s\n`);
  await saveModel(model, modelDir);
  await checkReload();
  writeFileSync(historyPath, JSON.stringify(history, null, 2) + '\n');
  writeFileSync(join(modelDir, 'MODEL_CARD.md'), modelCard());
}
console.log(JSON.stringify({ name, shape, history, params: model.countParams(), heads, mlpNeurons: neurons, macs: vitMacs(shape), weightBytes: statSync(join(modelDir, 'weights.bin')).size }));

/** The saved files, read back through the app's own loader (src/node/files.ts), give the same logits. */
async function checkReload(): Promise<void> {
  const reloaded = await loadModel(join(modelDir, 'model.json'));
  const { x, y } = batchTensors(test, Array.from({ length: 64 }, (_, i) => i));
  const diff = tf.tidy(() => tf.abs(tf.sub(model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor)).max().dataSync()[0]);
  tf.dispose([x, y]);
  reloaded.dispose();
  if (!(diff <= 1e-5)) throw new Error(`the saved model reloads with different logits (max difference ${diff})`);
}

function modelCard(): string {
  const last = history[history.length - 1];
  const s = shape;
  const T = vitTokens(s);
  const defaults = shape.patch === VIT_SHAPE.patch && shape.dim === VIT_SHAPE.dim && shape.heads === VIT_SHAPE.heads && shape.mlp === VIT_SHAPE.mlp && shape.blocks === VIT_SHAPE.blocks;
  const flags = [`--epochs ${epochs}`, args.lr !== '0.001' ? `--lr ${args.lr}` : '', seed !== 1 ? `--seed ${seed}` : '', augment ? '' : '--no-augment',
    defaults ? '' : `--patch ${s.patch} --dim ${s.dim} --heads ${s.heads} --mlp ${s.mlp} --blocks ${s.blocks}`].filter(Boolean).join(' ');
  const perEpoch = history.map((h) => `| ${h.epoch} | ${pct(h.testAccuracy)} | ${h.trainLoss.toFixed(4)} | ${(h.seconds / 60).toFixed(1)} min |`).join('\n');
  return `# ${name}

A small Vision Transformer (ViT) for Fashion-MNIST, for COAR Explorer: attention heads and MLP
neurons as COAR components. Built by \`npx tsx scripts/build-vit-model.ts ${flags}\`
(architecture in scripts/lib/vit-model.ts; the layers in src/coar/layers).

- Input: 28×28×1 grey-scale image, pixel values scaled to 0–1. Output: 10 logits (no softmax).
- Layers, in Keras's form (a Keras ViT converted by tensorflowjs_converter has the same layers and
  weight layout): patch embedding Conv2D(${s.dim}, ${s.patch}×${s.patch}, stride ${s.patch}) → ${T} tokens of ${s.dim};
  learned position embedding (Keras Hub PositionEmbedding) added; ${s.blocks} pre-norm transformer blocks, each
  LayerNormalization → MultiHeadAttention(${s.heads} heads, key_dim ${s.dim / s.heads}, self-attention) → residual Add →
  LayerNormalization → Dense(${s.mlp}, gelu) → Dense(${s.dim}) → residual Add; final LayerNormalization →
  GlobalAveragePooling1D → Dense(10) logits.
- **Components for COAR: ${heads} attention heads (\`block{i}_attention\`, ${s.heads} per block) and
  ${neurons} MLP neurons (\`block{i}_mlp_hidden\`, ${s.mlp} per block)**; ${heads + neurons} in all (the ${s.dim} patch-embedding
  filters and the ${s.dim} units of each \`block{i}_mlp_out\` are further conv/dense channels if counted).
- Parameters: ${model.countParams().toLocaleString('en-US')}. Multiply-adds per image: ${(vitMacs(s) / 1e6).toFixed(2)} M.
- Training: ${trainCount.toLocaleString('en-US')} Fashion-MNIST training images, ${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, Adam (peak ${peakLr},
  ${warmup}-step warm-up, cosine decay to 1%), ${augment ? `random horizontal flips and shifts of up to ${SHIFT} pixels, ` : ''}softmax cross-entropy, seed ${seed};
  tfjs wasm backend in Node, one thread.
- **Test accuracy: ${pct(last.testAccuracy)}** on ${testCount === 10000 ? 'the full 10,000' : `the first ${testCount.toLocaleString('en-US')} of the`} Fashion-MNIST test images (after epoch ${last.epoch}).
- Data: Fashion-MNIST (Zalando Research), MIT licence.

| epoch | test accuracy | train loss | time |
|---|---|---|---|
${perEpoch}
`;
}
