/**
 * The view settings a link carries besides what is loaded, the example and the switched-off
 * components: what the heatmap shows (view=class|all), the layer zoomed into (zoom=NAME) and the
 * edit's allowed damage (budget=POINTS). Read at start (url-state.ts), written by "Copy link".
 */
import { APP_CONFIG } from '../../app-config';
import type { HeatmapMode } from '../charts/heatmap-data';

export const HEATMAP_MODES: readonly HeatmapMode[] = ['example', 'class', 'all'];

export interface ViewSettings {
  mode: HeatmapMode;
  /** A layer name (checked against the run once it is shown), or null for all layers. */
  zoom: string | null;
  /** Accuracy points lost outside an edit's target, as a fraction (0.05 = 5 points). */
  budget: number;
}

export const DEFAULT_VIEW: ViewSettings = { mode: 'example', zoom: null, budget: APP_CONFIG.edit.damageBudget };

/** The view the address asks for, and the values it had to ignore, in words. */
export function readViewParams(params: URLSearchParams): { view: ViewSettings; problems: string[] } {
  const problems: string[] = [];
  const view = { ...DEFAULT_VIEW };
  const mode = params.get('view');
  if (mode !== null && mode !== '') {
    if ((HEATMAP_MODES as readonly string[]).includes(mode)) view.mode = mode as HeatmapMode;
    else problems.push(`Ignored view=${mode} in the address: the heatmap shows ${HEATMAP_MODES.join(', ')}.`);
  }
  const zoom = params.get('zoom');
  if (zoom) view.zoom = zoom;
  const budget = params.get('budget');
  if (budget !== null && budget !== '') {
    const x = Number(budget);
    if (Number.isFinite(x) && x >= 0 && x <= 100) view.budget = x / 100;
    else problems.push(`Ignored budget=${budget} in the address: the allowed damage is in accuracy points, from 0 to 100.`);
  }
  return { view, problems };
}

/** `href` with the view settings that differ from the defaults. */
export function withViewParams(href: string, v: ViewSettings): string {
  const url = new URL(href);
  const q = url.searchParams;
  if (v.mode !== DEFAULT_VIEW.mode) q.set('view', v.mode);
  if (v.zoom) q.set('zoom', v.zoom);
  if (Math.abs(v.budget - DEFAULT_VIEW.budget) > 1e-9) q.set('budget', String(Number((100 * v.budget).toFixed(2))));
  return url.href;
}
