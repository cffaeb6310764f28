/**
 * The demo architecture: a small ResNet-style CNN for 28×28×1 images.
 * conv+BN+ReLU stem, two residual blocks (identity Add), max pooling between stages,
 * a 64-channel conv, then flatten → dense(64) → dense(10) logits.
 * Conv filters: 16+16+16+32+32+32+64 = 208; with the 64 hidden units, 272 components.
 */
import * as tf from '@tensorflow/tfjs';

export function buildDemoModel(seed: number, numClasses = 10): tf.LayersModel {
  let s = seed;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const conv = (x: tf.SymbolicTensor, filters: number, name: string) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: true, kernelInitializer: init(), name }).apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.batchNormalization({ momentum: 0.9, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
  const convBnRelu = (x: tf.SymbolicTensor, filters: number, name: string) => relu(bn(conv(x, filters, `${name}_conv`), `${name}_bn`), `${name}_relu`);
  const residual = (x: tf.SymbolicTensor, filters: number, name: string) => {
    const y = convBnRelu(x, filters, `${name}_a`);
    const z = bn(conv(y, filters, `${name}_b_conv`), `${name}_b_bn`);
    return relu(tf.layers.add({ name: `${name}_add` }).apply([x, z]) as tf.SymbolicTensor, `${name}_out`);
  };

  const input = tf.input({ shape: [28, 28, 1], name: 'image' });
  let x = convBnRelu(input, 16, 'stem');
  x = residual(x, 16, 'block1');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  x = convBnRelu(x, 32, 'stage2');
  x = residual(x, 32, 'block2');
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }).apply(x) as tf.SymbolicTensor;
  x = convBnRelu(x, 64, 'stage3');
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(), name: 'head_dense' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.2, seed: s++, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: s++ }), name: 'logits' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'fashion_resnet' });
}
