/** The heatmap's tooltip: a component's name, layer kind and value, kept inside the heatmap's width. */
import { cellOf, type LayerRow } from './heatmap-data';
import { signed } from '../format/format';

interface Props {
  layers: LayerRow[];
  i: number;
  /** Anchor (top centre of the cell) relative to the heatmap, and where it lies across it (0–1). */
  x: number;
  y: number;
  f: number;
  value: number;
  ablated: boolean;
}

export function HeatmapTooltip({ layers, i, x, y, f, value, ablated }: Props) {
  const { row, col } = cellOf(layers, i);
  const layer = layers[row];
  return (
    <div className="tooltip" data-testid="heatmap-tooltip" style={{ left: x, top: y, ['--f' as string]: f }} role="status">
      <strong>{layer.name}#{col}</strong> <span className="kind">{layer.className}</span>
      <br />value {signed(value, 3)}: keeping it {value >= 0 ? 'raises' : 'lowers'} the margin{ablated ? ' · switched off' : ''}
      <br /><span className="hint">click / Enter: {ablated ? 'switch it back on' : 'switch it off'}</span>
    </div>
  );
}
