/**
 * Two wasm kernels replaced by faster ones built from the backend's own kernels, for training
 * transformers on wasm (opt-in: `registerWasmTransformerKernels()` after `tf.setBackend('wasm')`):
 *
 * BatchMatMul: on the wasm backend a BatchMatMul with transposeA or transposeB is ~8× slower than transposing
 * the operand first (measured: [1024,64]ᵀ·[1024,192] 8.0 ms vs 1.2 ms) — and every matMul
 * gradient (dense layers, attention) is such a product. This replaces the wasm BatchMatMul kernel
 * with one that transposes the flagged operands explicitly, then multiplies without flags.
 * The sums may round differently from the backend's own kernel (float32 last-bit differences),
 * which is why the engine does not install it by default.
 *
 * Tile: the wasm kernel takes ~3 ms to tile [64,16,1] to [64,16,64] (tfjs's LayerNormalization
 * tiles its mean, variance, scale and offset to the input's shape on every call, ~20% of a ViT
 * training step); the same values come from a broadcasting multiply by ones in ~0.1 ms (x·1 = x
 * exactly, −0 and NaN included).
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;

export function registerWasmTransformerKernels(): void {
  registerMatMulKernel();
  registerTileKernel();
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
      // x viewed as [1, d0, 1, d1, …] times ones [r0, 1, r1, 1, …] = [r0, d0, r1, d1, …] = the tiled output.
      const view = x.shape.flatMap((d) => [1, d]);
      const onesShape = reps.flatMap((r) => [r, 1]);
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
