/**
 * One layer's cells in the heatmap grid, memoised: hovering, focusing or toggling a component
 * re-renders only the layers whose props changed. Events are handled by the grid (delegation),
 * so the cells carry data attributes instead of handlers.
 */
import { memo } from 'react';
import { signed } from '../format/format';
import type { HeatmapLayout, LayerBlock } from './heatmap-layout';

interface Props {
  block: LayerBlock;
  /** The layer's index among all the run's layers (the block's index differs when one layer is zoomed). */
  layerIndex: number;
  layout: HeatmapLayout;
  values: Float32Array;
  color: (v: number) => string;
  /** Channels of this layer that are ablated, comma-joined (a string, so equal sets compare equal). */
  ablatedKey: string;
  /** The focusable component if it is in this layer, else −1 (roving tabindex). */
  focus: number;
  /** The layer is among the search results; matchCell is the one component named, or −1. */
  matched: boolean;
  matchCell: number;
}

export const LayerCells = memo(function LayerCells({ block, layerIndex, layout, values, color, ablatedKey, focus, matched, matchCell }: Props) {
  const { layer } = block;
  const { columns, pitch, gridLeft, lineHeight, cellWidth, cellHeight } = layout;
  const off = new Set(ablatedKey ? ablatedKey.split(',').map(Number) : []);
  const cells = [];
  const marks = [];
  for (let c = 0; c < layer.count; c++) {
    const i = layer.offset + c;
    const x = gridLeft + (c % columns) * pitch + 0.5;
    const y = block.cellsTop + Math.floor(c / columns) * lineHeight + 1;
    const ablated = off.has(c);
    cells.push(
      <rect
        key={i} x={x} y={y} width={cellWidth} height={cellHeight}
        fill={color(values[i])}
        className={`cell${ablated ? ' ablated' : ''}${i === matchCell ? ' match' : ''}`}
        data-testid={`cell-${i}`}
        data-i={i}
        data-value={values[i]}
        role="button"
        aria-pressed={ablated}
        aria-label={`${layer.name}#${c}: ${signed(values[i], 3)}${ablated ? ', switched off' : ''}`}
        tabIndex={i === focus ? 0 : -1}
      />,
    );
    if (ablated) {
      const x1 = x + 1.5, x2 = x + cellWidth - 1.5, y1 = y + 2, y2 = y + cellHeight - 2;
      marks.push(<path key={i} d={`M${x1},${y1} L${x2},${y2} M${x2},${y1} L${x1},${y2}`} className="ablated-mark" />);
    }
  }
  return (
    <g className={`layer${matched ? ' match' : ''}`} data-testid={`layer-${layerIndex}`}>
      {matched && (
        <rect className="layer-match" x={gridLeft - 2} y={block.cellsTop - 2}
          width={Math.min(columns, layer.count) * pitch + 3} height={block.lines * lineHeight + 2} />
      )}
      {cells}
      {marks}
    </g>
  );
});
