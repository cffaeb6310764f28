/**
 * Engine tunables, declared and documented once. Tests and benchmarks may override them.
 */
export const ENGINE_TUNING = {
  /** (example, mask) pairs per forward pass. 512 keeps wasm/cpu batches cache-friendly; the worker sizes GPU batches from device limits. */
  pairsPerBatch: 512,
  /** Mask rows between progress reports / checkpoints when sampling. */
  rowsPerChunk: 32,
};
