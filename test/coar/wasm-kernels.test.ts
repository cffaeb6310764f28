/** The faster wasm Tile kernel the engine installs gives exactly what the cpu backend's Tile gives. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tileView } from '../../src/coar/layers/wasm-kernels';
import { Rng } from '../../src/coar/random';

const CASES: [number[], number[]][] = [
  [[5], [3]], [[4, 1], [1, 7]], [[2, 3], [2, 2]], [[6, 16, 1], [1, 1, 64]], [[3, 1, 5], [1, 4, 1]],
  [[7, 5, 5, 1], [3, 1, 1, 1]], [[2, 3, 4, 2], [2, 3, 2, 2]], [[2, 2, 2, 2, 2], [2, 1, 3, 1, 2]],
];

describe('the wasm Tile kernel (installed by the backend set-up)', () => {
  it('is the one running in these tests', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect((tf.getKernel('Tile', 'wasm') as { replaced?: boolean }).replaced).toBe(true);
  });

  for (const [shape, reps] of CASES) {
    it(`tiles ${JSON.stringify(shape)} by ${JSON.stringify(reps)} exactly as the cpu backend`, async () => {
      const rng = new Rng(shape.length * 31 + reps[0]);
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.nextFloat() * 2 - 1);
      const onWasm = tf.tile(tf.tensor(values, shape), reps);
      const got = { shape: onWasm.shape, data: Array.from(await onWasm.data()) };
      await tf.setBackend('cpu');
      const expected = tf.tile(tf.tensor(values, shape), reps);
      const want = { shape: expected.shape, data: Array.from(await expected.data()) };
      await tf.setBackend('wasm');
      expect(got).toEqual(want);
    });
  }

  it('keeps the broadcasting multiply within rank 6 by merging untiled axes', () => {
    expect(tileView([6, 16, 1], [1, 1, 64])).toEqual({ view: [96, 1, 1], onesShape: [1, 64, 1] });
    expect(tileView([7, 28, 28, 1], [3, 1, 1, 1])).toEqual({ view: [1, 7 * 784], onesShape: [3, 1] });
    expect(tileView([3, 1, 5], [1, 4, 1])).toEqual({ view: [3, 1, 5], onesShape: [1, 4, 1] });
  });
});
