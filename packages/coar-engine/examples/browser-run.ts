// In a page or a Web Worker, with TensorFlow.js: load a model from URLs on the GPU backend and find
// its components; a run then goes as in the Node example (sessionFor, startRun, sampleRun, fitRun).
import * as tf from '@tensorflow/tfjs';
import { discoverComponents, loadLayersModelFromFiles, summarizeModel } from 'coar-engine';

await tf.setBackend('webgl');
const base = new URL('models/fashion-resnet/', location.href);
const read = async (path: string) => (await fetch(new URL(path, base))).arrayBuffer();
const model = await loadLayersModelFromFiles(new TextDecoder().decode(await read('model.json')), read);
const summary = summarizeModel(model, 'fashion-resnet');
console.log(`${summary.layers.length} layers, ${discoverComponents(model).count} components`);
