/**
 * The CLI on a folder of images, as a user brings them: run, eval reopening the same folder with
 * the run's recorded flags, inspect, and a bad flag refused with its message.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { coar, coarFails } from '../helpers/cli';
import { decodeRunFile } from '../../src/coar/runfile';
import { saveModel } from '../../src/node/files';

const dir = mkdtempSync(join(tmpdir(), 'coar-cli-images-'));
const MODEL = join(dir, 'model', 'model.json');
const IMAGES = join(dir, 'images');

/** 12 images in 3 class folders: gray 8×8 and colour 16×16 (resized and converted on import). */
function writeImages(): void {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 256;
  ['circle', 'square', 'stripe'].forEach((cls, c) => {
    mkdirSync(join(IMAGES, cls), { recursive: true });
    for (let k = 0; k < 4; k++) {
      const size = k % 2 === 0 ? 8 : 16;
      const png = new PNG({ width: size, height: size });
      for (let p = 0; p < size * size; p++) {
        const base = (c * 80 + next() / 4) | 0;
        png.data.set(k % 2 === 0 ? [base, base, base, 255] : [base, next(), (base + 40) % 256, 255], 4 * p);
      }
      writeFileSync(join(IMAGES, cls, `${k}.png`), PNG.sync.write(png));
    }
  });
  writeFileSync(join(IMAGES, 'notes.txt'), 'skipped');
}

describe('coar CLI on a folder of images', () => {
  const out = join(dir, 'images.coar');
  let runReport: Record<string, unknown>;
  beforeAll(async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 3, name: 'logits', kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    await saveModel(model, join(dir, 'model'));
    writeImages();
    runReport = JSON.parse((await coar(['run', '--model', MODEL, '--data', IMAGES, '--examples', '12', '--alpha', '0.25', '--masks', '40', '--val-masks', '10', '--seed', '1', '--out', out])).stdout);
  });

  it('run fits attributions on the imported images and writes the run file', () => {
    expect(runReport).toMatchObject({ out, examples: 12, components: 4, fitted: true });
    expect(typeof runReport.validationCorrelation).toBe('number');
    expect(existsSync(out)).toBe(true);
    const run = decodeRunFile(new Uint8Array(readFileSync(out)));
    expect(run.data.name).toBe(`${IMAGES}?labels=folder&normalize=0-1`);
    expect(Array.from(run.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('eval reopens the same image folder with the recorded flags when given --model and --data', async () => {
    const report = JSON.parse((await coar(['eval', out, '--model', MODEL, '--data', IMAGES, '--masks', '20', '--json'])).stdout);
    expect(report.examples).toBe(12);
    expect(report.alphas).toEqual([0.25]);
    expect(report.coar['0.25']).toBeGreaterThan(0);
  });

  it('inspect prints the model summary, memory estimate and the data set', async () => {
    const r = JSON.parse((await coar(['inspect', '--model', MODEL, '--data', IMAGES])).stdout);
    expect(r.model).toMatchObject({ inputShape: [null, 8, 8, 1], classCount: 3, componentCount: 4, paramCount: 40 + 144 * 3 + 3 });
    expect(r.model.layers.map((l: { name: string; components: number }) => [l.name, l.components])).toEqual([['conv', 4], ['flat', 0], ['logits', 0]]);
    expect(r.model.layers[0].outputShape).toEqual([null, 6, 6, 4]);
    expect(r.memory.peakBytes).toBe(r.memory.weightBytes + r.memory.pairsPerBatch * r.memory.bytesPerPair);
    expect(r.data).toMatchObject({ count: 12, height: 8, width: 8, channels: 1, classNames: ['circle', 'square', 'stripe'], perClass: [4, 4, 4], resized: 6, convertedChannels: 6 });
  });

  it('refuses a bad flag with a clear message', async () => {
    const stderr = await coarFails(['run', '--model', MODEL, '--data', IMAGES, '--normalize', 'bogus', '--out', join(dir, 'x.coar')]);
    expect(stderr).toMatch(/Unknown normalization "bogus": use 0-1/);
    expect(await coarFails(['inspect', '--model', MODEL, '--data', IMAGES, '--labels', 'csv'])).toMatch(/--labels must be folder, prefix, prefix:SEPARATOR or csv:FILE \(got "csv"\)/);
    expect(await coarFails(['inspect', '--model', MODEL, '--data', 'public/data/fashion-mnist-test', '--normalize', '0-1'])).toMatch(/--normalize applies only to a folder of images; public\/data\/fashion-mnist-test is a bundled data set/);
    expect(existsSync(join(dir, 'x.coar'))).toBe(false);
    // A flag given to eval overrides the recorded one; the data then differs, and the run says so.
    expect(await coarFails(['eval', out, '--model', MODEL, '--data', IMAGES, '--normalize=-1-1', '--json'])).toMatch(/This run file was made with data set ".*images\?labels=folder&normalize=0-1"/);
  });
});
