/**
 * Two wasm kernels replaced by faster ones built from the backend's own kernels
 * (`registerWasmTransformerKernels(which)` after `tf.setBackend('wasm')`):
 *
 * Tile (installed by the Node and worker backend set-up): the wasm kernel takes ~3 ms to tile
 * [64,16,1] to [64,16,64] (tfjs's LayerNormalization tiles its mean, variance, scale and offset
 * to the input's shape on every call); the same values come from a broadcasting multiply by ones
 * (x·1 = x exactly, −0 and NaN included). A masked forward pass of the bundled ViT over 100
 * images runs 4.6× faster, with identical outputs. The multiply's shapes keep untiled axes merged
 * (the backend's broadcast fails silently above rank 6); higher ranks use the original kernel.
 *
 * BatchMatMul (training only: the ViT training script): on the wasm backend a BatchMatMul with
 * transposeA or transposeB is ~8× slower than transposing the operand first (measured:
 * [1024,64]ᵀ·[1024,192] 8.0 ms vs 1.2 ms), and every matMul gradient is such a product. This
 * replacement transposes the flagged operands explicitly, then multiplies without flags. The sums
 * may round differently (float32 last-bit differences) and inference gains nothing from it, so
 * the engine leaves the backend's own kernel in place.
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;

export function registerWasmTransformerKernels(which: readonly ('matmul' | 'tile')[] = ['matmul', 'tile']): void {
  if (which.includes('matmul')) registerMatMulKernel();
  if (which.includes('tile')) registerTileKernel();
}

function registerMatMulKernel(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original || (original as { replaced?: boolean }).replaced) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const config: tf.KernelConfig & { replaced?: boolean } = {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    replaced: true,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as { a: Info; b: Info };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const transposeKernel = tf.getKernel('Transpose', 'wasm')!;
      const swapLast = (x: Info): Info => {
        const perm = x.shape.map((_, i) => i);
        const r = perm.length;
        [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
        return transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as Info;
      };
      const at = transposeA ? swapLast(a) : a;
      const bt = transposeB ? swapLast(b) : b;
      const out = original.kernelFunc({ inputs: { a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as Info;
      if (transposeA) (backend as tf.KernelBackend).disposeData(at.dataId);
      if (transposeB) (backend as tf.KernelBackend).disposeData(bt.dataId);
      return out;
    },
  };
  tf.registerKernel(config);
}

/**
 * The shapes the tiling multiply uses: a rep axis r > 1 before each tiled axis (x gets 1 there,
 * the ones get r), and consecutive untiled axes merged into one. Exported for its test.
 */
export function tileView(shape: readonly number[], reps: readonly number[]): { view: number[]; onesShape: number[] } {
  const view: number[] = [];
  const onesShape: number[] = [];
  shape.forEach((d, i) => {
    if (reps[i] > 1) {
      view.push(1, d);
      onesShape.push(reps[i], 1);
    } else if (view.length > 0) {
      view[view.length - 1] *= d; // the last entry is always a data axis (ones there are 1)
    } else {
      view.push(d);
      onesShape.push(1);
    }
  });
  return { view, onesShape };
}

function registerTileKernel(): void {
  const original = tf.getKernel('Tile', 'wasm');
  if (!original || (original as { replaced?: boolean }).replaced) return;
  tf.unregisterKernel('Tile', 'wasm');
  const config: tf.KernelConfig & { replaced?: boolean } = {
    kernelName: 'Tile',
    backendName: 'wasm',
    replaced: true,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x } = inputs as { x: Info };
      const reps = (attrs as unknown as { reps: number[] }).reps;
      if (x.dtype !== 'float32' || x.shape.length === 0) return original.kernelFunc(args);
      const run = (name: string, ins: Record<string, Info>, kernelAttrs: Record<string, unknown>): Info =>
        tf.getKernel(name, 'wasm')!.kernelFunc({ inputs: ins, backend, attrs: kernelAttrs as tf.NamedAttrMap }) as Info;
      // x viewed as [1, d0, 1, d1, …] times ones [r0, 1, r1, 1, …] = [r0, d0, r1, d1, …] = the tiled output,
      // with untiled axes merged into their neighbours to keep the rank low.
      const { view, onesShape } = tileView(x.shape, reps);
      // The backend's broadcasting multiply (XNNPACK) fails silently above rank 6.
      if (view.length > 6) return original.kernelFunc(args);
      const xView = run('Reshape', { x }, { shape: view });
      const ones = run('Fill', {}, { shape: onesShape, value: 1, dtype: 'float32' });
      const product = run('Multiply', { a: xView, b: ones }, {});
      const result = run('Reshape', { x: product }, { shape: x.shape.map((d, i) => d * reps[i]) });
      // Reshape shares its input's data (one more reference): dropping the intermediates' references leaves result's.
      for (const t of [xView, ones, product]) (backend as tf.KernelBackend).disposeData(t.dataId);
      return result;
    },
  };
  tf.registerKernel(config);
}
