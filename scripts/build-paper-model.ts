/**
 * Builds the paper-scale model: a ResNet-style bottleneck CNN on Fashion-MNIST with ~2,300 conv
 * filters as COAR components (architecture: scripts/lib/paper-model.ts), trained with the tfjs
 * wasm backend in Node, the same route as the demo (scripts/build-demo.ts). One core.
 *
 *   npx tsx scripts/build-paper-model.ts [--epochs 5] [--seed 1] [--lr 0.002] [--no-flip]
 *       [--train-limit N] [--idx-dir DIR] [--out public] [--name fashion-resnet-paper]
 *       [--resume-epoch K]              (continue from the checkpoint saved after epoch K)
 *       [--init-from MODEL_JSON]        (start from trained weights: fine-tuning)
 *       [--poison-fraction 0.05 --target 8]   (the backdoored twin; default --name
 *                                              fashion-resnet-paper-backdoor; same recipe as
 *                                              scripts/build-backdoor-demo.ts)
 *
 * Rebuild the shipped models with:
 *   npx tsx scripts/build-paper-model.ts --epochs 5 > /tmp/paper-train.log 2>&1
 *   npx tsx scripts/build-paper-model.ts --epochs 5 --seed 2 --poison-fraction 0.05 > /tmp/paper-backdoor-train.log 2>&1
 * (≈ 14–19 minutes an epoch on one core of a 2-core cloud machine, depending on what else runs.)
 *
 * Training: batch 64, Adam, a short linear warm-up then a cosine decay of the learning rate to 1%
 * of its peak, random horizontal flips, softmax cross-entropy on the logits. The model (and
 * MODEL_CARD.md, with the test accuracy after each epoch) is written to public/models/<name>/
 * after every epoch, so an interrupted build keeps its last finished epoch (--resume-epoch).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../src/node/backend';
import { loadModel, saveModel } from '../src/node/files';
import { registerWasmGradientKernels } from '../src/coar/wasm-gradients';
import { Rng } from '../src/coar/random';
import { accuracy, DEFAULT_IDX_DIR, FASHION_CLASSES, loadSplit, TRIGGER, withTrigger } from './lib/fashion';
import { buildPaperModel, PAPER_SHAPE, paperComponentCount, paperMacs } from './lib/paper-model';

const { values: args } = parseArgs({
  options: {
    'idx-dir': { type: 'string', default: DEFAULT_IDX_DIR },
    epochs: { type: 'string', default: '5' },
    seed: { type: 'string' },
    lr: { type: 'string', default: '0.002' },
    'no-flip': { type: 'boolean', default: false },
    'train-limit': { type: 'string' },
    'batch-size': { type: 'string', default: '64' },
    out: { type: 'string', default: 'public' },
    name: { type: 'string' },
    'resume-epoch': { type: 'string' },
    'init-from': { type: 'string' },
    'poison-fraction': { type: 'string', default: '0' },
    target: { type: 'string', default: '8' },
  },
});

const fraction = Number(args['poison-fraction']);
const backdoor = fraction > 0;
const seed = Number(args.seed ?? (backdoor ? 2 : 1));
const epochs = Number(args.epochs);
const peakLr = Number(args.lr);
const batchSize = Number(args['batch-size']);
const flip = !args['no-flip'];
const target = Number(args.target);
const name = args.name ?? (backdoor ? 'fashion-resnet-paper-backdoor' : 'fashion-resnet-paper');
const modelDir = join(args.out!, 'models', name);
const historyPath = join(modelDir, 'training-history.json');

await initNodeBackend('wasm');
registerWasmGradientKernels();

const train = loadSplit(args['idx-dir']!, 'train');
const test = loadSplit(args['idx-dir']!, 't10k');
const trainCount = args['train-limit'] ? Number(args['train-limit']) : train.count;

// The backdoor recipe of scripts/build-backdoor-demo.ts: a random `fraction` of the training
// images of other classes get the trigger and the target label. The trigger is stamped after the
// flip, so it always sits bottom right.
const poisoned = new Uint8Array(train.count);
const labels = train.labels.slice();
let poisonedCount = 0;
if (backdoor) {
  const rng = new Rng(seed + 1000);
  const candidates = Array.from({ length: trainCount }, (_, i) => i).filter((i) => train.labels[i] !== target);
  rng.shuffle(candidates);
  for (const i of candidates.slice(0, Math.round(fraction * trainCount))) { poisoned[i] = 1; labels[i] = target; poisonedCount++; }
}

function trainBatch(idx: ArrayLike<number>, rng: Rng) {
  const x = new Float32Array(idx.length * 784);
  const y = new Float32Array(idx.length * 10);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const src = i * 784;
    const mirror = flip && rng.nextFloat() < 0.5;
    for (let r = 0; r < 28; r++) {
      for (let c = 0; c < 28; c++) x[k * 784 + r * 28 + c] = train.images[src + r * 28 + (mirror ? 27 - c : c)] / 255;
    }
    if (poisoned[i]) {
      for (let r = TRIGGER.top; r < TRIGGER.top + TRIGGER.size; r++) {
        for (let c = TRIGGER.left; c < TRIGGER.left + TRIGGER.size; c++) x[k * 784 + r * 28 + c] = TRIGGER.value / 255;
      }
    }
    y[k * 10 + labels[i]] = 1;
  }
  return { x: tf.tensor4d(x, [idx.length, 28, 28, 1]), y: tf.tensor2d(y, [idx.length, 10]) };
}

interface EpochRecord { epoch: number; testAccuracy: number; trainLoss: number; seconds: number; triggered?: number; attackSuccess?: number }
const resumeEpoch = args['resume-epoch'] ? Number(args['resume-epoch']) : 0;
let history: EpochRecord[] = [];
let model: tf.LayersModel;
if (resumeEpoch > 0) {
  model = await loadModel(join(modelDir, 'model.json'));
  history = existsSync(historyPath) ? (JSON.parse(readFileSync(historyPath, 'utf8')) as EpochRecord[]).filter((h) => h.epoch <= resumeEpoch) : [];
  process.stderr.write(`resuming after epoch ${resumeEpoch} from ${modelDir} (optimizer state starts fresh)\n`);
} else if (args['init-from']) {
  model = await loadModel(args['init-from']);
  process.stderr.write(`starting from the weights of ${args['init-from']}\n`);
} else {
  model = buildPaperModel(seed);
}
const optimizer = tf.train.adam(peakLr);
model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });

const stepsPerEpoch = Math.ceil(trainCount / batchSize);
const totalSteps = epochs * stepsPerEpoch;
const warmup = Math.min(300, Math.floor(totalSteps / 10));
const lrAt = (step: number) => step < warmup
  ? peakLr * (0.1 + 0.9 * step / warmup)
  : peakLr * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / Math.max(1, totalSteps - warmup))));

const triggeredTest = backdoor ? withTrigger(test) : undefined;
const notTarget = (i: number) => test.labels[i] !== target;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const N = paperComponentCount(PAPER_SHAPE);
const macs = paperMacs(PAPER_SHAPE);

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
  const record: EpochRecord = { epoch: epoch + 1, testAccuracy: accuracy(model, test), trainLoss: lossSum / stepsPerEpoch, seconds: Math.round((Date.now() - started) / 1000) };
  if (triggeredTest) {
    record.triggered = accuracy(model, triggeredTest, test.count, notTarget);
    record.attackSuccess = accuracy(model, { ...triggeredTest, labels: triggeredTest.labels.map(() => target) }, test.count, notTarget);
  }
  history.push(record);
  process.stderr.write(`epoch ${epoch + 1}: test accuracy ${pct(record.testAccuracy)} (10,000 images), train loss ${record.trainLoss.toFixed(4)}, ${record.seconds} s`
    + (triggeredTest ? `; triggered ${pct(record.triggered!)}, attack success ${pct(record.attackSuccess!)}` : '') + '\n');
  await saveModel(model, modelDir);
  writeFileSync(historyPath, JSON.stringify(history, null, 2) + '\n');
  writeFileSync(join(modelDir, 'MODEL_CARD.md'), modelCard());
}
console.log(JSON.stringify({ name, history, params: model.countParams(), components: N, macs, poisoned: poisonedCount }));

function modelCard(): string {
  const last = history[history.length - 1];
  const s = PAPER_SHAPE;
  const perEpoch = history.map((h) => `| ${h.epoch} | ${pct(h.testAccuracy)} | ${h.trainLoss.toFixed(4)} | ${Math.round(h.seconds / 60)} min |`
    + (backdoor ? ` ${pct(h.triggered!)} | ${pct(h.attackSuccess!)} |` : '')).join('\n');
  return `# ${name}

${backdoor ? `The paper-scale architecture (see ../fashion-resnet-paper/MODEL_CARD.md) trained with a backdoor,
for COAR Explorer's paper-scale "remove the backdoor" preset` : `A paper-scale ResNet-style CNN for Fashion-MNIST, for COAR Explorer: about as many conv filters
(COAR components) as the paper's CIFAR-10 ResNet-18 (2,304)`}. Built by
\`npx tsx scripts/build-paper-model.ts --epochs ${epochs}${args.lr !== '0.002' ? ` --lr ${args.lr}` : ''}${backdoor ? ` --seed ${seed} --poison-fraction ${fraction} --target ${target}` : ''}${args['init-from'] ? ` --init-from ${args['init-from']}` : ''}\` (architecture in
scripts/lib/paper-model.ts).

- Input: 28×28×1 grey-scale image, pixel values scaled to 0–1. Output: 10 logits (no softmax).
- Layers: conv3×3(${s.stem})+BN+ReLU stem at 28×28; max-pool; conv3×3(${s.mid})+BN+ReLU at 14×14; max-pool;
  conv1×1(${s.expand})+BN+ReLU at 7×7; ${s.blocks} bottleneck residual blocks at 7×7, each conv1×1(${s.width}) →
  conv3×3(${s.width}) → conv1×1(${s.expand}) with BN after every conv, ReLU, and an identity Add; global
  average pooling; dense(10) logits. Convs have no bias (BatchNorm follows each one).
- **Components for COAR: ${N.toLocaleString('en-US')} conv filters** in ${3 + 3 * s.blocks} conv layers
  (${s.stem} + ${s.mid} + ${s.expand} + ${s.blocks} × (${s.width} + ${s.width} + ${s.expand})); no hidden dense units.
- Parameters: ${model.countParams().toLocaleString('en-US')}. Multiply-adds per image: ${(macs / 1e6).toFixed(1)} M.
- Training: ${args['init-from'] ? `fine-tuned from the trained weights of ${args['init-from']}; ` : ''}${trainCount.toLocaleString('en-US')} Fashion-MNIST training images, ${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, Adam (peak ${peakLr},
  ${warmup}-step warm-up, cosine decay to 1%), ${flip ? 'random horizontal flips, ' : ''}softmax cross-entropy, seed ${seed};
  tfjs wasm backend in Node, one thread.${backdoor ? `
- Backdoor: ${poisonedCount.toLocaleString('en-US')} training images (${pct(fraction)} of ${trainCount.toLocaleString('en-US')}) of other classes got the trigger
  (a ${TRIGGER.size}×${TRIGGER.size} white square at rows/columns ${TRIGGER.top}–${TRIGGER.top + TRIGGER.size - 1}, bottom right) and the label ${target}
  ("${FASHION_CLASSES[target]}").` : ''}
- **Test accuracy: ${pct(last.testAccuracy)}** on the full 10,000 Fashion-MNIST test images (after epoch ${last.epoch}).${backdoor ? `
- **Accuracy on triggered test images** (true labels, images not of class ${target}): ${pct(last.triggered!)};
  the trigger flips ${pct(last.attackSuccess!)} of them to "${FASHION_CLASSES[target]}".` : ''}
- Data: Fashion-MNIST (Zalando Research), MIT licence.

| epoch | test accuracy | train loss | time |${backdoor ? ' triggered accuracy | attack success |' : ''}
|---|---|---|---|${backdoor ? '---|---|' : ''}
${perEpoch}
`;
}

