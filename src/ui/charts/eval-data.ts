/** Shapes the worker's EvaluationView into chart series and table rows (pure; tested in Node). */
import { BASELINE_SPECS } from '../../coar/baselines';
import type { EvaluationView } from '../../worker/protocol/protocol';

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  key: string;
  label: string;
  color: string;
  points: Point[];
}

export const METHODS: Record<string, { label: string; color: string }> = {
  coar: { label: 'COAR', color: '#1f5fbf' },
  ...Object.fromEntries(BASELINE_SPECS.map((b) => [b.id, { label: b.label, color: b.color }])),
};

const methodOf = (key: string) => METHODS[key] ?? { label: key, color: '#555' };
const finite = (p: Point) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** Mean held-out correlation against alpha, one line per method; alphas ascending. */
export function alphaSeries(v: EvaluationView): Series[] {
  const rows = [...v.alpha].sort((a, b) => a.alpha - b.alpha);
  return v.methods.map((key) => ({ key, ...methodOf(key), points: rows.map((r) => ({ x: r.alpha, y: r.mean[key] })).filter(finite) }));
}

/** Validation correlation against the number of masks fitted on. */
export function maskSeries(v: EvaluationView): Series[] {
  const points = v.maskCurve.map((p) => ({ x: p.masks, y: p.validationCorrelation ?? NaN })).filter(finite);
  return points.length ? [{ key: 'coar', ...methodOf('coar'), points }] : [];
}

/** Each method's per-example correlations, sorted from best to worst (x = rank from 1). */
export function perExampleSeries(v: EvaluationView): Series[] {
  return v.methods.map((key) => {
    const sorted = (v.perExample.values[key] ?? []).filter(Number.isFinite).sort((a, b) => b - a);
    return { key, ...methodOf(key), points: sorted.map((y, k) => ({ x: k + 1, y })) };
  });
}

export function quantile(sortedAscending: number[], q: number): number {
  if (sortedAscending.length === 0) return NaN;
  const pos = (sortedAscending.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sortedAscending[lo] + (sortedAscending[hi] - sortedAscending[lo]) * (pos - lo);
}

export interface ExampleSummary {
  key: string;
  label: string;
  mean: number;
  median: number;
  p10: number;
  /** Examples with a defined correlation, of all. */
  defined: number;
  total: number;
}

/** Per method: mean, median and 10th percentile of the per-example correlations. */
export function perExampleSummary(v: EvaluationView): ExampleSummary[] {
  return v.methods.map((key) => {
    const all = v.perExample.values[key] ?? [];
    const values = all.filter(Number.isFinite).sort((a, b) => a - b);
    const mean = values.length ? values.reduce((s, x) => s + x, 0) / values.length : NaN;
    return { key, label: methodOf(key).label, mean, median: quantile(values, 0.5), p10: quantile(values, 0.1), defined: values.length, total: all.length };
  });
}

/** File-name friendly stem for a chart's downloads, e.g. "fashion-resnet-correlation-vs-alpha". */
export function chartFileStem(modelName: string, chart: string): string {
  return `${modelName}-${chart}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * Tick values at least `minGap` pixels apart (under `position`), so labels do not overlap; the
 * last value is always kept (an earlier one too close to it is dropped).
 */
export function spacedTicks(values: number[], position: (x: number) => number, minGap: number): number[] {
  const kept: number[] = [];
  for (const v of values) {
    if (kept.length && Math.abs(position(v) - position(kept[kept.length - 1])) < minGap) continue;
    kept.push(v);
  }
  const last = values[values.length - 1];
  if (values.length && kept[kept.length - 1] !== last) {
    while (kept.length && Math.abs(position(last) - position(kept[kept.length - 1])) < minGap) kept.pop();
    kept.push(last);
  }
  return kept;
}

/** COAR ahead of leave-one-out by at least this much counts as "clearly better". */
export const CLEAR_GAIN = 0.05;

/**
 * When one-at-a-time estimates suffice and when COAR is needed, read off the measured alpha
 * curve: the smallest alpha from which COAR beats leave-one-out by CLEAR_GAIN. Null without
 * leave-one-out.
 */
export function whenCoarMatters(v: EvaluationView, componentCount: number): { needed: boolean; text: string } | null {
  const rows = [...v.alpha].sort((a, b) => a.alpha - b.alpha)
    .filter((r) => Number.isFinite(r.mean.coar) && Number.isFinite(r.mean.loo));
  if (rows.length === 0) return null;
  const off = (alpha: number) => Math.round(alpha * componentCount).toLocaleString('en-US');
  const pair = (r: (typeof rows)[number]) => `${r.mean.coar.toFixed(2)} against ${r.mean.loo.toFixed(2)} at alpha ${r.alpha}`;
  const first = rows.find((r) => r.mean.coar - r.mean.loo >= CLEAR_GAIN);
  if (!first) {
    const last = rows[rows.length - 1];
    return {
      needed: false,
      text: `Leave-one-out is within ${CLEAR_GAIN} of COAR at every alpha measured (${pair(last)}, about ${off(last.alpha)} of ${componentCount.toLocaleString('en-US')} components off per mask): ` +
        'the components barely interact when this few are off together, so one-at-a-time estimates suffice for this model at these alphas.',
    };
  }
  const below = rows.filter((r) => r.alpha < first.alpha);
  return {
    needed: true,
    text: `From alpha ${first.alpha} (about ${off(first.alpha)} components off per mask) COAR predicts clearly better than leave-one-out (${pair(first)}): ` +
      'with many components off together their joint effects matter, and a model fitted on random joint ablations captures them where one-at-a-time estimates cannot.' +
      (below.length ? ` Below that (${below.map((r) => pair(r)).join('; ')}), one-at-a-time estimates are nearly as good.` : ''),
  };
}
