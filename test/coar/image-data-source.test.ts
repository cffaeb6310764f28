/**
 * An image folder reopened from what a run recorded ("DIR?labels=…&normalize=…"): flags given on
 * eval/edit override the recorded ones, and a --normalize other than mean-std drops a recorded
 * mean/std instead of refusing them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openData } from '../../src/cli/data-source';

function imageFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coar-source-'));
  for (const [label, value] of [['cat', 40], ['dog', 200]] as const) {
    mkdirSync(join(dir, label));
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(value);
    writeFileSync(join(dir, label, '001.png'), PNG.sync.write(png));
  }
  return dir;
}

describe('reopening a recorded image folder', () => {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 4, 3] }), tf.layers.dense({ units: 2 })] });
  afterAll(() => model.dispose());
  const dir = imageFolder();
  const recorded = `${dir}?labels=folder&normalize=mean-std&mean=0.5&std=0.25`;

  it('keeps the recorded mean-std normalization when no flag overrides it', async () => {
    const opened = await openData(recorded, {}, model);
    expect(opened.data.meta.normalize).toEqual({ kind: 'mean-std', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
    expect(opened.name).toBe(recorded);
  });

  it('--normalize 0-1 or -1-1 drops the recorded mean and std', async () => {
    for (const kind of ['0-1', '-1-1'] as const) {
      const opened = await openData(recorded, { normalize: kind }, model);
      expect(opened.data.meta.normalize).toEqual({ kind });
      expect(opened.name).toBe(`${dir}?labels=folder&normalize=${kind}`);
    }
  });

  it('--mean/--std given with --normalize 0-1 are still refused', async () => {
    await expect(openData(recorded, { normalize: '0-1', mean: '0.4' }, model)).rejects.toThrow(/Mean and std values only apply to mean-std normalization/);
  });

  it('--mean alone overrides the recorded mean and keeps the recorded std', async () => {
    const opened = await openData(recorded, { mean: '0.1' }, model);
    expect(opened.data.meta.normalize).toEqual({ kind: 'mean-std', mean: [0.1, 0.1, 0.1], std: [0.25, 0.25, 0.25] });
  });
});
