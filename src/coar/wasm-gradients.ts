/**
 * The wasm backend has no Conv2DBackpropFilter kernel, so `model.fit` fails on it, and its
 * Conv2DBackpropInput is ~10× slower than a forward convolution. Both gradients are themselves
 * convolutions, so we register kernels built from the backend's own fast forward Conv2D.
 * Training the demo model and Grad×Param (a backward pass through the convolutions) need them.
 * Call after `tf.setBackend('wasm')` has resolved, or the backend's registration wins.
 */
import * as tf from '@tensorflow/tfjs';

type Info = tf.TensorInfo;

export function registerWasmGradientKernels(): void {
  if (!tf.findBackend('wasm')) return;
  registerInputGradient();
  registerBatchNormGradient();
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: Info; dy: Info };
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: 'same' | 'valid' | number;
        dataFormat: 'NHWC' | 'NCHW';
        dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number];
      };
      if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): NCHW is not supported');
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode,
      );
      const run = (name: string, ins: Record<string, Info>, kernelAttrs: Record<string, unknown>): Info =>
        tf.getKernel(name, 'wasm')!.kernelFunc({ inputs: ins, backend, attrs: kernelAttrs as tf.NamedAttrMap }) as Info;
      const { top, bottom, left, right } = info.padInfo;
      const padded = run('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
      const inputAsBatchOfChannels = run('Transpose', { x: padded }, { perm: [3, 1, 2, 0] });
      const gradAsFilter = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const full = run('Conv2D', { x: inputAsBatchOfChannels, filter: gradAsFilter }, {
        strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [info.strideHeight, info.strideWidth],
      });
      const [kh, kw, ci, co] = filterShape;
      const cropped = run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] });
      const result = run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
      for (const t of [padded, inputAsBatchOfChannels, gradAsFilter, full, cropped]) (backend as tf.KernelBackend).disposeData(t.dataId);
      return result;
    },
  });
}

/**
 * Input gradient for stride-1 NHWC convolutions: a 'full' convolution of dy with the kernel
 * rotated by 180° and its in/out channels swapped. Other cases use the backend's own kernel.
 */
function registerInputGradient(): void {
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (!original || (original as { replaced?: boolean }).replaced) return;
  tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  const config: tf.KernelConfig & { replaced?: boolean } = {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    replaced: true,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as { dy: Info; filter: Info };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
        strides: [number, number] | number; pad: 'same' | 'valid' | number; dataFormat: string;
        dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
      };
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      if (sh !== 1 || sw !== 1 || dataFormat === 'NCHW') return original.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], 1, 1, pad, dimRoundingMode);
      const [kh, kw] = filter.shape;
      const run = (name: string, ins: Record<string, Info>, kernelAttrs: Record<string, unknown>): Info =>
        tf.getKernel(name, 'wasm')!.kernelFunc({ inputs: ins, backend, attrs: kernelAttrs as tf.NamedAttrMap }) as Info;
      const { top, bottom, left, right } = info.padInfo;
      const flipped = run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      const padded = run('PadV2', { x: dy }, { paddings: [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]], constantValue: 0 });
      const result = run('Conv2D', { x: padded, filter: swapped }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
      for (const t of [flipped, swapped, padded]) (backend as tf.KernelBackend).disposeData(t.dataId);
      return result;
    },
  };
  tf.registerKernel(config);
}

/**
 * tfjs's FusedBatchNorm gradient materialises broadcasts with Tile, which is slow on wasm
 * (a third of a training step here). The same gradient with broadcasting arithmetic.
 */
function registerBatchNormGradient(): void {
  tf.registerGradient({
    kernelName: 'FusedBatchNorm',
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as tf.Tensor[];
      const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
      const g = dy as tf.Tensor;
      const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const reduce = (t: tf.Tensor, like: tf.Tensor) => (axes.length ? t.sum(axes) : t).reshape(like.shape);
      return {
        x: () => tf.tidy(() => g.mul(tf.rsqrt(variance.add(eps)).mul(scale ?? 1))),
        mean: () => tf.tidy(() => reduce(g.mul(tf.rsqrt(variance.add(eps)).mul(scale ?? 1)).neg(), mean)),
        variance: () => tf.tidy(() => reduce(g.mul(x.sub(mean)).mul(tf.pow(variance.add(eps), -1.5).mul(scale ?? 1).mul(-0.5)), mean)),
        scale: () => tf.tidy(() => reduce(g.mul(x.sub(mean)).mul(tf.rsqrt(variance.add(eps))), mean)),
        offset: () => tf.tidy(() => reduce(g, mean)),
      };
    },
  });
}
