/**
 * The COAR engine (`coar-engine`): everything in the tfjs-free core (`./core`) plus the parts that
 * run on TensorFlow.js — loading a model, finding its components, masked execution, sampling a
 * run in resumable and shardable chunks, the ridge fit, held-out evaluation with the baselines,
 * predictions under a keep-mask, COAR-Edit's outcomes and whole edits, weight edits and the
 * transformer layers tfjs lacks.
 *
 * `@tensorflow/tfjs` is a peer dependency: the engine uses the caller's tfjs and its backend
 * (pick one with `tf.setBackend` before a run; wasm in Node, WebGPU/WebGL/wasm in a browser).
 *
 * @packageDocumentation
 * @module coar-engine
 */

export * from './core';

// A model: files → LayersModel, its summary, its components, fingerprints.
export * from './model-io';
export * from './model-summary';
export * from './components';
export * from './fingerprint';
export { upgradeKerasModelJson, upgradeKerasTopology, upgradeKerasWeightNames } from './keras3-topology';
export * from './layers';
export { registerWasmTransformerKernels } from './layers/wasm-kernels';
export { registerWasmGradientKernels } from './wasm-gradients';

// Data: the bundled image format, image files → a data set at the model's input, the data check.
export * from './dataset';
export * from './image-decode';
export * from './image-import';
export * from './data-check';

// A run: masked execution, sampling, the fit, evaluation and the baselines' runner.
export * from './execute';
export * from './ablate';
export * from './run';
export * from './estimate';
export * from './heldout';
export * from './curves';
export * from './baseline-run';
export * from './attention-pattern';
export * from './predict';

// Editing: outcomes and goal searches, one edit start to finish (the CLI's and the worker's), edits written into the weights.
export * from './edit-outcome';
export * from './edit-run';
export * from './weight-edit';
