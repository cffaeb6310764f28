/**
 * A Keras-style classifier with a softmax output whose answers are known exactly: it sorts 4×4
 * grey images by brightness into CLASSES (dark, mid, bright, in that output order), and colour
 * PNG folders at 8×8 whose names sort differently (bright, dark, mid).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { saveModel } from '../../src/node/files';

export const CLASSES = ['dark', 'mid', 'bright'];
const LEVELS = [0.15, 0.5, 0.85];
/** Logit scale: gaps of a few units, so probabilities (stuck in [0, 1]) differ visibly from logits. */
const SCALE = 12;

/**
 * flatten → dense "hidden" (2 ReLU units, each the mean brightness h) → dense "probs" with
 * softmax, logit_k = SCALE·(2·c_k·h − c_k²): the largest for the level c_k nearest to h.
 */
export function brightnessModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 4, 1], name: 'flatten' }),
      tf.layers.dense({ units: 2, activation: 'relu', name: 'hidden' }),
      tf.layers.dense({ units: CLASSES.length, activation: 'softmax', name: 'probs' }),
    ],
  });
  model.getLayer('hidden').setWeights([tf.fill([16, 2], 1 / 16), tf.zeros([2])]);
  model.getLayer('probs').setWeights([
    tf.tensor2d([LEVELS.map((c) => SCALE * c), LEVELS.map((c) => SCALE * c)]),
    tf.tensor1d(LEVELS.map((c) => -SCALE * c * c)),
  ]);
  return model;
}

export async function writeBrightnessModel(dir: string): Promise<string> {
  await saveModel(brightnessModel(), dir);
  return join(dir, 'model.json');
}

/** `perClass` 8×8 colour PNGs per class in sub-folders named after the classes; brightness jittered. */
export function writeBrightnessImages(dir: string, perClass = 5): void {
  CLASSES.forEach((name, c) => {
    mkdirSync(join(dir, name), { recursive: true });
    for (let k = 0; k < perClass; k++) {
      const level = LEVELS[c] + (k - (perClass - 1) / 2) * 0.02;
      const png = new PNG({ width: 8, height: 8, colorType: 2 });
      for (let p = 0; p < 64; p++) {
        const v = Math.round(255 * level);
        png.data.set([Math.min(255, v + 20), v, Math.max(0, v - 20), 255], p * 4);
      }
      writeFileSync(join(dir, name, `${name}_${k}.png`), PNG.sync.write(png, { colorType: 2 }));
    }
  });
}
