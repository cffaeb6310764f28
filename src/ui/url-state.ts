/**
 * State from the page's address, so a workshop can hand out a link to one experiment:
 *   ?preset=backdoor&backend=wasm&alpha=0.1&masks=300&val=50&examples=32&seed=2&ablation=zero-output&layers=stem_conv,logits
 *   &example=3&ablate=stem_conv#2,block1_conv#7&hide=run,upload
 *   ?model=https://…/model.json&data=https://…/dataset.json   (loaded only after the user agrees)
 * Unknown or invalid values are reported, never silently used.
 */
import { APP_CONFIG } from '../app-config';
import type { AblationKind } from '../coar/settings';
import type { LiveRunRequestSettings } from '../worker/protocol';

export const ABLATION_KINDS: readonly AblationKind[] = ['zero-weights', 'zero-output', 'mean'];

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
  /** Selected example (its position in the run), checked against the run once it is shown. */
  example: number | null;
  /** Components to ablate, by name (layer#channel), checked against the run once it is shown. */
  ablate: string[];
  hide: HideKey[];
  /** A user's model.json and dataset.json URLs: loaded only after the user agrees. */
  modelUrl: string | null;
  dataUrl: string | null;
  problems: string[];
}

const nonNegative = (x: number) => (x >= 0 ? x : null);

const isHttpUrl = (text: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
};

export function readUrlPresets(search: string): UrlPresets {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const d = APP_CONFIG.liveRun;
  const number = (key: string, fallback: number, ok: (x: number) => boolean, what: string) => {
    const raw = params.get(key);
    if (raw === null || raw === '') return fallback;
    const x = Number(raw);
    if (!ok(x)) {
      problems.push(`Ignored ${key}=${raw} in the address: ${what}.`);
      return fallback;
    }
    return x;
  };
  const whole = (x: number) => Number.isInteger(x) && x >= 1;
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
    if (isHttpUrl(raw)) return raw;
    problems.push(`Ignored ${key}=${raw} in the address: ${what} must be a full http(s) URL.`);
    return null;
  };
  return {
    preset,
    settings: {
      alpha: number('alpha', d.alpha, (x) => x > 0 && x < 1, 'alpha must be between 0 and 1'),
      trainMasks: number('masks', d.trainMasks, whole, 'the number of masks must be a whole number ≥ 1'),
      valMasks: number('val', d.valMasks, (x) => Number.isInteger(x) && x >= 0, 'the number of validation masks must be a whole number ≥ 0'),
      exampleCount: number('examples', d.examples, whole, 'the number of examples must be a whole number ≥ 1'),
      seed: number('seed', d.seed, (x) => Number.isInteger(x) && x >= 0, 'the seed must be a whole number ≥ 0'),
      ablation,
      layers: layers === null ? null : list('layers'),
    },
    example: nonNegative(number('example', -1, (x) => Number.isInteger(x) && x >= 0, 'the example must be a whole number ≥ 0 (its position in the run)')),
    ablate: list('ablate'),
    hide: [...new Set(hide)],
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
