/** Fashion-MNIST for the demo builders: IDX splits, training batches, the bundled format, a trigger patch. */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SubsetInfo } from '../../src/coar/dataset';
import { readIdx } from './idx';

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
export const DEFAULT_IDX_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

export interface Split { images: Uint8Array; labels: Uint8Array; count: number }

export function loadSplit(idxDir: string, prefix: 'train' | 't10k'): Split {
  const images = readIdx(join(idxDir, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(join(idxDir, `${prefix}-labels-idx1-ubyte.gz`));
  return { images: images.data, labels: labels.data, count: images.dims[0] };
}

/** The backdoor trigger: a small white square in the bottom-right corner. */
export const TRIGGER = { top: 23, left: 23, size: 4, value: 255 };

/** The trigger in dataset.json's words ("subsetInfo"), so the page can say which images carry it and where. */
export function triggerInfo(targetClass: string): SubsetInfo {
  const last = (start: number) => start + TRIGGER.size - 1;
  return {
    description: `the backdoor trigger: a ${TRIGGER.size}×${TRIGGER.size} white square near the bottom-right corner (rows ${TRIGGER.top}–${last(TRIGGER.top)}, columns ${TRIGGER.left}–${last(TRIGGER.left)} of the 28×28 image); the backdoored model answers "${targetClass}" when it sees it`,
    region: { top: TRIGGER.top, left: TRIGGER.left, height: TRIGGER.size, width: TRIGGER.size },
  };
}

export function withTrigger(split: Split, indices?: ArrayLike<number>): Split {
  const images = split.images.slice();
  const which = indices ?? Array.from({ length: split.count }, (_, i) => i);
  for (let k = 0; k < which.length; k++) {
    const base = which[k] * 784;
    for (let r = TRIGGER.top; r < TRIGGER.top + TRIGGER.size; r++) {
      for (let c = TRIGGER.left; c < TRIGGER.left + TRIGGER.size; c++) images[base + r * 28 + c] = TRIGGER.value;
    }
  }
  return { ...split, images };
}

export function batchTensors(split: Split, idx: ArrayLike<number>) {
  const x = new Float32Array(idx.length * 784);
  const y = new Float32Array(idx.length * 10);
  for (let k = 0; k < idx.length; k++) {
    const src = idx[k] * 784;
    for (let j = 0; j < 784; j++) x[k * 784 + j] = split.images[src + j] / 255;
    y[k * 10 + split.labels[idx[k]]] = 1;
  }
  return { x: tf.tensor4d(x, [idx.length, 28, 28, 1]), y: tf.tensor2d(y, [idx.length, 10]) };
}

/** Fraction of the first `count` examples classified as their label (optionally only those `where` holds). */
export function accuracy(model: tf.LayersModel, split: Split, count = split.count, where: (i: number) => boolean = () => true): number {
  let correct = 0;
  let total = 0;
  for (let start = 0; start < count; start += 500) {
    const idx = Array.from({ length: Math.min(500, count - start) }, (_, i) => start + i).filter(where);
    if (idx.length === 0) continue;
    const { x, y } = batchTensors(split, idx);
    const logits = model.predict(x) as tf.Tensor;
    const pred = logits.argMax(-1).dataSync();
    idx.forEach((i, k) => { if (pred[k] === split.labels[i]) correct++; });
    total += idx.length;
    tf.dispose([x, y, logits]);
  }
  return correct / total;
}

export function writeBundledData(dir: string, split: Split, count: number, name: string, source: string, subsets?: Record<string, [number, number]>, subsetInfo?: Record<string, SubsetInfo>) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'images.u8'), split.images.subarray(0, count * 784));
  writeFileSync(join(dir, 'labels.u8'), split.labels.subarray(0, count));
  writeFileSync(join(dir, 'dataset.json'), JSON.stringify({
    format: 'coar-images-v1', name, count, height: 28, width: 28, channels: 1,
    classNames: FASHION_CLASSES, normalize: { kind: '0-1' }, images: 'images.u8', labels: 'labels.u8', source,
    ...(subsets ? { subsets } : {}),
    ...(subsetInfo ? { subsetInfo } : {}),
  }, null, 2) + '\n');
}
