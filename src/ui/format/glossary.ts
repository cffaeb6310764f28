/**
 * Every term the page uses, explained in plain words once. `Term` shows the explanation on hover,
 * focus and tap wherever the term appears; docs/WORKSHOP.md quotes the same words.
 */
export const GLOSSARY = {
  component: {
    term: 'component',
    text: 'One small part of the network that can be switched off on its own: a filter of a convolution layer, a unit (neuron) of a dense layer, or an attention head. Each heatmap cell is one component.',
  },
  margin: {
    term: 'margin',
    text: 'How far the score of the right answer leads the best wrong answer (a logit gap). Positive: the image is classified correctly; negative: it is misclassified; larger: more confident.',
  },
  attribution: {
    term: 'attribution',
    text: "A component's number for one image: how much keeping it raises (positive, blue) or lowers (negative, red) that image's margin, compared with switching it off. COAR estimates it from many random runs.",
  },
  'switch-off': {
    term: 'switch off',
    text: 'Run the network with a component removed ("ablated"): its weights are zeroed and its bias kept, as in the paper. Switching off a blue component should lower the margin; a red one should raise it.',
  },
  coar: {
    term: 'COAR',
    text: 'Component Attribution via Regression (Shah, Ilyas & Madry, ICML 2024): switch off random sets of components many times, record how each margin moves, and fit a linear model per image whose weights are the attributions.',
  },
  'heldout-correlation': {
    term: 'held-out correlation',
    text: 'How well the attributions predict margins under random switch-offs the fit never saw: the correlation between predicted and actual margins (1 = perfect, 0 = no better than guessing).',
  },
  alpha: {
    term: 'alpha',
    text: 'The share of components each random run switches off (e.g. 0.05 = one in twenty). Small alpha measures components one at a time; larger alpha measures how they work together.',
  },
  masks: {
    term: 'masks',
    text: 'The random sets of switched-off components a run tries. More masks give better attributions; a good number is a few times the number of components.',
  },
  'validation-masks': {
    term: 'validation masks',
    text: 'Extra random masks kept out of the fit, used only to measure the held-out correlation.',
  },
  'ridge-lambda': {
    term: 'ridge λ',
    text: 'The penalty of the ridge regression that turns masks into attributions: it keeps the weights small when there are few masks. It is chosen automatically as the value that predicts the validation masks best.',
  },
  welch: {
    term: 'Welch t-score',
    text: "How differently a component matters for the target examples than for the reference examples: the difference of its mean attributions divided by their spread. The edit switches off the components with the most extreme scores.",
  },
  'grad-x-param': {
    term: 'Grad×Param',
    text: "A cheap baseline: each component's weights times the gradient of the margin with respect to them (one backward pass, no random runs). Usually less accurate than COAR.",
  },
  'leave-one-out': {
    term: 'leave-one-out',
    text: 'A baseline that switches off each component alone, once, and records the change in margin. Exact for single components, but blind to how components work together.',
  },
  target: {
    term: 'target',
    text: 'The examples whose prediction the edit should change (fix an error, forget a class, ignore a trigger).',
  },
  reference: {
    term: 'reference',
    text: 'The examples whose behaviour the edit should keep: components that matter to them are spared.',
  },
  k: {
    term: 'k',
    text: 'How many components the edit switches off: the top k by Welch t-score.',
  },
  'damage-budget': {
    term: 'allowed damage',
    text: 'How many accuracy points the examples outside the target may lose before an edit no longer counts as a success. Change it to be stricter or more lenient.',
  },
  backend: {
    term: 'backend',
    text: 'What runs the network in this browser: WebGPU (the graphics card), wasm (WebAssembly on the processor), WebGL or plain JavaScript (cpu). Results are the same; only the speed differs.',
  },
  trigger: {
    term: 'trigger',
    text: 'A small pattern stamped on an image that a backdoored model was trained to answer with one fixed class, whatever the image shows.',
  },
  seed: {
    term: 'seed',
    text: 'The number that fixes the random masks: the same seed and settings give the same run.',
  },
  'ablation-kind': {
    term: 'ablation',
    text: 'How a switched-off component is removed: zero its weights (keeping the bias, as in the paper), zero its output, or replace its output by its mean over the examples.',
  },
  scores: {
    term: 'margins on',
    text: 'What the margin is computed from: the logits (a final softmax is bypassed), log-probabilities, or the outputs as they are.',
  },
  pairs: {
    term: '(example, mask) pairs',
    text: 'One run of the network on one example under one mask: the unit of work of a run. The time estimate is pairs divided by the measured pairs per second.',
  },
} as const;

export type TermId = keyof typeof GLOSSARY;
export const TERM_IDS = Object.keys(GLOSSARY) as TermId[];
