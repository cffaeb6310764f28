/** Pure data shaping for the heatmap: which value each cell shows, and where it sits. */
import { locateComponent } from '../../coar/component-names';

export type HeatmapMode = 'example' | 'class' | 'all';

export interface LayerRow {
  name: string;
  className: string;
  /** Component kind id (src/coar/component-kinds); rows without one are labelled by count alone. */
  kind?: string;
  count: number;
  offset: number;
}

/**
 * Per-component values shown for the chosen mode: the selected example's attributions, their
 * mean over the run's examples of the same label, or over all the run's examples.
 * `weights` is n × N, example-major.
 */
export function heatmapValues(weights: Float32Array, n: number, N: number, mode: HeatmapMode, selected: number, labels: ArrayLike<number>): Float32Array {
  if (mode === 'example') return weights.subarray(selected * N, (selected + 1) * N);
  const out = new Float64Array(N);
  let members = 0;
  for (let j = 0; j < n; j++) {
    if (mode === 'class' && labels[j] !== labels[selected]) continue;
    members++;
    const row = j * N;
    for (let i = 0; i < N; i++) out[i] += weights[row + i];
  }
  return Float32Array.from(out, (x) => (members ? x / members : 0));
}

/** How many run examples the mode averages over. */
export function modeMembers(n: number, mode: HeatmapMode, selected: number, labels: ArrayLike<number>): number {
  if (mode === 'example') return 1;
  if (mode === 'all') return n;
  let count = 0;
  for (let j = 0; j < n; j++) if (labels[j] === labels[selected]) count++;
  return count;
}

/** Largest absolute value (the colour scale's half-range); 1 when all are 0 or none is finite. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m > 0 ? m : 1;
}

/** Row and column of global component i (row 0, column 0 for an index that is no component). */
export function cellOf(layers: LayerRow[], i: number): { row: number; col: number } {
  const last = layers[layers.length - 1];
  const count = last ? last.offset + last.count : 0;
  if (!(Number.isInteger(i) && i >= (layers[0]?.offset ?? 0) && i < count)) return { row: 0, col: 0 };
  const { layerIndex, channel } = locateComponent({ layers, count }, i);
  return { row: layerIndex, col: channel };
}

/** Indices of the k components with the largest |value| (for labelling the strongest cells). */
export function strongest(values: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: values.length }, (_, i) => i)
    .sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]))
    .slice(0, k);
}

/**
 * The ablated channels of each layer (by layer index), comma-joined in order: strings, so that a
 * layer whose ablated set did not change gets an equal prop and is not re-rendered.
 */
export function ablatedByLayer(layers: LayerRow[], ablated: number[]): Map<number, string> {
  const per = new Map<number, number[]>();
  for (const i of ablated) {
    const { row, col } = cellOf(layers, i);
    per.set(row, [...(per.get(row) ?? []), col]);
  }
  return new Map([...per].map(([row, cols]) => [row, cols.sort((a, b) => a - b).join(',')]));
}
