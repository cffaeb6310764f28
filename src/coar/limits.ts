/**
 * Input limits, declared once. Everything that reads a user's file, URL, run file or setting
 * checks against these before allocating, so hostile input gets a clear message and bounded
 * memory. docs/LIMITS.md lists them with the reasons; keep the two in step.
 */
export const LIMITS = {
  /** Pixels of one image (width × height) before it is decoded: 40 megapixels (~160 MB as RGBA). */
  pixelsPerImage: 40_000_000,
  /** Image files in one data set. */
  imagesPerDataset: 100_000,
  /** Weight files a model.json may list (a Keras conversion writes 4 MB shards: ~ 4 GB). */
  weightFiles: 1_000,
  /** Total bytes of a model's weights. */
  weightBytes: 1_000 * 2 ** 20,
  /** Redirects followed when fetching a model's files, each to the same origin only. */
  redirects: 5,
  /** Bytes of one model.json, dataset.json or other JSON description. */
  jsonBytes: 64 * 2 ** 20,
  /** Nesting depth of a JSON description (a model topology nests ~10 levels). */
  jsonDepth: 100,
  /** Training or validation masks in one run. */
  masks: 1_000_000,
  /** Examples studied in one run. */
  examples: 100_000,
  /** Stored outputs of one run (masks × examples, float32): 2 GB. */
  outputsPerRun: 500_000_000,
  /** Validation masks below which a correlation is not reported (0 = no validation). */
  minValidationMasks: 10,
  /** Warnings kept on screen and in the worker at once (older ones are counted, not dropped silently). */
  warningsKept: 50,
} as const;
