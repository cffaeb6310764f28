/**
 * A small run with no model behind it, shared by the run-file and run-store tests: 70 components
 * (not a multiple of 32, so the last mask word is partly used), 5 examples, 24 + 8 masks.
 */
import { writeKeepMask } from '../../src/coar/masks';
import { newRun, type MaskBlock, type RunData } from '../../src/coar/runfile';
import { DEFAULT_SETTINGS, type RunSettings } from '../../src/coar/settings';

export const LAYERS = [
  { name: 'conv1', className: 'Conv2D', kind: 'conv-filter', count: 40, offset: 0 },
  { name: 'block1/conv2', className: 'Conv2D', kind: 'conv-filter', count: 30, offset: 40 },
];
export const N = 70;
export const SETTINGS: RunSettings = { ...DEFAULT_SETTINGS, scores: 'as-is', alpha: 0.1, trainMasks: 24, valMasks: 8, seed: 3, layers: ['conv1', 'block1/conv2'], examples: [4, 17, 9, 0, 31] };
export const n = SETTINGS.examples.length;

export function emptyRun(shard?: RunData['shard']): RunData {
  return newRun({
    settings: SETTINGS,
    model: { name: 'resnet-cifar', fingerprint: '0123456789abcdef' },
    data: { name: 'cifar10-test', fingerprint: 'fedcba9876543210' },
    layers: LAYERS,
    labels: Int32Array.from([3, 1, 4, 1, 5]),
    baseOutputs: Float32Array.from([2.5, -0.75, 1.125, 3, -4]),
    createdAt: '2024-05-01T12:00:00.000Z',
    shard,
  });
}

/** A stand-in model whose output is linear in the keep-mask, so any machine computes the same rows. Returns the rows. */
export function computeRows(block: MaskBlock, rows: Iterable<number>): number[] {
  const done: number[] = [];
  const keep = new Float32Array(N);
  for (const r of rows) {
    writeKeepMask(block.masks, r, keep);
    for (let j = 0; j < n; j++) {
      let y = j - 2;
      for (let i = 0; i < N; i++) y += keep[i] * Math.sin(i * (j + 1));
      block.outputs[r * n + j] = y;
    }
    block.done[r] = 1;
    done.push(r);
  }
  return done;
}

export const range = (start: number, end: number) => Array.from({ length: end - start }, (_, k) => start + k);
