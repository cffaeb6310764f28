/** Node-side tfjs setup: the wasm backend (default) or the pure-JS cpu backend. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTransformerKernels } from '../coar/layers/wasm-kernels';

export type NodeBackend = 'wasm' | 'cpu';

export async function initNodeBackend(name: NodeBackend = 'wasm'): Promise<string> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs backend "${name}" could not be initialised`);
  await tf.ready();
  if (name === 'wasm') registerWasmTransformerKernels(['tile']);
  return tf.getBackend();
}
