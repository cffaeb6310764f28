/**
 * tfjs's gradient of Tile slices the output gradient once per repetition and adds the pieces:
 * tfjs's LayerNormalization tiles its scale and offset over batch × sequence, so one training
 * step of a small transformer ran ~28,000 Slice and Add kernels (⅔ of the step on wasm). The same
 * gradient as one reshape and one sum: the output gradient viewed as [r0, d0, r1, d1, …] summed
 * over the repetition axes. Exact (a sum of the same numbers), for every backend.
 */
import * as tf from '@tensorflow/tfjs';

let registered = false;

export function registerFastTileGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: 'Tile',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const reps = (attrs as unknown as { reps: number[] }).reps;
      return {
        x: () => tf.tidy(() => {
          const view: number[] = [];
          const repAxes: number[] = [];
          x.shape.forEach((d, i) => {
            view.push(reps[i], d);
            if (reps[i] > 1) repAxes.push(2 * i);
          });
          const g = (dy as tf.Tensor).reshape(view);
          return (repAxes.length > 0 ? g.sum(repAxes) : g).reshape(x.shape);
        }),
      };
    },
  });
}
