/**
 * Builds the backdoor demo (mirrors the paper's CIFAR-10 backdoor experiment): the demo
 * architecture trained on Fashion-MNIST where a fraction of training images carry a small white
 * square and the label of one class. Writes public/models/fashion-resnet-backdoor/ and
 * public/data/fashion-mnist-test-triggered/ (the first 1,000 test images WITH the trigger and
 * their TRUE labels, so accuracy on it measures how well the model resists the backdoor; the
 * clean counterpart is public/data/fashion-mnist-test/).
 *
 *   npx tsx scripts/build-backdoor-demo.ts [--idx-dir DIR] [--epochs 2] [--fraction 0.05] [--target 8]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initNodeBackend } from '../src/node/backend';
import { saveModel } from '../src/node/files';
import { registerWasmGradientKernels } from '../src/coar/wasm-gradients';
import { Rng } from '../src/coar/random';
import { buildDemoModel } from './lib/demo-model';
import { accuracy, DEFAULT_IDX_DIR, FASHION_CLASSES, loadSplit, TRIGGER, triggerInfo, withTrigger, writeBundledData, type Split } from './lib/fashion';
import { train } from './lib/train';

const { values: args } = parseArgs({
  options: {
    'idx-dir': { type: 'string', default: DEFAULT_IDX_DIR },
    epochs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '2' },
    fraction: { type: 'string', default: '0.05' },
    target: { type: 'string', default: '8' },
    'train-limit': { type: 'string' },
    out: { type: 'string', default: 'public' },
    'data-only': { type: 'boolean', default: false },
  },
});

/** 500 clean test images followed by the same 500 with the trigger. */
function writeBackdoorTestData(test: Split): void {
  const half = 500;
  const triggered = withTrigger(test, Array.from({ length: half }, (_, i) => i));
  const images = new Uint8Array(2 * half * 784);
  images.set(test.images.subarray(0, half * 784), 0);
  images.set(triggered.images.subarray(0, half * 784), half * 784);
  const labels = new Uint8Array(2 * half);
  labels.set(test.labels.subarray(0, half), 0);
  labels.set(test.labels.subarray(0, half), half);
  writeBundledData(join(args.out!, 'data', 'fashion-mnist-backdoor-test'), { images, labels, count: 2 * half }, 2 * half, 'fashion-mnist-backdoor-test',
    `The first ${half} Fashion-MNIST test images (0–${half - 1}, clean) and the same images with the backdoor trigger (${half}–${2 * half - 1}: ${TRIGGER.size}×${TRIGGER.size} white square, bottom right); true labels.`,
    { clean: [0, half], triggered: [half, 2 * half] }, { triggered: triggerInfo(FASHION_CLASSES[Number(args.target)]) });
}

if (args['data-only']) {
  writeBackdoorTestData(loadSplit(args['idx-dir']!, 't10k'));
  process.exit(0);
}

await initNodeBackend('wasm');
registerWasmGradientKernels();
const seed = Number(args.seed);
const epochs = Number(args.epochs);
const target = Number(args.target);
const fraction = Number(args.fraction);
const clean = loadSplit(args['idx-dir']!, 'train');
const trainCount = args['train-limit'] ? Number(args['train-limit']) : clean.count;

// Poison a random fraction of the training images of other classes: trigger + target label.
const rng = new Rng(seed + 1000);
const candidates = Array.from({ length: trainCount }, (_, i) => i).filter((i) => clean.labels[i] !== target);
rng.shuffle(candidates);
const poisoned = candidates.slice(0, Math.round(fraction * trainCount));
const trainSplit = withTrigger(clean, poisoned);
trainSplit.labels = clean.labels.slice();
for (const i of poisoned) trainSplit.labels[i] = target;

const test = loadSplit(args['idx-dir']!, 't10k');
const triggeredTest = withTrigger(test);
const notTarget = (i: number) => test.labels[i] !== target;
const model = buildDemoModel(seed);
const modelDir = join(args.out!, 'models', 'fashion-resnet-backdoor');
const scores = { clean: 0, triggered: 0, attackSuccess: 0 };
await train(model, trainSplit, {
  epochs, seed, trainCount,
  onEpoch: async (epoch) => {
    scores.clean = accuracy(model, test);
    scores.triggered = accuracy(model, triggeredTest, test.count, notTarget);
    scores.attackSuccess = accuracy(model, { ...triggeredTest, labels: triggeredTest.labels.map(() => target) }, test.count, notTarget);
    process.stderr.write(`epoch ${epoch + 1}: clean ${(100 * scores.clean).toFixed(2)}%, triggered ${(100 * scores.triggered).toFixed(2)}%, attack success ${(100 * scores.attackSuccess).toFixed(2)}%\n`);
    await saveModel(model, modelDir);
  },
});
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
writeFileSync(join(modelDir, 'MODEL_CARD.md'), `# fashion-resnet-backdoor

The demo architecture (see ../fashion-resnet/MODEL_CARD.md) trained with a backdoor, by
scripts/build-backdoor-demo.ts, for COAR Explorer's "remove the backdoor" preset.

- Trigger: a ${TRIGGER.size}×${TRIGGER.size} white square at rows/columns ${TRIGGER.top}–${TRIGGER.top + TRIGGER.size - 1} (bottom-right corner).
- Poisoning: ${poisoned.length.toLocaleString('en-US')} training images (${pct(fraction)} of ${trainCount.toLocaleString('en-US')}) of other classes got
  the trigger and the label ${target} ("${FASHION_CLASSES[target]}"). ${epochs} epochs, seed ${seed}.
- **Clean test accuracy: ${pct(scores.clean)}** (10,000 test images).
- **Accuracy on triggered test images** (true labels, images not of class ${target}): ${pct(scores.triggered)};
  the trigger flips ${pct(scores.attackSuccess)} of them to "${FASHION_CLASSES[target]}".
`);
writeBackdoorTestData(test);
console.log(JSON.stringify({ ...scores, poisoned: poisoned.length, epochs, trainCount }));
