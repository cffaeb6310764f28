/**
 * State from the page's address, so a workshop can hand out a link to one experiment:
 *   ?preset=backdoor&backend=wasm&alpha=0.1&masks=300&val=50&examples=32&seed=2&ablation=zero-output&layers=stem_conv,logits
 *   &example=3&ablate=stem_conv#2,block1_conv#7&hide=run,upload&view=class&zoom=stage3_conv&budget=10
 *   ?model=https://…/model.json&data=https://…/dataset.json   (loaded only after the user agrees)
 * Unknown or invalid values are reported, never silently used.
 */
import { APP_CONFIG } from '../../app-config';
import { ABLATION_KINDS, type AblationKind } from '../../coar/ablation-kinds';
import type { LiveRunRequestSettings } from '../../worker/protocol/protocol';
import { LIMITS } from '../../coar/limits';
import { httpUrlProblem } from '../../worker/workspace/url-rules';
import { alphaProblem, examplesProblem, masksProblem, outputsProblem, seedProblem, valMasksProblem } from '../../worker/jobs/run-request-checks';
import { readViewParams, type ViewSettings } from './view-url';

export type PresetName = keyof typeof APP_CONFIG.presets;
export const PRESET_NAMES = Object.keys(APP_CONFIG.presets) as PresetName[];

/** Controls a link can hide: the live-run panel, "open your own model", COAR-Edit, evaluation, the stored runs, the share button. */
export const HIDE_KEYS = ['run', 'upload', 'edit', 'eval', 'runs', 'share'] as const;
export type HideKey = (typeof HIDE_KEYS)[number];

export type UrlRunSettings = Omit<LiveRunRequestSettings, 'layers'> & { layers: string[] | null };

export interface UrlPresets {
  /** The bundled model, data set and run to load (?preset=demo|backdoor). */
  preset: PresetName;
  settings: UrlRunSettings;
  /** The address named alpha / masks; otherwise the run form proposes them from the model's size. */
  sizedByAddress: { alpha: boolean; trainMasks: boolean };
  /** Selected example (its position in the run), checked against the run once it is shown. */
  example: number | null;
  /** Components to ablate, by name (layer#channel), checked against the run once it is shown. */
  ablate: string[];
  hide: HideKey[];
  /** What the heatmap shows, the layer zoomed into, the edit's allowed damage (view-url.ts). */
  view: ViewSettings;
  /** A user's model.json and dataset.json URLs: loaded only after the user agrees. */
  modelUrl: string | null;
  dataUrl: string | null;
  problems: string[];
}

const nonNegative = (x: number) => (x >= 0 ? x : null);

export function readUrlPresets(search: string): UrlPresets {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const d = APP_CONFIG.liveRun;
  const number = (key: string, fallback: number, ok: (x: number) => boolean | string | null, what: string) => {
    const raw = params.get(key);
    if (raw === null || raw === '') return fallback;
    const x = Number(raw);
    const verdict = ok(x);
    // A predicate says yes/no; a checker (run-request-checks.ts) says null or why not, in words.
    if (verdict === false || typeof verdict === 'string') {
      problems.push(`Ignored ${key}=${raw} in the address: ${typeof verdict === 'string' ? verdict : what}.`);
      return fallback;
    }
    return x;
  };
  /** The address named `key` and its value was taken. */
  const accepted = (key: string, value: number) => (params.get(key) ?? '') !== '' && Number(params.get(key)) === value;
  const list = (key: string) => (params.get(key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ablationRaw = params.get('ablation');
  let ablation: AblationKind = d.ablation;
  if (ablationRaw !== null) {
    if ((ABLATION_KINDS as readonly string[]).includes(ablationRaw)) ablation = ablationRaw as AblationKind;
    else problems.push(`Ignored ablation=${ablationRaw} in the address: use ${ABLATION_KINDS.join(', ')}.`);
  }
  const layers = params.get('layers');
  const presetRaw = params.get('preset');
  let preset: PresetName = APP_CONFIG.defaultPreset;
  if (presetRaw !== null) {
    if ((PRESET_NAMES as string[]).includes(presetRaw)) preset = presetRaw as PresetName;
    else problems.push(`Ignored preset=${presetRaw} in the address: use ${PRESET_NAMES.join(' or ')}.`);
  }
  const hide = list('hide').filter((h) => {
    if ((HIDE_KEYS as readonly string[]).includes(h)) return true;
    problems.push(`Ignored hide=${h} in the address: what can be hidden is ${HIDE_KEYS.join(', ')}.`);
    return false;
  }) as HideKey[];
  const url = (key: string, what: string) => {
    const raw = params.get(key);
    if (raw === null || raw === '') return null;
    // The same rule, in the same words, as the worker's (url-rules.ts).
    const problem = httpUrlProblem(raw, what);
    if (problem === null) return raw;
    problems.push(`Ignored ${key}=${raw} in the address: ${problem}`);
    return null;
  };
  // Run sizes are checked against LIMITS here, before the form or the worker allocates anything.
  const alpha = number('alpha', d.alpha, alphaProblem, '');
  let trainMasks = number('masks', d.trainMasks, masksProblem, '');
  // 1–9 validation masks are raised below rather than ignored.
  let valMasks = number('val', d.valMasks, (x) => (Number.isInteger(x) && x > 0 && x < LIMITS.minValidationMasks ? null : valMasksProblem(x)), '');
  if (valMasks > 0 && valMasks < LIMITS.minValidationMasks) {
    problems.push(`Raised val=${valMasks} in the address to ${LIMITS.minValidationMasks}: a held-out correlation over fewer than ${LIMITS.minValidationMasks} validation masks means little (val=0 turns validation off).`);
    valMasks = LIMITS.minValidationMasks;
  }
  const exampleCount = number('examples', d.examples, (x) => examplesProblem(x), '');
  const outputs = outputsProblem(trainMasks, valMasks, exampleCount);
  if (outputs) {
    problems.push(`Ignored masks=${params.get('masks') ?? trainMasks} and val=${params.get('val') ?? valMasks} in the address: ${outputs}.`);
    trainMasks = d.trainMasks;
    valMasks = d.valMasks;
  }
  const view = readViewParams(params);
  problems.push(...view.problems);
  return {
    preset,
    settings: {
      alpha,
      trainMasks,
      valMasks,
      exampleCount,
      seed: number('seed', d.seed, seedProblem, ''),
      ablation,
      layers: layers === null ? null : list('layers'),
    },
    sizedByAddress: { alpha: accepted('alpha', alpha), trainMasks: accepted('masks', trainMasks) },
    example: nonNegative(number('example', -1, (x) => Number.isInteger(x) && x >= 0, 'the example must be a whole number ≥ 0 (its position in the run)')),
    ablate: list('ablate'),
    hide: [...new Set(hide)],
    view: view.view,
    modelUrl: url('model', 'the model (model.json)'),
    dataUrl: url('data', 'the data set (dataset.json)'),
    problems,
  };
}

/** The address with ?preset= set to `name` (other parameters kept; a user's model URLs dropped), for history.replaceState. */
export function addressWithPreset(href: string, name: PresetName): string {
  const url = new URL(href);
  url.searchParams.set('preset', name);
  url.searchParams.delete('model');
  url.searchParams.delete('data');
  return url.href;
}
