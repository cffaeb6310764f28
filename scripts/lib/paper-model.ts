/**
 * The paper-scale architecture: a ResNet-style bottleneck CNN for 28×28×1 images whose conv
 * filters (~2,300, like the paper's CIFAR-10 ResNet-18 with 2,304) are COAR's components.
 *
 *   stem conv3×3(S)+BN+ReLU @28 → max-pool → conv3×3(M)+BN+ReLU @14 → max-pool →
 *   conv1×1(E)+BN+ReLU @7 → B bottleneck blocks @7 [conv1×1(W) → conv3×3(W) → conv1×1(E),
 *   BN after each, ReLU after the first two, identity Add, ReLU] → global average pool →
 *   dense(10) logits (no softmax, no hidden dense units).
 *
 * Convs carry no bias (BatchNorm follows each), so zeroing a filter's weights = zeroing its output.
 * Components: S + M + E + B·(2W + E). Multiply-adds per image:
 *   784·9·S + 196·9·S·M + 49·M·E + B·49·(2·E·W + 9·W²) + 10·E.
 */
import * as tf from '@tensorflow/tfjs';

export interface PaperModelShape {
  stem: number;
  mid: number;
  expand: number;
  width: number;
  blocks: number;
}

export const PAPER_SHAPE: PaperModelShape = { stem: 32, mid: 64, expand: 240, width: 48, blocks: 6 };

export function paperComponentCount(s: PaperModelShape): number {
  return s.stem + s.mid + s.expand + s.blocks * (2 * s.width + s.expand);
}

export function paperMacs(s: PaperModelShape, numClasses = 10): number {
  return 784 * 9 * s.stem + 196 * 9 * s.stem * s.mid + 49 * s.mid * s.expand
    + s.blocks * 49 * (2 * s.expand * s.width + 9 * s.width * s.width) + s.expand * numClasses;
}

export function buildPaperModel(seed: number, shape: PaperModelShape = PAPER_SHAPE, numClasses = 10): tf.LayersModel {
  let s = seed;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize, padding: 'same', useBias: false, kernelInitializer: init(), name }).apply(x) as tf.SymbolicTensor;
  // gammaInitializer zeros on a block's last BN: each block starts as the identity (faster early training).
  const bn = (x: tf.SymbolicTensor, name: string, zeroGamma = false) =>
    tf.layers.batchNormalization({ momentum: 0.9, name, ...(zeroGamma ? { gammaInitializer: 'zeros' } : {}) }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  const convBnRelu = (x: tf.SymbolicTensor, filters: number, k: number, name: string) => relu(bn(conv(x, filters, k, `${name}_conv`), `${name}_bn`), `${name}_relu`);

  const input = tf.input({ shape: [28, 28, 1], name: 'image' });
  let x = convBnRelu(input, shape.stem, 3, 'stem');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  x = convBnRelu(x, shape.mid, 3, 'stage2');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(x) as tf.SymbolicTensor;
  x = convBnRelu(x, shape.expand, 1, 'stage3');
  for (let b = 1; b <= shape.blocks; b++) {
    const name = `block${b}`;
    let y = convBnRelu(x, shape.width, 1, `${name}_reduce`);
    y = convBnRelu(y, shape.width, 3, `${name}_conv3`);
    y = bn(conv(y, shape.expand, 1, `${name}_expand_conv`), `${name}_expand_bn`, true);
    x = relu(tf.layers.add({ name: `${name}_add` }).apply([x, y]) as tf.SymbolicTensor, `${name}_out`);
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }), name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'fashion_resnet_paper' });
}
