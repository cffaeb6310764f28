/**
 * Every tunable of the browser app (UI and worker), declared and documented once.
 * Engine tunables live in src/coar/tuning.ts and src/coar/settings.ts.
 */
import { BASELINE_NAMES } from './coar/baselines';
import { DEFAULT_SETTINGS } from './coar/settings';
import { DEFAULT_DAMAGE_BUDGET } from './coar/edit-judge';

export const APP_CONFIG = {
  /**
   * Bundled presets (model, data set, precomputed run), relative to the site's base URL
   * (import.meta.env.BASE_URL). The address picks one: ?preset=demo|backdoor|paper|paper-backdoor|vit.
   */
  presets: {
    demo: {
      label: 'Fashion-MNIST classifier',
      model: 'models/fashion-resnet/model.json',
      data: 'data/fashion-mnist-test/dataset.json',
      run: 'runs/fashion-resnet-demo.coar',
    },
    backdoor: {
      label: 'Backdoored classifier (trigger → "Bag")',
      model: 'models/fashion-resnet-backdoor/model.json',
      data: 'data/fashion-mnist-backdoor-test/dataset.json',
      run: 'runs/fashion-resnet-backdoor.coar',
    },
    paper: {
      label: 'Paper-scale ResNet (2,352 filters)',
      model: 'models/fashion-resnet-paper/model.json',
      data: 'data/fashion-mnist-test/dataset.json',
      run: 'runs/fashion-resnet-paper.coar',
    },
    'paper-backdoor': {
      label: 'Paper-scale backdoored twin (trigger → "Bag")',
      model: 'models/fashion-resnet-paper-backdoor/model.json',
      data: 'data/fashion-mnist-backdoor-test/dataset.json',
      run: 'runs/fashion-resnet-paper-backdoor.coar',
    },
    vit: {
      label: 'Vision transformer (24 heads, 768 MLP neurons)',
      model: 'models/fashion-vit/model.json',
      data: 'data/fashion-mnist-test/dataset.json',
      run: 'runs/fashion-vit.coar',
    },
  },
  defaultPreset: 'demo' as 'demo' | 'backdoor' | 'paper' | 'paper-backdoor' | 'vit',
  /**
   * Site files (relative to public/, a trailing / for a folder) left out of the offline precache:
   * large assets every visitor would otherwise download on the first visit. They are still kept
   * for offline use once opened (the service worker's runtime cache).
   */
  onDemandAssets: ['models/fashion-resnet-paper/', 'runs/fashion-resnet-paper.coar', 'models/fashion-resnet-paper-backdoor/', 'runs/fashion-resnet-paper-backdoor.coar', 'models/fashion-vit/', 'runs/fashion-vit.coar'] as readonly string[],

  /** COAR-Edit panel and its goal presets. */
  edit: {
    /** Largest k the slider offers (fewer when fewer components move the target the wanted way). */
    sliderMax: 64,
    /** Wait this long after the last slider move before asking the worker. */
    debounceMs: 200,
    /** Ranked components listed (with their Welch scores) beside the slider. */
    rankedShown: 20,
    /** Default size s of a random reference sample. */
    referenceSample: 20,
    /** Accuracy points the examples outside an edit's target may lose (as a fraction) before a goal stops counting as reached; the page lets the user change it. The largest k a goal searches follows N (GOAL_SEARCH in src/coar/edit-outcome.ts). */
    damageBudget: DEFAULT_DAMAGE_BUDGET,
    /** Edits measure accuracy on the data set's first ui.datasetAccuracyLimit images (the same cached inputs as ablations). */
  },

  /** Evaluation views (held-out correlation against alpha, against masks, against baselines). */
  evaluation: {
    alphas: [0.025, 0.05, 0.1, 0.15],
    /** Fresh held-out masks per alpha (the paper uses 100). */
    masksPerAlpha: 50,
    baselines: [...BASELINE_NAMES],
    /** Mask rows per step between cancel checks (leave-one-out and held-out masks). */
    rowsPerStep: 8,
    /** Chart size in SVG units; PNG export scale. */
    chartWidth: 520,
    chartHeight: 320,
    pngScale: 2,
  },

  /** Defaults of the live-run panel; each can be preset from the URL (see src/ui/state/url-state.ts). */
  liveRun: {
    alpha: DEFAULT_SETTINGS.alpha,
    trainMasks: DEFAULT_SETTINGS.trainMasks,
    valMasks: DEFAULT_SETTINGS.valMasks,
    /** The first `examples` images of the data set are studied. */
    examples: 64,
    seed: DEFAULT_SETTINGS.seed,
    ablation: DEFAULT_SETTINGS.ablation,
  },

  backend: {
    /** Calibration (WebGPU vs wasm, only on a hardware GPU adapter): examples × mask rows per timed batch. */
    calibrationExamples: 16,
    calibrationRows: 8,
    /** Timed repetitions after one warm-up pass (shader compilation is not counted). */
    calibrationRepeats: 2,
    /** Upper bound of (example, mask) pairs per forward pass on a GPU backend. */
    gpuMaxPairsPerBatch: 4096,
    /**
     * Pairs per forward pass on a software GPU adapter (forced WebGPU on SwiftShader runs ~20/s):
     * small, so that progress, cancel and the GPU watchdog see short dispatches.
     */
    softwareGpuPairsPerBatch: 64,
    /**
     * Backend for fitting the estimator (its products are tf.matMul + dataSync). On a CPU backend
     * a fit takes well under a second for the demo; a synchronous GPU read-back is slow in a worker
     * and, on a software GPU, long enough to trip the browser's GPU watchdog.
     */
    fitBackend: 'wasm' as 'wasm' | 'cpu',
    /** Share of the device's largest storage buffer that one activation may take. */
    gpuBufferShare: 0.5,
    /**
     * Batch layout on CPU backends (wasm, cpu) and software GPUs, used without timing both first:
     * there the two layouts run within ~10% of each other and timing them costs seconds (minutes on
     * SwiftShader). Hardware GPU backends time them once (the engine's chooseRoute) and reuse the winner.
     */
    cpuRoute: 'per-sample' as 'per-sample' | 'shared',
  },

  ui: {
    /** An action the page waits on longer than this shows the busy indicator (what it waits for, and for how long). */
    busyAfterMs: 300,
    /** Components pre-filled in "ablate top-k". */
    topK: 5,
    /** Wait this long after the last cell toggle before re-running the ablated model. */
    ablateDebounceMs: 250,
    /** Rows of the ablation table shown before "show all". */
    ablationRowsShown: 12,
    /** Images of the user's data shown (with file name, label, prediction, margin) right after loading, before any run. */
    dataCheckGallery: 48,
    /** Data-set examples whose accuracy is re-measured under an ablation (0 = only the run's examples). */
    datasetAccuracyLimit: 2000,
  },
} as const;
