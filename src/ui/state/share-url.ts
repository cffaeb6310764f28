/**
 * The "copy link" address: what is loaded, the selected example, the ablated components (by
 * name, so the link survives a different run of the same model), the run settings that differ
 * from the defaults, and what the page was told to hide. url-state.ts reads it back.
 */
import { APP_CONFIG } from '../../app-config';
import type { LiveRunRequestSettings, RunView, WorkspaceSource } from '../../worker/protocol/protocol';
import { componentLabel } from '../format/component-label';
import type { HideKey } from './url-state';

export interface ShareState {
  source: WorkspaceSource | null;
  run: RunView | null;
  selected: number;
  ablated: number[];
  /** The run form's settings, and every layer the model offers (all chosen = no layers= parameter). */
  settings: LiveRunRequestSettings | null;
  modelLayers: string[];
  hide: HideKey[];
}

export type ShareLink = { url: string; note: string | null } | { url: null; note: string };

const FILES_NOTE = 'Your model was opened from files on this computer, and a link cannot carry files. '
  + 'Put model.json (with its weights) and dataset.json on a web server and open them by URL to share them.';

/** `base`: the page's address without its query (origin + path). */
export function shareLink(base: string, s: ShareState): ShareLink {
  const url = new URL(base);
  const q = url.searchParams;
  if (!s.source) return { url: null, note: 'Nothing is loaded yet.' };
  if (s.source.kind === 'custom') {
    if (!s.source.modelUrl || !s.source.dataUrl) return { url: null, note: FILES_NOTE };
    q.set('model', s.source.modelUrl);
    q.set('data', s.source.dataUrl);
  } else {
    q.set('preset', s.source.preset);
  }
  if (s.run) {
    q.set('example', String(s.selected));
    if (s.ablated.length) q.set('ablate', s.ablated.map((i) => componentLabel(s.run!, i)).join(','));
  }
  if (s.settings) addSettings(q, s.settings, s.modelLayers);
  if (s.hide.length) q.set('hide', s.hide.join(','));
  const note = s.source.kind === 'custom' ? `Whoever opens the link is asked before the model at ${new URL(s.source.modelUrl!).host} is downloaded.` : null;
  return { url: url.href, note };
}

function addSettings(q: URLSearchParams, s: LiveRunRequestSettings, modelLayers: string[]): void {
  const d = APP_CONFIG.liveRun;
  const put = (key: string, value: number | string, fallback: number | string) => {
    if (value !== fallback) q.set(key, String(value));
  };
  put('alpha', s.alpha, d.alpha);
  put('masks', s.trainMasks, d.trainMasks);
  put('val', s.valMasks, d.valMasks);
  put('examples', s.exampleCount, d.examples);
  put('seed', s.seed, d.seed);
  put('ablation', s.ablation, d.ablation);
  const all = modelLayers.length > 0 && modelLayers.every((l) => s.layers.includes(l));
  if (!all && s.layers.length) q.set('layers', s.layers.join(','));
}

/** Component indices for names like "layer#3"; the names that match no component are returned apart (the engine's parser). */
export { componentsByName } from '../../coar/component-names';
